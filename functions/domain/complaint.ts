import * as z from 'zod/mini';
import type { DeskConfig } from './config';
import { findCategory, serviceLevelsFor } from './desk';
import { describeIssues, type FieldError } from './field-errors';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from './language';
import type { ComplaintStatus, HumanStep, Outcome, PausedStep } from './lifecycle';
import { acceptanceDeadline } from './deadlines';
import { CHANNEL_PREFERENCES } from './notice';
import { normaliseMobile } from './phone';

/** The limits on what a complainant may send; the form's hints use the same numbers. */
export const LIMITS = {
  name: 100,
  email: 254,
  phone: 32,
  ref: 2000,
  subjectName: 200,
  description: { min: 10, max: 5000 },
  desiredOutcome: 2000,
  contactHistory: 3000,
  occurredAt: 10,
} as const;

/** Every way a complaint arrives: the public form and API, staff entering a call or a message, and mail. */
export const CHANNELS = ['web', 'api', 'hotline', 'social', 'app', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];
/** What the public POST /complaints takes; the others are entered by staff or arrive by mail. */
export const PUBLIC_CHANNELS = ['web', 'api'] as const satisfies readonly Channel[];
/** What staff enter on a complainant's behalf. */
export const STAFF_CHANNELS = ['hotline', 'social', 'app'] as const satisfies readonly Channel[];
export const SUBJECT_TYPES = ['post', 'user', 'moderator', 'service', 'other'] as const;

// zod/mini, imported as a namespace: the same checks and issues as zod, and a function bundles
// only the parts it calls.
const text = (max: number, min = 1) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

const intakeSchemaFor = (channels: readonly [Channel, ...Channel[]]) => {
  const isoDateTime = z.iso.datetime({ offset: true });
  return z.strictObject({
    channel: z.enum(channels),
    complainant: z.strictObject({
      name: text(LIMITS.name),
      // Required on the public form and API; staff may enter a caller who gave only a mobile number.
      email: z.optional(z.email().check(z.maxLength(LIMITS.email))),
      phone: z.optional(z.string().check(z.trim(), z.regex(/^\+?[0-9 ()-]{5,}$/, 'phone'), z.maxLength(LIMITS.phone))),
      /** How the complainant wants to hear from the desk; email when they gave an address, else texts. */
      contactBy: z.optional(z.enum(CHANNEL_PREFERENCES)),
      language: z.optional(z.enum(LANGUAGES)),
    }),
    category: text(40),
    subject: z.strictObject({
      type: z.enum(SUBJECT_TYPES),
      ref: z.optional(text(LIMITS.ref)),
      name: z.optional(text(LIMITS.subjectName)),
    }),
    description: text(LIMITS.description.max, LIMITS.description.min),
    desiredOutcome: z.optional(text(LIMITS.desiredOutcome)),
    occurredAt: z.optional(
      z.union([isoDateTime, z.array(isoDateTime).check(z.minLength(1), z.maxLength(LIMITS.occurredAt))]),
    ),
    contactHistory: z.optional(text(LIMITS.contactHistory)),
  });
};

export type ComplaintIntake = z.output<ReturnType<typeof intakeSchemaFor>>;
const schemas = new Map<string, ReturnType<typeof intakeSchemaFor>>();
/** The intake schema of an entry point that takes these channels (validation and the API description share it). */
export function complaintIntakeSchemaFor(channels: readonly Channel[]) {
  return schemaFor(channels);
}
function schemaFor(channels: readonly Channel[]) {
  const key = channels.join(',');
  if (!schemas.has(key)) schemas.set(key, intakeSchemaFor(channels as [Channel, ...Channel[]]));
  return schemas.get(key)!;
}

export type IntakeResult =
  | { ok: true; intake: ComplaintIntake; language: Language }
  | { ok: false; errors: FieldError[]; language: Language };

/** The language to answer in: the complainant's own when the body names a valid one. */
export function intakeLanguage(body: unknown, fallback: Language = DEFAULT_LANGUAGE): Language {
  const language = (body as { complainant?: { language?: unknown } } | null)?.complainant?.language;
  return isLanguage(language) ? language : fallback;
}

/**
 * Validates a complaint as posted. Returns every bad field at once, in the complainant's
 * language, so a form can mark them all.
 */
export function validateComplaintIntake(
  body: unknown,
  config: DeskConfig,
  fallbackLanguage: Language = DEFAULT_LANGUAGE,
  channels: readonly Channel[] = PUBLIC_CHANNELS,
): IntakeResult {
  const language = intakeLanguage(body, fallbackLanguage);
  const parsed = schemaFor(channels).safeParse(body, { reportInput: true });
  const errors = parsed.success ? [] : describeIssues(parsed.error.issues, language);
  if (parsed.success && !findCategory(config, parsed.data.category)) {
    const ids = config.categories.map((c) => c.id);
    errors.push({
      path: 'category',
      message:
        language === 'zh-CN' ? `没有这个类别；可选：${ids.join('、')}` : `unknown category; one of: ${ids.join(', ')}`,
    });
  }
  // A ref may be an id (uid-55102, wxid_7f3k2) or a link; whatever looks like a link (a scheme,
  // or www.) must be a well-formed http(s) URL: pages render it, and javascript: must never pass.
  const ref = parsed.success ? parsed.data.subject.ref : undefined;
  if (ref && (/^[a-z][a-z0-9+.-]*:/i.test(ref) || /^www\./i.test(ref)) && !isHttpUrl(ref)) {
    errors.push({
      path: 'subject.ref',
      message:
        language === 'zh-CN'
          ? '链接必须是以 http:// 或 https:// 开头的有效网址'
          : 'a link must be a valid URL starting with http:// or https://',
    });
  }
  if (parsed.success) errors.push(...contactErrors(parsed.data, channels, config, language));
  if (!parsed.success || errors.length > 0) return { ok: false, errors, language };
  return { ok: true, intake: parsed.data, language };
}

