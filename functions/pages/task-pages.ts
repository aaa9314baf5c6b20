import { platformActionsSection } from './platform-actions';
import type { ComplaintRecord } from '../domain/complaint';
import type { DeskConfig } from '../domain/config';
import { findCategory } from '../domain/desk';
import type { FieldError } from '../domain/field-errors';
import type { ComplaintEvent } from '../domain/history';
import type { Bilingual, Language } from '../domain/language';
import {
  REJECTION_LABELS,
  REJECTION_REASONS,
  STEP_DEFINITIONS,
  STEP_LABELS,
  type HumanStep,
  type StepRole,
} from '../domain/lifecycle';
import { INVESTIGATION_ACTIONS, STEP_DECISIONS, type StepDecision } from '../domain/steps';
import { withheldFromRespondent } from '../domain/intake-rules';
import { complainantHistoryList, complaintDetails, staffHistory } from './complaint-view';
import { ACTION_LABELS, DECISION_LABELS } from './labels';
import type { TaskLinkRecord } from '../store/task-links';
import { evidenceList, type LinkedEvidence } from './evidence-list';
import { formatTime, html, page, SafeHtml } from './layout';

type Values = Record<string, string | string[] | undefined>;

const FIELD_LABELS: Record<string, Bilingual> = {
  reason: { 'zh-CN': '理由', en: 'Reason' },
  rejectReason: { 'zh-CN': '不予受理的理由（选择“不予受理”时必填）', en: 'Reason for rejecting (required to reject)' },
  rejectMessage: {
    'zh-CN': '给投诉人的留言（不予受理时可选，随通知邮件发送）',
    en: 'A message to the complainant (optional when rejecting; sent with the notice)',
  },
  question: { 'zh-CN': '问题', en: 'Question' },
  answer: { 'zh-CN': '您的补充', en: 'Your answer' },
  findings: { 'zh-CN': '调查结果', en: 'Findings' },
  actions: { 'zh-CN': '已采取的措施', en: 'Actions taken' },
  respondentEmail: { 'zh-CN': '被投诉方电子邮件', en: "Respondent's email" },
  statement: { 'zh-CN': '您的说明', en: 'Your statement' },
  reply: { 'zh-CN': '处理结果', en: 'Result' },
  grounds: { 'zh-CN': '依据', en: 'Grounds' },
  followUp: { 'zh-CN': '后续安排（可选）', en: 'Follow-up (optional)' },
  rating: {
    'zh-CN': '满意度（1 = 很不满意，5 = 很满意）',
    en: 'Satisfaction (1 = very dissatisfied, 5 = very satisfied)',
  },
  comment: { 'zh-CN': '意见（可选）', en: 'Comment (optional)' },
  note: { 'zh-CN': '备注（可选，仅内部可见）', en: 'Note (optional, staff only)' },
  reviewReason: { 'zh-CN': '申请复核的理由', en: 'Why you ask for a review' },
  newReply: { 'zh-CN': '新的处理结果（撤销时必填）', en: 'The new result (required to overturn)' },
};

export function decisionLabel(decision: StepDecision, language: Language): string {
  const base = DECISION_LABELS[decision.decision]?.[language] ?? decision.decision;
  return decision.decision === 'reject' ? `${base}（${REJECTION_LABELS[decision.reason][language]}）` : base;
}

interface FormKit {
  language: Language;
  values: Values;
  errorFor: (path: string) => SafeHtml;
}

function val(values: Values, name: string): string {
  const v = values[name];
  return Array.isArray(v) ? (v[v.length - 1] ?? '') : (v ?? '');
}

function textarea(
  kit: FormKit,
  name: string,
  labelKey = name,
  options: { rows?: number; max?: number; required?: boolean } = {},
): SafeHtml {
  return html`<label for="${name}">${FIELD_LABELS[labelKey]![kit.language]}</label>
<textarea id="${name}" name="${name}" rows="${options.rows ?? 4}" maxlength="${options.max ?? 5000}"${options.required ? html` required` : html``} aria-describedby="${name}-error">${val(kit.values, name)}</textarea>${kit.errorFor(name)}`;
}

