import type { ComplaintRecord } from './complaint';
import type { DeskConfig } from './config';
import { findCategory } from './desk';
import type { EvidenceItem } from './evidence-policy';
import { ACTOR_LABELS, type ComplaintEvent, complainantHistory, staffEventLabel } from './history';
import type { Language } from './language';
import { OUTCOME_LABELS, STATUS_LABELS } from './lifecycle';

/**
 * A case as a document to hand over: the complainant's copy of their data (PIPL Art. 45) and the
 * referral bundle for a consumer association, regulator or court. One builder for both, so the two
 * cannot disagree on what a case says.
 *
 * Who reads it decides what is in it. The complainant's version is built from a list of what is
 * meant for them (their complaint and contact details, the history as the tracking page tells it,
 * their own words, decisions as they were told, the reply with its grounds, the review ruling,
 * their evidence) and nothing else: no staff address, internal note, flag, or the respondent's
 * side can reach it, because nothing is copied from the record or the events that is not named here.
 */
export type Audience = 'staff' | 'complainant';
export type CaseFileKind = 'referral-bundle' | 'export';

export interface TimelineEntry {
  /** ISO instant (UTC). */
  at: string;
  action: string;
  label: string;
  /** Staff version: who acted (a role, or an address). */
  actor?: string;
  /** What the reader was told (the complainant's version) or the event's note. */
  detail?: string;
  /** The complainant's own words on this event (their answer, reply, reason, comment). */
  ownWords?: string;
  /** Staff version: every recorded detail. */
  details?: Record<string, unknown>;
}

export interface CaseFileEvidence {
  name: string;
  contentType: string;
  size: number;
  /** The hash recorded when the file was checked and kept (the history's `evidence.added`). */
  sha256: string;
  addedAt: string;
  /** Where the file is inside the archive. */
  path: string;
  /** The file was no longer held when the archive was made (the archive lists it, without it). */
  missing?: true;
}

export interface CaseFile {
  kind: CaseFileKind;
  audience: Audience;
  language: Language;
  generatedAt: string;
  timeZone: string;
  desk: string;
  case: {
    id: string;
    number: string;
    status: string;
    statusLabel: string;
    outcome?: string;
    outcomeLabel?: string;
    receivedAt: string;
    closedAt?: string;
    finalRulingAt?: string;
  };
  complainant: { name: string; email?: string; phone?: string; language: Language };
  complaint: {
    channel: string;
    category: string;
    categoryName: string;
    subject: { type: string; ref?: string; name?: string };
    description: string;
    desiredOutcome?: string;
    occurredAt?: string | string[];
    contactHistory?: string;
  };
  timeline: TimelineEntry[];
  decisions: TimelineEntry[];
  reply?: { reply: string; grounds?: string; followUp?: string; at?: string };
  review?: {
    requestedAt?: string;
    reason?: string;
    ruledAt?: string;
    ruling?: string;
    rulingReason?: string;
    reply?: string;
    grounds?: string;
  };
  evidence: CaseFileEvidence[];
  /** Staff version only: how the desk handled it. */
  handling?: {
    priority?: number;
    flagged?: boolean;
    flagReasons?: string[];
    currentStep?: string;
    level?: number;
    assignee?: string;
    handler?: string;
    deadlineAt?: string;
    respondentEmail?: string;
    enteredBy?: string;
    satisfaction?: number;
  };
}

/** Events that decide something on the case, as the decisions section lists them. */
const DECISION_ACTIONS = new Set(['decision.recorded', 'findings.recorded', 'reply.sent', 'review.ruled']);

/** Details of the complainant's own events that hold their own words. */
const OWN_WORDS = ['text', 'answer', 'reason', 'comment'] as const;

function ownWordsOf(event: ComplaintEvent): string | undefined {
  if (event.actor !== 'complainant' || !event.details) return undefined;
  for (const field of OWN_WORDS) {
    const value = event.details[field];
    if (typeof value === 'string' && value.trim()) return value;
  }
  return undefined;
}

function staffEntry(event: ComplaintEvent, language: Language): TimelineEntry {
  const note = event.details?.complainantNote as Record<Language, string> | undefined;
  return {
    at: event.at,
    action: event.action,
    label: staffEventLabel(event.action, language),
    actor: ACTOR_LABELS[event.actor]?.[language] ?? event.actor,
    ...(note?.[language] ? { detail: note[language] } : {}),
    ...(event.details ? { details: event.details } : {}),
  };
}