/**
 * A complainant must be reachable the way they asked: an email address on the public form and
 * API; for staff entry an address or a mobile number. A mobile number is kept in E.164 (and
 * refused when it is not a mobile's); the preference defaults to email when an address is given.
 * Mends `intake` in place (the number normalised, the preference set).
 */
function contactErrors(
  intake: ComplaintIntake,
  channels: readonly Channel[],
  config: DeskConfig,
  language: Language,
): FieldError[] {
  const zh = language === 'zh-CN';
  const who = intake.complainant;
  const errors: FieldError[] = [];
  const staffEntry = channels.every((channel) => (STAFF_CHANNELS as readonly Channel[]).includes(channel));
  if (!who.email && !staffEntry) errors.push({ path: 'complainant.email', message: zh ? '必填' : 'is required' });
  if (!who.email && !who.phone && staffEntry) {
    errors.push({
      path: 'complainant.email',
      message: zh ? '请填写邮箱或手机号码（至少一项）' : 'give an email address or a mobile number (at least one)',
    });
    return errors;
  }
  if (who.phone) {
    const checked = normaliseMobile(who.phone, config.sms.defaultCountry);
    if (checked.ok) who.phone = checked.e164;
    else errors.push({ path: 'complainant.phone', message: checked.message[language] });
  }
  who.contactBy ??= who.email ? 'email' : 'sms';
  if (who.contactBy !== 'email' && !who.phone)
    errors.push({
      path: 'complainant.phone',
      message: zh ? '选择短信通知时必须填写手机号码' : 'is required to be told by text',
    });
  if (who.contactBy !== 'sms' && !who.email && (who.phone || !staffEntry))
    errors.push({
      path: 'complainant.email',
      message: zh ? '选择邮件通知时必须填写邮箱' : 'is required to be told by email',
    });
  return errors;
}

function isHttpUrl(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    return !!new URL(text).hostname;
  } catch {
    return false;
  }
}

/** A complaint as stored: what was filed, where it stands, and who holds it now. */
export interface ComplaintRecord extends ComplaintIntake {
  id: string;
  number: string;
  status: ComplaintStatus;
  language: Language;
  /** Salt of the tracking token; a new salt revokes the old link. */
  trackingSalt: string;
  receivedAt: string;
  updatedAt: string;
  acceptanceDeadlineAt: string;
  acknowledgedAt?: string;
  /** Present until the workflow start is confirmed: the shard of the byWorkflowPending index. */
  workflowPending?: string;
  workflowStartedAt?: string;
  /** The running execution (the main one, or the review's after a reopened case). */
  executionArn?: string;
  /**
   * While open: when the case should next have moved (domain/stalled.ts `movesBy`), written with
   * each change of its state, and its time bucket and shard: the bySweepDue index, which the
   * stalled-case sweep reads for the cases whose time has passed. Removed when the case closes.
   */
  sweepDueAt?: string;
  sweepDue?: string;