function decisionRadios(kit: FormKit, decisions: readonly string[]): SafeHtml {
  const legend = kit.language === 'zh-CN' ? '决定' : 'Decision';
  return html`<fieldset aria-describedby="decision-error"><legend>${legend}</legend>${decisions.map(
    (d, i) =>
      html`<label><input type="radio" name="decision" value="${d}"${i === 0 ? html` required` : html``}${val(kit.values, 'decision') === d ? html` checked` : html``}> ${DECISION_LABELS[d]![kit.language]}</label>`,
  )}${kit.errorFor('decision')}</fieldset>`;
}

function stepFields(step: HumanStep, kit: FormKit): SafeHtml {
  const { language } = kit;
  switch (step) {
    case 'acceptance':
      return html`${decisionRadios(kit, STEP_DECISIONS.acceptance)}
<label for="reason">${FIELD_LABELS.rejectReason![language]}</label>
<select id="reason" name="reason" aria-describedby="reason-error"><option value="">—</option>${REJECTION_REASONS.map((r) => html`<option value="${r}"${val(kit.values, 'reason') === r ? html` selected` : html``}>${REJECTION_LABELS[r][language]}</option>`)}</select>${kit.errorFor('reason')}
${textarea(kit, 'message', 'rejectMessage', { rows: 3, max: 2000 })}
${textarea(kit, 'question', 'question', { rows: 3, max: 2000 })}
${textarea(kit, 'note', 'note', { rows: 3, max: 2000 })}`;
    case 'information':
      return html`<input type="hidden" name="decision" value="answer">${textarea(kit, 'answer', 'answer', { rows: 6, required: true })}`;
    case 'investigation': {
      const chosen = new Set([kit.values.actions ?? []].flat());
      return html`${decisionRadios(kit, STEP_DECISIONS.investigation)}
${textarea(kit, 'findings', 'findings', { rows: 6 })}
<fieldset aria-describedby="actions-error"><legend>${FIELD_LABELS.actions![language]}</legend>${INVESTIGATION_ACTIONS.map(
        (a) =>
          html`<label><input type="checkbox" name="actions" value="${a}"${chosen.has(a) ? html` checked` : html``}> ${ACTION_LABELS[a][language]}</label>`,
      )}${kit.errorFor('actions')}</fieldset>
<label for="respondentEmail">${FIELD_LABELS.respondentEmail![language]}</label>
<input type="email" id="respondentEmail" name="respondentEmail" maxlength="254" value="${val(kit.values, 'respondentEmail')}" aria-describedby="respondentEmail-error">${kit.errorFor('respondentEmail')}
${textarea(kit, 'message', 'rejectMessage', { rows: 3, max: 2000 })}
${textarea(kit, 'question', 'question', { rows: 3, max: 2000 })}
${textarea(kit, 'note', 'note', { rows: 3, max: 2000 })}`;
    }
    case 'statement':
      return html`<input type="hidden" name="decision" value="submit-statement">${textarea(kit, 'statement', 'statement', { rows: 8, required: true })}`;
    case 'reply':
      return html`<input type="hidden" name="decision" value="send-reply">${textarea(kit, 'reply', 'reply', { rows: 6, required: true })}${textarea(kit, 'grounds', 'grounds', { rows: 4, required: true })}${textarea(kit, 'followUp', 'followUp', { rows: 3, max: 2000 })}`;
    case 'survey':
      return html`<input type="hidden" name="decision" value="rate">
<fieldset aria-describedby="rating-error"><legend>${FIELD_LABELS.rating![language]}</legend>${[1, 2, 3, 4, 5].map(
        (n) =>
          html`<label><input type="radio" name="rating" value="${n}"${n === 1 ? html` required` : html``}${val(kit.values, 'rating') === String(n) ? html` checked` : html``}> ${n} ${'★'.repeat(n)}</label>`,
      )}${kit.errorFor('rating')}</fieldset>
${textarea(kit, 'comment', 'comment', { rows: 3, max: 2000 })}`;
    case 'review':
      return html`${decisionRadios(kit, STEP_DECISIONS.review)}${textarea(kit, 'reason', 'reason', { rows: 3, max: 2000, required: true })}${textarea(kit, 'reply', 'newReply', { rows: 6 })}${textarea(kit, 'grounds', 'grounds', { rows: 3 })}`;
    case 'answer':
      return html`<input type="hidden" name="decision" value="answer">${textarea(kit, 'answer', 'answer', { rows: 6, required: true })}`;
    case 'evidence':
      return html``;
  }
}

