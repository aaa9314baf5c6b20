import { z } from 'zod';
import type { DeskConfig } from './config';
import { findCategory } from './config';
import { describeIssues, type FieldError } from './field-errors';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from './language';
import type { ComplaintStatus, HumanStep } from './lifecycle';
import { deadlineAfter } from './service-levels';

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

export const CHANNELS = ['web', 'api', 'hotline', 'social'] as const;
export const SUBJECT_TYPES = ['post', 'user', 'moderator', 'service', 'other'] as const;

const text = (max: number, min = 1) => z.string().trim().min(min).max(max);
const isoDateTime = z.iso.datetime({ offset: true });

export const complaintIntakeSchema = z
  .object({
    channel: z.enum(CHANNELS),
    complainant: z
      .object({
        name: text(LIMITS.name),
        email: z.email().max(LIMITS.email),
        phone: z.string().trim().regex(/^\+?[0-9 ()-]{5,}$/, 'phone').max(LIMITS.phone).optional(),
        language: z.enum(LANGUAGES).optional(),
      })
      .strict(),
    category: text(40),
    subject: z
      .object({
        type: z.enum(SUBJECT_TYPES),
        ref: text(LIMITS.ref).optional(),
        name: text(LIMITS.subjectName).optional(),
      })
      .strict(),
    description: text(LIMITS.description.max, LIMITS.description.min),
    desiredOutcome: text(LIMITS.desiredOutcome).optional(),
    occurredAt: z.union([isoDateTime, z.array(isoDateTime).min(1).max(LIMITS.occurredAt)]).optional(),
    contactHistory: text(LIMITS.contactHistory).optional(),
  })
  .strict();

export type ComplaintIntake = z.output<typeof complaintIntakeSchema>;

export type IntakeResult = { ok: true; intake: ComplaintIntake; language: Language } | { ok: false; errors: FieldError[]; language: Language };

/** The language to answer in: the complainant's own when the body names a valid one. */
export function intakeLanguage(body: unknown, fallback: Language = DEFAULT_LANGUAGE): Language {
  const language = (body as { complainant?: { language?: unknown } } | null)?.complainant?.language;
  return isLanguage(language) ? language : fallback;
}

/**
 * Validates a complaint as posted. Returns every bad field at once, in the complainant's
 * language, so a form can mark them all.
 */
export function validateComplaintIntake(body: unknown, config: DeskConfig, fallbackLanguage: Language = DEFAULT_LANGUAGE): IntakeResult {
  const language = intakeLanguage(body, fallbackLanguage);
  const parsed = complaintIntakeSchema.safeParse(body, { reportInput: true });
  const errors = parsed.success ? [] : describeIssues(parsed.error.issues, language);
  if (parsed.success && !findCategory(config, parsed.data.category)) {
    const ids = config.categories.map((c) => c.id);
    errors.push({
      path: 'category',
      message: language === 'zh-CN' ? `没有这个类别；可选：${ids.join('、')}` : `unknown category; one of: ${ids.join(', ')}`,
    });
  }
  if (parsed.success && parsed.data.subject.ref && parsed.data.subject.type === 'post' && /^[a-z]+:/i.test(parsed.data.subject.ref) && !/^https?:\/\//i.test(parsed.data.subject.ref)) {
    errors.push({ path: 'subject.ref', message: language === 'zh-CN' ? '链接必须以 http:// 或 https:// 开头' : 'a link must start with http:// or https://' });
  }
  if (!parsed.success || errors.length > 0) return { ok: false, errors, language };
  return { ok: true, intake: parsed.data, language };
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
  currentStep?: HumanStep;
  assignee?: string;
  deadlineAt?: string;
}

/**
 * A new complaint from a valid intake: status `received`, the acceptance deadline counted from
 * receipt (seed 002: 24 h), and the marker that its workflow is yet to be confirmed started.
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
    acceptanceDeadlineAt: deadlineAfter(input.now, input.config.serviceLevels.acceptanceSeconds, input.clockScale).toISOString(),
    workflowPending: input.workflowPendingShard,
  };
}
