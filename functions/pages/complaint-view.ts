import type { DeskConfig } from '../domain/config';
import { findCategory } from '../domain/desk';
import type { ComplaintEvent } from '../domain/history';
import { ACTOR_LABELS, complainantHistory, staffEventLabel, unconfirmedAdditions } from '../domain/history';
import type { Bilingual, Language } from '../domain/language';
import {
  OUTCOME_LABELS,
  REJECTION_LABELS,
  STAFF_STATUS_LABELS,
  STATUS_LABELS,
  type ComplaintStatus,
} from '../domain/lifecycle';
import type { ComplaintIntake } from '../domain/complaint';
import { defang } from '../domain/defang';
import { formatSize } from './evidence-list';
import {
  ACTION_LABELS,
  CHANNEL_LABELS,
  DECISION_LABELS,
  DETAIL_LABELS,
  provisionalDeadlineNote,
  SUBJECT_TYPE_LABELS,
  type DetailField,
} from './labels';
import { formatTime, html, type SafeHtml } from './layout';
import { PLATFORM_ACTION_LABELS } from './platform-actions';

const FIELD_LABELS = {
  number: { 'zh-CN': '投诉编号', en: 'Complaint number' },
  status: { 'zh-CN': '状态', en: 'Status' },
  receivedAt: { 'zh-CN': '提交时间', en: 'Filed' },
  category: { 'zh-CN': '类别', en: 'Category' },
  channel: { 'zh-CN': '渠道', en: 'Channel' },
  subject: { 'zh-CN': '投诉对象', en: 'About' },
  description: { 'zh-CN': '投诉内容', en: 'Description' },
  desiredOutcome: { 'zh-CN': '处理要求', en: 'Desired outcome' },
  occurredAt: { 'zh-CN': '发生时间', en: 'When it happened' },
  contactHistory: { 'zh-CN': '沟通情况', en: 'Contact so far' },
  complainant: { 'zh-CN': '投诉人', en: 'Complainant' },
  deadline: { 'zh-CN': '处理期限', en: 'Due by' },
  priority: { 'zh-CN': '优先级', en: 'Priority' },
  flagged: { 'zh-CN': '注意', en: 'Caution' },
} as const;

const PRIORITY_LABELS: Record<number, Record<Language, string>> = {
  1: { 'zh-CN': '1（隐私与安全，已有沟通）', en: '1 (privacy & security, prior contact)' },
  2: { 'zh-CN': '2（隐私与安全）', en: '2 (privacy & security)' },
  3: { 'zh-CN': '3（已有沟通）', en: '3 (prior contact shown)' },
  4: { 'zh-CN': '4', en: '4' },
};

export function label(key: keyof typeof FIELD_LABELS, language: Language): string {
  return FIELD_LABELS[key][language];
}

export interface ComplaintSummary extends ComplaintIntake {
  number: string;
  priority?: number;
  flagged?: boolean;
  status: ComplaintStatus;
  receivedAt: string;
  deadlineAt?: string;
  /** Years without holiday data the deadline ran into (a provisional deadline). */
  deadlineProvisional?: number[];
}

/**
 * The complaint as filed. `forStaff` adds the complainant's contact, and shows what the complainant
 * wrote with every URL defanged (domain/defang.ts); the complainant sees their own text as written.
 */
export function complaintDetails(
  complaint: ComplaintSummary,
  language: Language,
  config: DeskConfig,
  forStaff: boolean,
): SafeHtml {
  const category = findCategory(config, complaint.category);
  const occurred =
    complaint.occurredAt === undefined
      ? []
      : Array.isArray(complaint.occurredAt)
        ? complaint.occurredAt
        : [complaint.occurredAt];
  const row = (key: keyof typeof FIELD_LABELS, value: unknown) =>
    value === undefined || value === '' ? html`` : html`<dt>${label(key, language)}</dt><dd>${value}</dd>`;
  const written = (text: string | undefined) => (text !== undefined && forStaff ? defang(text) : text);
  const subject = written([complaint.subject.name, complaint.subject.ref].filter(Boolean).join(' — '));
  return html`<dl>
${row('number', complaint.number)}
${row('status', (forStaff ? STAFF_STATUS_LABELS : STATUS_LABELS)[complaint.status][language])}
${row('receivedAt', formatTime(complaint.receivedAt, language, config.timeZone))}
${row('category', category ? category.name[language] : complaint.category)}
${forStaff ? row('complainant', `${written(complaint.complainant.name)}${complaint.complainant.email ? ` <${complaint.complainant.email}>` : ''}${complaint.complainant.phone ? ` ${complaint.complainant.phone}` : ''}`) : html``}
${forStaff ? row('channel', CHANNEL_LABELS[complaint.channel]?.[language] ?? complaint.channel) : html``}
${forStaff && complaint.priority ? row('priority', PRIORITY_LABELS[complaint.priority]?.[language] ?? String(complaint.priority)) : html``}
${forStaff && complaint.flagged ? row('flagged', language === 'zh-CN' ? '内容待审：涉及他人隐私或人身攻击，不向被投诉方展示' : 'Held for review: exposes private data or attacks a person; never shown to the respondent') : html``}
${row('subject', `${SUBJECT_TYPE_LABELS[complaint.subject.type]?.[language] ?? complaint.subject.type}${subject ? `${language === 'zh-CN' ? '：' : ': '}${subject}` : ''}`)}
${row('description', written(complaint.description))}
${row('desiredOutcome', written(complaint.desiredOutcome))}
${row('occurredAt', occurred.length ? occurred.map((t) => formatTime(t, language, config.timeZone)).join('; ') : undefined)}
${row('contactHistory', written(complaint.contactHistory))}
${complaint.deadlineAt && forStaff ? row('deadline', `${formatTime(complaint.deadlineAt, language, config.timeZone)}${complaint.deadlineProvisional?.length ? ` (${provisionalDeadlineNote(complaint.deadlineProvisional, language)})` : ''}`) : html``}
</dl>`;
}