/** What the person whose turn it is reads above the form: the complaint, as much as their role may see. */
function caseSection(input: TaskPageInput): SafeHtml {
  const { complaint, language, config, role } = input;
  const zh = language === 'zh-CN';
  if (role === 'handler' || role === 'supervisor') {
    return html`<section aria-labelledby="details"><h2 id="details">${zh ? '投诉' : 'Complaint'}</h2>${complaintDetails({ ...complaint, deadlineAt: input.deadlineAt }, language, config, true)}</section>
${input.evidence ?? html``}
${platformActionsSection(complaint, input.events, config, language, config.timeZone)}
<section aria-labelledby="history"><h2 id="history">${zh ? '记录' : 'History'}</h2>${staffHistory(input.events, language, config.timeZone)}</section>`;
  }
  if (role === 'respondent') {
    // The respondent learns what the complaint is about, never who made it: the complainant's
    // identifiers and any phone, email or identity number are withheld; a complaint held for
    // review (private data, personal attacks) is not shown at all.
    const category = findCategory(config, complaint.category)?.name[language] ?? complaint.category;
    const withheld = (text: string) => withheldFromRespondent(text, complaint.complainant, language);
    const subject = withheld([complaint.subject.name, complaint.subject.ref].filter(Boolean).join(' — '));
    return html`<section><dl><dt>${zh ? '投诉编号' : 'Complaint'}</dt><dd>${complaint.number}</dd><dt>${zh ? '类别' : 'Category'}</dt><dd>${category}</dd><dt>${zh ? '投诉对象' : 'About'}</dt><dd>${subject}</dd>${
      (complaint as { flagged?: boolean }).flagged
        ? html``
        : html`<dt>${zh ? '投诉内容' : 'Complaint'}</dt><dd>${withheld(complaint.description)}</dd>`
    }</dl></section>`;
  }
  return html`<section aria-labelledby="details"><h2 id="details">${zh ? '您的投诉' : 'Your complaint'}</h2>${complaintDetails(complaint, language, config, false)}</section>
<section aria-labelledby="history"><h2 id="history">${zh ? '处理记录' : 'History'}</h2>${complainantHistoryList(input.events, language, config.timeZone)}</section>`;
}

export interface TaskPageInput {
  step: HumanStep;
  role: StepRole;
  level: number;
  complaint: ComplaintRecord;
  events: ComplaintEvent[];
  language: Language;
  config: DeskConfig;
  nonce: string;
  deadlineAt: string;
  question?: string;
  values?: Values;
  errors?: FieldError[];
  /** The evidence list for staff (with short-lived download links). */
  evidence?: SafeHtml;
}