function complainantEntry(event: ComplaintEvent, language: Language): TimelineEntry | undefined {
  const told = complainantHistory([event], language)[0];
  if (!told) return undefined;
  const own = ownWordsOf(event);
  return {
    at: told.at,
    action: told.action,
    label: told.label,
    ...(told.detail ? { detail: told.detail } : {}),
    ...(own && own !== told.detail ? { ownWords: own } : {}),
  };
}

/** A file name safe inside an archive: letters, digits, dot, dash and underscore, numbered so two never collide. */
export function evidencePath(index: number, name: string): string {
  const safe =
    name
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}._-]+/gu, '_')
      .replace(/^[._]+/, '')
      .slice(-80) || 'file';
  return `evidence/${String(index + 1).padStart(2, '0')}-${safe}`;
}

export function caseFileOf(input: {
  kind: CaseFileKind;
  audience: Audience;
  language: Language;
  complaint: ComplaintRecord;
  events: readonly ComplaintEvent[];
  evidence: readonly (EvidenceItem & { missing?: boolean })[];
  desk: DeskConfig;
  generatedAt: string;
}): CaseFile {
  const { complaint: c, events, language, audience, desk } = input;
  const forStaff = audience === 'staff';
  const timeline = events
    .map((event) => (forStaff ? staffEntry(event, language) : complainantEntry(event, language)))
    .filter((entry): entry is TimelineEntry => !!entry);
  const requested = events.findLast((e) => e.action === 'review.requested');
  const ruled = events.findLast((e) => e.action === 'review.ruled');
  const replied = events.findLast((e) => e.action === 'reply.sent');
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  return {
    kind: input.kind,
    audience,
    language,
    generatedAt: input.generatedAt,
    timeZone: desk.timeZone,
    desk: desk.name[language],
    case: {
      id: c.id,
      number: c.number,
      status: c.status,
      statusLabel: STATUS_LABELS[c.status][language],
      ...(c.outcome ? { outcome: c.outcome, outcomeLabel: OUTCOME_LABELS[c.outcome][language] } : {}),
      receivedAt: c.receivedAt,
      ...(c.closedAt ? { closedAt: c.closedAt } : {}),
      ...(c.finalRulingAt ? { finalRulingAt: c.finalRulingAt } : {}),
    },
    complainant: {
      name: c.complainant.name,
      ...(c.complainant.email ? { email: c.complainant.email } : {}),
      ...(c.complainant.phone ? { phone: c.complainant.phone } : {}),
      language: c.language,
    },
    complaint: {
      channel: c.channel,
      category: c.category,
      categoryName: findCategory(desk, c.category)?.name[language] ?? c.category,
      subject: {
        type: c.subject.type,
        ...(c.subject.ref ? { ref: c.subject.ref } : {}),
        ...(c.subject.name ? { name: c.subject.name } : {}),
      },
      description: c.description,
      ...(c.desiredOutcome ? { desiredOutcome: c.desiredOutcome } : {}),
      ...(c.occurredAt ? { occurredAt: c.occurredAt } : {}),
      ...(c.contactHistory ? { contactHistory: c.contactHistory } : {}),
    },
    timeline,
    decisions: timeline.filter((entry) => DECISION_ACTIONS.has(entry.action)),
    ...(c.reply
      ? {
          reply: {
            reply: c.reply.reply,
            ...(c.reply.grounds ? { grounds: c.reply.grounds } : {}),
            ...(c.reply.followUp ? { followUp: c.reply.followUp } : {}),
            ...(replied ? { at: replied.at } : {}),
          },
        }
      : {}),
    ...(requested || ruled
      ? {
          review: {
            ...(requested ? { requestedAt: requested.at, reason: text(requested.details?.reason) } : {}),
            ...(ruled
              ? {
                  ruledAt: ruled.at,
                  ruling: text(ruled.details?.ruling),
                  rulingReason: text(ruled.details?.reason),
                  reply: text(ruled.details?.reply),
                  grounds: text(ruled.details?.grounds),
                }
              : {}),
          },
        }
      : {}),
    evidence: input.evidence.map((item, i) => ({
      name: item.name,
      contentType: item.contentType,
      size: item.size,
      sha256: item.sha256,
      addedAt: item.addedAt,
      path: evidencePath(i, item.name),
      ...(item.missing ? { missing: true as const } : {}),
    })),
    ...(forStaff
      ? {
          handling: {
            priority: c.priority,
            flagged: c.flagged,
            flagReasons: c.flagReasons,
            currentStep: c.currentStep,
            level: c.level,
            assignee: c.assignee,
            handler: c.handler,
            deadlineAt: c.deadlineAt,
            respondentEmail: c.respondentEmail,
            enteredBy: c.enteredBy,
            satisfaction: c.satisfaction,
          },
        }
      : {}),
  };
}