// What staff read of an event's details; internal bookkeeping (ids, ARNs) stays out.
const STAFF_DETAIL_FIELDS = [
  'description',
  'desiredOutcome',
  'contactHistory',
  'verified',
  'text',
  'assignee',
  'from',
  'to',
  'lateBySeconds',
  'decision',
  'decidedBy',
  'reason',
  'message',
  'question',
  'answer',
  'findings',
  'actions',
  'respondentEmail',
  'statement',
  'reply',
  'grounds',
  'followUp',
  'rating',
  'comment',
  'ruling',
  'note',
  'outcome',
  'name',
  'size',
  'deadlineProvisional',
  'action',
  'reference',
] as const satisfies readonly DetailField[];

/** Why the system did something (a link sent again, say), in words. */
const SYSTEM_REASONS: Record<string, Bilingual> = {
  reminder: { 'zh-CN': '投诉人催办', en: 'The complainant sent a reminder' },
  escalated: { 'zh-CN': '超时上报', en: 'Escalated after a missed deadline' },
  reissued: { 'zh-CN': '重新发送链接', en: 'The link was sent again' },
};

/** An event detail as a person reads it: labels for decisions, actions, outcomes and sizes; lateness in hours. */
function detailValue(field: string, value: unknown, language: Language): string {
  const values = Array.isArray(value) ? value : [value];
  switch (field) {
    case 'decision':
    case 'ruling':
      return values.map((v) => DECISION_LABELS[String(v)]?.[language] ?? String(v)).join(', ');
    case 'actions':
      return values
        .map((v) => ACTION_LABELS[v as keyof typeof ACTION_LABELS]?.[language] ?? String(v))
        .join(language === 'zh-CN' ? '、' : ', ');
    case 'reason':
      return values
        .map(
          (v) =>
            REJECTION_LABELS[v as keyof typeof REJECTION_LABELS]?.[language] ??
            SYSTEM_REASONS[String(v)]?.[language] ??
            defang(String(v)),
        )
        .join(', ');
    case 'decidedBy':
    case 'by':
      // A role (the complainant, the system) in words; a staff member by their address.
      return values.map((v) => ACTOR_LABELS[String(v)]?.[language] ?? String(v)).join(', ');
    case 'outcome':
      return values.map((v) => OUTCOME_LABELS[v as keyof typeof OUTCOME_LABELS]?.[language] ?? String(v)).join(', ');
    case 'action':
      return values
        .map((v) => PLATFORM_ACTION_LABELS[v as keyof typeof PLATFORM_ACTION_LABELS]?.[language] ?? String(v))
        .join(', ');
    case 'size':
      return formatSize(Number(value));
    case 'verified':
      return value === true
        ? language === 'zh-CN'
          ? '已由投诉人确认'
          : 'Confirmed by the complainant'
        : language === 'zh-CN'
          ? '未经核实：任何知道此邮箱和投诉对象的人都可能提交'
          : 'Unverified: anyone who knows this address and the matter could have sent it';
    case 'deadlineProvisional':
      return provisionalDeadlineNote(values.map(Number), language);
    case 'lateBySeconds': {
      const hours = Math.round((Number(value) / 3600) * 10) / 10;
      return language === 'zh-CN' ? `${hours} 小时` : `${hours} h`;
    }
    default:
      // Free text, much of it written by complainants and respondents: never a live link (defang.ts).
      return defang(values.map(String).join(', '));
  }
}

/** The full history, for staff: every event, who and when, and what was said, in the reader's words. */
export function staffHistory(events: readonly ComplaintEvent[], language: Language, timeZone: string): SafeHtml {
  const unconfirmed = new Set(unconfirmedAdditions(events).map((e) => e.at));
  return html`<ol class="history">${events.map((recorded) => {
    // A repeat's text shows whether its complainant has confirmed it since.
    const event =
      recorded.action === 'complaint.linked-duplicate'
        ? { ...recorded, details: { ...recorded.details, verified: !unconfirmed.has(recorded.at) } }
        : recorded;
    const details = STAFF_DETAIL_FIELDS.filter(
      (field) => event.details?.[field] !== undefined && event.details?.[field] !== '',
    ).map(
      (field) =>
        html`<br><small>${DETAIL_LABELS[field]?.[language] ?? field}${language === 'zh-CN' ? '：' : ': '}${detailValue(field, event.details![field], language)}</small>`,
    );
    return html`<li><time datetime="${event.at}">${formatTime(event.at, language, timeZone)}</time> — <strong>${staffEventLabel(event.action, language)}</strong> · ${ACTOR_LABELS[event.actor]?.[language] ?? event.actor}${details}</li>`;
  })}</ol>`;
}

/** The complainant's history: only what they may see. */
export function complainantHistoryList(
  events: readonly ComplaintEvent[],
  language: Language,
  timeZone: string,
): SafeHtml {
  return html`<ol class="history">${complainantHistory(events, language).map(
    (entry) =>
      html`<li><time datetime="${entry.at}">${formatTime(entry.at, language, timeZone)}</time> — ${entry.label}${entry.detail ? html`<br>${entry.detail}` : html``}</li>`,
  )}</ol>`;
}