export function taskFormPage(input: TaskPageInput): string {
  const { language, step } = input;
  const zh = language === 'zh-CN';
  const errors = input.errors ?? [];
  const kit: FormKit = {
    language,
    values: input.values ?? {},
    errorFor: (path) => {
      const error = errors.find((e) => e.path === path);
      return error ? html`<p id="${path}-error" class="error" role="alert">${error.message}</p>` : html``;
    },
  };
  const due = formatTime(input.deadlineAt, language, input.config.timeZone);
  const escalated = input.level > 0 && (input.role === 'handler' || input.role === 'supervisor');
  const { page: parts } = STEP_DEFINITIONS[step];
  const prompt =
    parts.above === 'question'
      ? html`<section class="notice"><h2>${zh ? '需要您回答的问题' : 'The question for you'}</h2><p>${input.question ?? ''}</p></section>`
      : parts.above === 'reply'
        ? html`<section class="notice"><h2>${zh ? '处理结果' : 'Our reply'}</h2><p>${input.complaint.reply?.reply ?? ''}</p>${input.complaint.reply?.grounds ? html`<p>${zh ? '依据：' : 'Grounds: '}${input.complaint.reply.grounds}</p>` : html``}</section>`
        : html``;
  const reviewForm = parts.reviewRequest
    ? html`<section aria-labelledby="review"><h2 id="review">${zh ? '对结果有异议？' : 'Disagree with the outcome?'}</h2><p>${zh ? '您可以申请一次复核，由未参与处理的主管作出最终结论。' : 'You may ask once for a review by a supervisor who did not handle your case; the ruling is final.'}</p>
<form method="post" action="?lang=${language}"><input type="hidden" name="nonce" value="${input.nonce}"><input type="hidden" name="decision" value="request-review">
${textarea({ ...kit, values: val(kit.values, 'decision') === 'request-review' ? kit.values : {} }, 'reason', 'reviewReason', { rows: 4, max: 2000, required: true })}
<button type="submit">${DECISION_LABELS['request-review']![language]}</button></form></section>`
    : html``;
  return page({
    title: `${STEP_LABELS[step][language]} · ${input.complaint.number}`,
    language,
    langSwitch: `?lang=${zh ? 'en' : 'zh-CN'}`,
    body: html`${errors.length ? html`<section class="error" role="alert"><p>${zh ? '请修改标出的内容后再提交。' : 'Please correct the marked fields and submit again.'}</p></section>` : html``}
${escalated ? html`<section class="error"><p>${input.complaint.breached ? (zh ? '此任务已严重超时（已逐级上报），请立即处理。' : 'This task is breached (escalated all the way); please act now.') : zh ? '此任务因超时已上报给您。' : 'This task was escalated to you after a missed deadline.'}</p></section>` : html``}
<section class="notice"><p>${zh ? '请在以下时间前完成：' : 'Please act by '}<strong>${due}</strong>${zh ? '。仅打开此页面不会作出任何决定。' : '. Opening this page decides nothing.'}</p></section>
${prompt}
${caseSection(input)}
<section aria-labelledby="decide"><h2 id="decide">${parts.heading ? parts.heading[language] : zh ? '您的决定' : 'Your decision'}</h2>
<form method="post" action="?lang=${language}" id="decision-form">
<input type="hidden" name="nonce" value="${input.nonce}"><input type="hidden" name="step" value="${step}">
${stepFields(step, kit)}
<button type="submit">${parts.submit[language]}</button>
</form></section>
${reviewForm}`,
  });
}

/** An open task as its page shows it: the link's step, role and deadline, the case and, for staff, the evidence. */
export interface OpenTaskView {
  link: TaskLinkRecord;
  complaint: ComplaintRecord;
  events: ComplaintEvent[];
  evidence?: readonly LinkedEvidence[];
}

/** The form of an open task (with what was posted and what is wrong with it, when refused). */
export function openTaskPage(
  view: OpenTaskView,
  language: Language,
  config: DeskConfig,
  extra: { values?: Values; errors?: FieldError[] } = {},
): string {
  const { link, complaint, events, evidence } = view;
  return taskFormPage({
    step: link.step,
    role: link.role,
    level: link.level,
    complaint,
    events,
    language,
    config,
    nonce: link.nonce,
    deadlineAt: link.dueAt,
    question: link.question,
    evidence: evidence
      ? html`<section aria-labelledby="evidence"><h2 id="evidence">${language === 'zh-CN' ? '证据' : 'Evidence'}</h2>${evidenceList(evidence, language, config.timeZone)}</section>`
      : undefined,
    ...extra,
  });
}