  // ---- Where the workflow stands
  currentStep?: HumanStep;
  /** Escalation level of the current step: 0 assignee, 1 supervisor, 2 manager, 3 breached. */
  level?: number;
  assignee?: string;
  /**
   * Absolute deadline of the current step (the byAssignee index sorts on it). Escalation never
   * moves it: an escalated or breached task is late since this instant.
   */
  deadlineAt?: string;
  /**
   * While the step is escalated (level > 0): when the workflow's timer on its task runs out, the
   * holder's grace period or, once breached, the next daily reminder. The task's link takes
   * decisions until then.
   */
  timerAt?: string;
  /** While the step is escalated: who held it at level 0, so they keep it in sight (byEscalatedFrom). */
  escalatedFrom?: string;
  /** Its place in the work queues while staff hold its step (queue.ts queuePosition; the byTeam index sorts on it). */
  queuePosition?: string;
  /** Its team's work-queue partition, set at intake (queue.ts teamKeyOf; the byTeam index). */
  teamKey?: string;
  /** Years without holiday data the current deadline ran into (counted as ordinary weekdays): the deadline is provisional. */
  deadlineProvisional?: number[];
  /** Hash of the current step's task link, so the link can be found from the complaint. */
  currentTaskLinkHash?: string;
  /** The handler who accepted the case and owns its investigation and reply. */
  handler?: string;
  /** Set once a step ran out of escalations; the manager can still act. */
  breached?: boolean;
  /** When the complainant was told, once, that the case is late and by when to expect it. */
  delayNoticeSentAt?: string;
  outcome?: Outcome;
  closedAt?: string;
  /** DynamoDB TTL (epoch seconds): set when the case closes, at least retentionDays later. */
  expiresAt?: number;
  /** Set when a review (复核) ruled: later complaints on the same matter are malicious. */
  finalRulingAt?: string;
  reviewRequestedAt?: string;
  repliedAt?: string;
  /** The state a re-driven execution starts at (`Begin<Step>`), written as each step begins. */
  workflowResumeAt?: string;
  /** The acceptance-review deadline is here from intake; investigation's from acceptance. */
  investigationDeadlineAt?: string;
  /** A staff step paused while a message awaits its answer (domain/messages.ts): resumed with `remainingMs` left. */
  paused?: PausedStep;
  /** Closed as `merged`: the case it was merged into (its evidence and messages show there). */
  mergedInto?: { id: string; number: string };
  /** The handler's open question (information request or respondent statement). */
  pendingQuestion?: string;
  respondentEmail?: string;
  /** The reply as sent (result, grounds, follow-up); replaced by an overturning review. */
  reply?: { reply: string; grounds?: string; followUp?: string };
  satisfaction?: number;
  /** Decision timestamp of the last step recorded, so a retried record step does nothing twice. */
  lastDecisionAt?: string;

  // ---- Intake and self-service
  /** sha256 of the lowercased email (intake-rules.ts): the byComplainant index. */
  complainantKey?: string;
  /** The matter complained about, normalised and hashed (intake-rules.ts): the bySubject index. */
  subjectKey?: string;
  /** 1 is handled first: privacy & security, then prior communication shown (intake-rules.ts priorityOf). */
  priority?: 1 | 2 | 3 | 4;
  /** Held for review: the text exposes private data or attacks a person. Never show it to the respondent. */
  flagged?: boolean;
  flagReasons?: string[];
  /** Later filings of the same matter by the same complainant, linked to this case. */
  duplicateCount?: number;
  /** Evidence files recorded on the complaint (record-evidence). */
  evidenceCount?: number;
  /** The respondent's files recorded, and their uploads handed out: an allowance apart (evidenceLimitsFor). */
  respondentEvidenceCount?: number;
  respondentUploadsIssued?: number;
  /** The last reminder (催办); at most one per `intake.reminderHours`. */
  lastReminderAt?: string;
  /** The staff member who entered the complaint on the complainant's behalf (hotline, social, app). */
  enteredBy?: string;
  /** The staff member who attached the caller's evidence at entry: the complainant is not asked for it. */
  evidenceEnteredBy?: string;

  // ---- Personal-data rights (domain/erasure.ts)
  /** When the complainant asked for their data to be erased, and by when the desk must have done it. */
  erasureRequestedAt?: string;
  erasureDueAt?: string;
  /** While an erasure waits (and no hold defers it): the byPurgeDue index's day-and-shard key and its due time. */
  purgeDue?: string;
  purgeDueAt?: string;
  /** A legal hold (a dispute before a regulator or court): erasure and expiry wait for its release. */
  legalHold?: { reason: string; by: string; at: string };
  /** The record's expiry while a legal hold keeps it (restored on release). */
  heldExpiresAt?: number;
  /** The purge has claimed the case for erasure (no hold may be placed from then on). */
  erasingAt?: string;
  /** A new contact address waiting to be confirmed from its own mailbox (domain/correction.ts). */
  pendingEmail?: { address: string; codeHash: string; expiresAt: string };
  /** The keys of what the desk keeps under each address the case left, for its purge (erasure.ts FormerAddress). */
  formerAddresses?: { complainantKey: string; suppressionHash?: string }[];
  /** When the case's personal data were erased (what is left: erasure.ts erasedRecord). */
  erasedAt?: string;
}

/**
 * A new complaint from a valid intake: status `received`, the acceptance deadline counted from
 * receipt (24 h by default), and the marker that its workflow is yet to be confirmed started.
 */
export function newComplaintRecord(input: {
  intake: ComplaintIntake;
  language: Language;
  id: string;
  number: string;
  trackingSalt: string;
  workflowPendingShard: string;
  now: Date;
  config: DeskConfig;
  clockScale: number;
  /** Intake priority (intake-rules.ts priorityOf); its service levels apply from receipt. */
  priority?: 1 | 2 | 3 | 4;
}): ComplaintRecord {
  const receivedAt = input.now.toISOString();
  return {
    ...input.intake,
    complainant: { ...input.intake.complainant, language: input.language },
    id: input.id,
    number: input.number,
    status: 'received',
    language: input.language,
    trackingSalt: input.trackingSalt,
    receivedAt,
    updatedAt: receivedAt,
    acceptanceDeadlineAt: acceptanceDeadline(
      input.now,
      serviceLevelsFor(input.config, input.intake.category, input.priority),
      input.clockScale,
    ).toISOString(),
    ...(input.priority ? { priority: input.priority } : {}),
    workflowPending: input.workflowPendingShard,
  };
}