/** The open task as JSON: what it asks, of whom, by when, and the nonce its decision is posted with. */
export function openTaskJson(view: OpenTaskView, language: Language) {
  const { link, complaint } = view;
  return {
    state: 'open',
    step: link.step,
    role: link.role,
    level: link.level,
    deadlineAt: link.dueAt,
    ...(link.question ? { question: link.question } : {}),
    nonce: link.nonce,
    language,
    complaint: { number: complaint.number, status: complaint.status, category: complaint.category },
  };
}

/** A decision refused by field, as the page words its title (problem+json to a reader who asked for JSON). */
export function invalidDecisionMessage(errors: readonly FieldError[], language: Language) {
  return {
    status: 400,
    title: language === 'zh-CN' ? '提交的内容有误' : 'The decision has invalid fields',
    message: errors.map((e) => `${e.path}: ${e.message}`).join('; '),
    language,
  };
}

/** A page that tells the visitor what happened to the task, instead of a form, and where to go next. */
export function taskMessagePage(input: {
  title: string;
  message: string;
  language: Language;
  tone?: 'ok' | 'notice' | 'error';
  links?: readonly { href: string; label: string }[];
}): string {
  const links = input.links?.length
    ? html`<p>${input.links.map((link, i) => html`${i ? ' · ' : ''}<a href="${link.href}">${link.label}</a>`)}</p>`
    : html``;
  return page({
    title: input.title,
    language: input.language,
    body: html`<section class="${input.tone ?? 'notice'}" role="status"><p>${input.message}</p>${links}</section>`,
  });
}

export { SafeHtml };

/** A page that only says something: what became of a link, or that a decision was recorded. */
export interface TaskMessage {
  status: number;
  title: string;
  message: string;
  language: Language;
  tone: 'ok' | 'notice' | 'error';
  /** Where to go next: the case on the staff desk, the tracking page. */
  links?: { href: string; label: string }[];
}

function message(
  status: number,
  language: Language,
  title: Bilingual,
  text: Bilingual,
  tone: TaskMessage['tone'] = 'notice',
): TaskMessage {
  return { status, title: title[language], message: text[language], language, tone };
}

/** A decision that reached a task after it was decided elsewhere or moved on. */
export function alreadyDecidedOrMoved(language: Language): TaskMessage {
  return message(
    409,
    language,
    { 'zh-CN': '已被处理或已转交', en: 'Already decided or moved' },
    {
      'zh-CN': '此任务已在别处作出决定，或因超时已转交他人。您的提交未被记录。',
      en: 'This task was already decided elsewhere or moved on after its deadline. Your submission was not recorded.',
    },
  );
}

/**
 * What a person sees after their decision was recorded, and where to go from there: staff to the
 * case on the desk and their queue (the next step's task comes by email to whoever holds it); the
 * complainant to their tracking page.
 */
export function recordedMessage(input: {
  step: HumanStep;
  role: StepRole;
  decision: StepDecision;
  complaintId: string;
  trackingUrl?: string;
  language: Language;
}): TaskMessage {
  const { step, decision, language } = input;
  const staff = input.role === 'handler' || input.role === 'supervisor';
  const next: Bilingual = staff
    ? {
        'zh-CN': '如有下一步，任务链接会通过邮件发给负责的人。',
        en: 'If there is a next step, its task link goes by email to whoever holds it.',
      }
    : { 'zh-CN': '', en: '' };
  const links = staff
    ? [
        {
          href: `/staff/complaints/${encodeURIComponent(input.complaintId)}?lang=${language}`,
          label: language === 'zh-CN' ? '在工作台打开此案件' : 'Open the case on the staff desk',
        },
        { href: `/staff/queue?lang=${language}`, label: language === 'zh-CN' ? '我的待办' : 'My queue' },
      ]
    : input.trackingUrl
      ? [
          {
            href: `${input.trackingUrl}&lang=${language}`,
            label: language === 'zh-CN' ? '查看投诉处理进度' : 'See where your complaint stands',
          },
        ]
      : [];
  return {
    ...message(
      200,
      language,
      { 'zh-CN': '已记录', en: 'Recorded' },
      {
        'zh-CN': `谢谢。您在“${STEP_LABELS[step]['zh-CN']}”中的提交（${decisionLabel(decision, 'zh-CN')}）已记录。${next['zh-CN']}`,
        en: `Thank you. What you sent for the ${STEP_LABELS[step].en.toLowerCase()} (${decisionLabel(decision, 'en')}) is recorded.${next.en ? ` ${next.en}` : ''}`,
      },
      'ok',
    ),
    links,
  };
}

/**
 * A decision that could not be passed on to the workflow just now (not a refusal): nothing is
 * recorded, the link still takes it, and the page leads back to the task.
 */
export function notRecordedMessage(language: Language): TaskMessage {
  return {
    ...message(
      503,
      language,
      { 'zh-CN': '尚未记录', en: 'Not recorded yet' },
      {
        'zh-CN': '系统暂时无法记录您的决定。此链接仍然有效，请稍后重新打开并再次提交。',
        en: 'Your decision could not be recorded just now. This link still works: open it again in a minute and submit once more.',
      },
      'error',
    ),
    links: [{ href: `?lang=${language}`, label: language === 'zh-CN' ? '重新打开此任务' : 'Open the task again' }],
  };
}

/** What a task link that takes no decision says (app/task-link.ts `ClosedLink`). */
export function closedLinkMessage(
  view: {
    link?: TaskLinkRecord;
    now: Date;
    currentHolder?: string;
    posted?: boolean;
    caseClosed?: boolean;
    holderGone?: boolean;
  },
  language: Language,
  timeZone: string,
): TaskMessage {
  const { posted, caseClosed, holderGone } = view;
  return linkStatusMessage(view.link, language, view.now, timeZone, view.currentHolder, {
    posted,
    caseClosed,
    holderGone,
  });
}

/**
 * Explains a link that takes no decision: decided (by whom, when), moved (to whom), withdrawn,
 * or late. `posted`: a decision was posted on it, and is said not to be recorded where that is
 * news; `caseClosed`: the case ended with the link still open.
 */
export function linkStatusMessage(
  link: TaskLinkRecord | undefined,
  language: Language,
  now: Date,
  timeZone: string,
  currentHolder?: string,
  options: { posted?: boolean; caseClosed?: boolean; holderGone?: boolean } = {},
): TaskMessage {
  // A late link names who holds the task now, not only the first person it passed to.
  const holder =
    currentHolder && currentHolder !== link?.movedTo
      ? { 'zh-CN': `目前由 ${currentHolder} 负责。`, en: ` ${currentHolder} holds it now.` }
      : { 'zh-CN': '', en: '' };
  const at = (iso: string | undefined) => ({
    'zh-CN': formatTime(iso, 'zh-CN', timeZone),
    en: formatTime(iso, 'en', timeZone),
  });
  // What a page says after a decision was posted on a link of a case that ended: it was not recorded.
  const ended = (title: Bilingual, zh: string, en: string) =>
    message(
      410,
      language,
      title,
      options.posted
        ? {
            'zh-CN': `${zh}。您的决定未被记录，无需再处理。`,
            en: `${en}. Your decision was not recorded; nothing more is needed.`,
          }
        : { 'zh-CN': `${zh}，无需再处理。`, en: `${en}; nothing more is needed.` },
    );
  const closedCase = () =>
    ended({ 'zh-CN': '投诉已结束', en: 'Complaint closed' }, '此投诉已结束', 'This complaint has ended');
  // Its holder is no longer on the desk's staff at the task's place: the link shows nothing of the case.
  if (link && options.holderGone)
    return message(
      403,
      language,
      { 'zh-CN': '链接已失效', en: 'Link no longer valid' },
      {
        'zh-CN': `此任务链接只对本工作台在职的相应人员有效，您已不在其列。${options.posted ? '您的决定未被记录。' : ''}`,
        en: `This task link works only for the desk's staff at the task's place, which you no longer are.${options.posted ? ' Your decision was not recorded.' : ''}`,
      },
      'error',
    );
  if (!link)
    return message(
      404,
      language,
      { 'zh-CN': '链接无效', en: 'Link not valid' },
      {
        'zh-CN': '此任务链接不存在或不完整，请检查邮件中的链接。',
        en: 'This task link does not exist or is incomplete; check the link in your email.',
      },
      'error',
    );
  if (link.state === 'decided' && link.decision) {
    const when = at(link.decidedAt);
    return message(
      409,
      language,
      { 'zh-CN': '已作出决定', en: 'Already decided' },
      {
        'zh-CN': `此任务已于 ${when['zh-CN']} 由 ${link.decidedBy} 作出决定：${decisionLabel(link.decision, 'zh-CN')}。无需再次提交。`,
        en: `This task was already decided on ${when.en} by ${link.decidedBy}: ${decisionLabel(link.decision, 'en')}. Nothing more is needed.`,
      },
    );
  }
  if (link.state === 'moved') {
    const when = at(link.movedAt);
    switch (link.movedReason) {
      case 'escalated':
        return message(
          410,
          language,
          { 'zh-CN': '任务已转交', en: 'Task moved' },
          {
            'zh-CN': `此任务未在期限内处理，已于 ${when['zh-CN']} 转交给 ${link.movedTo}。${holder['zh-CN']}此链接不再接受决定。`,
            en: `This task was not done by its deadline and moved to ${link.movedTo} on ${when.en}.${holder.en} This link no longer takes a decision.`,
          },
        );
      case 'reissued':
        return message(
          410,
          language,
          { 'zh-CN': '已发送新链接', en: 'A fresh link was sent' },
          {
            'zh-CN': `已于 ${when['zh-CN']} 向 ${link.movedTo} 发送了此任务的新链接，请使用最新邮件中的链接。${holder['zh-CN']}`,
            en: `A fresh link for this task was sent to ${link.movedTo} on ${when.en}; please use the link in the latest email.${holder.en}`,
          },
        );
      case 'reassigned':
        return message(
          410,
          language,
          { 'zh-CN': '任务已改派', en: 'Task reassigned' },
          {
            'zh-CN': `此任务已于 ${when['zh-CN']} 改派给 ${link.movedTo}，您无需再处理。${holder['zh-CN']}此链接不再接受决定。`,
            en: `This task was reassigned to ${link.movedTo} on ${when.en}; nothing more is needed from you.${holder.en} This link no longer takes a decision.`,
          },
        );
      case 'withdrawn':
        return ended(
          { 'zh-CN': '投诉已撤回', en: 'Complaint withdrawn' },
          `投诉人已于 ${when['zh-CN']} 撤回此投诉`,
          `The complainant withdrew this complaint on ${when.en}`,
        );
      case 'closed':
        return closedCase();
      default:
        return alreadyDecidedOrMoved(language);
    }
  }
  if (options.caseClosed) return closedCase();
  if (new Date(link.dueAt) <= now) {
    return message(
      410,
      language,
      { 'zh-CN': '期限已过', en: 'Deadline passed' },
      {
        'zh-CN': `此任务的期限（${at(link.dueAt)['zh-CN']}）已过，此链接不再接受决定；任务将按规定上报或关闭。`,
        en: `This task's deadline (${at(link.dueAt).en}) has passed; this link no longer takes a decision, and the task moves on as the rules say.`,
      },
    );
  }
  return message(
    409,
    language,
    { 'zh-CN': '无法提交', en: 'Cannot submit' },
    {
      'zh-CN': '页面已过期，请重新打开邮件中的链接。',
      en: 'This page is out of date; open the link from your email again.',
    },
    'error',
  );
}
