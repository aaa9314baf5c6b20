import type { FieldError } from './field-errors';
import type { ComplaintEvent } from './history';
import type { Language } from './language';
import { PAUSABLE_STEPS, type HumanStep, type PausableStep, type PausedStep } from './lifecycle';
import type { MessageAttachment } from './steps';

/**
 * The conversation: the desk writes to the complainant or the respondent at any step; with
 * `awaitAnswer` the current staff step's clock stops until the answer comes (or the wait's own
 * deadline passes) and then runs on with the time it had left. Plain rules; the use cases in
 * app/send-message.ts and app/receive-answer.ts write and send.
 */

export type MessageRecipient = PausedStep['to'];
export const MESSAGE_RECIPIENTS = ['complainant', 'respondent'] as const satisfies readonly MessageRecipient[];

export const MESSAGE_TEXT_LIMIT = 5000;
/** The longest wait a message may ask for, and the default, in days of the desk's (scaled) time. */
export const MAX_WAIT_DAYS = 30;

/** A message the desk sent, as its event and its email carry it. */
export interface SentMessage {
  to: MessageRecipient;
  text: string;
  /** The staff member who wrote it. */
  by: string;
  at: string;
  /** Set when the message awaits an answer: the wait's deadline. */
  awaitUntil?: string;
  attachments: MessageAttachment[];
}

/** The event a sent message writes: the complainant's side carries its text as the complainant reads it; the respondent's is staff-only. */
export function messageEvent(message: SentMessage, actor: string): ComplaintEvent {
  const details: Record<string, unknown> = {
    to: message.to,
    text: message.text,
    by: message.by,
    ...(message.awaitUntil ? { awaitUntil: message.awaitUntil } : {}),
    ...(message.attachments.length
      ? { attachments: message.attachments.map(({ id, name, contentType, size }) => ({ id, name, contentType, size })) }
      : {}),
  };
  if (message.to === 'complainant') details.complainantNote = { 'zh-CN': message.text, en: message.text };
  return {
    at: message.at,
    actor,
    action: message.to === 'complainant' ? 'message.to-complainant' : 'message.to-respondent',
    details,
  };
}

/** A message as posted (form or JSON), checked. */
export interface MessageInput {
  to: MessageRecipient;
  text: string;
  awaitAnswer: boolean;
  /** With awaitAnswer: an instant (ISO 8601 with offset), or a number of days. */
  answerBy?: string;
  answerWithinDays?: number;
  /** Upload slots of files staff attached (each recorded and checked as evidence first). */
  attachments: string[];
}

const first = (value: unknown): unknown => (Array.isArray(value) ? value[value.length - 1] : value);
const truthy = (value: unknown) => {
  const v = first(value);
  return v === true || v === 'true' || v === '1' || v === 'on' || v === 'yes';
};

/**
 * Reads a message (`to`, `text`, optional `awaitAnswer` with `answerBy` or `answerWithinDays`,
 * optional `attachments`: upload slots). Every bad field is named, in the reader's language.
 */
export function parseMessage(
  body: Record<string, unknown>,
  language: Language,
): { ok: true; message: MessageInput } | { ok: false; errors: FieldError[] } {
  const zh = language === 'zh-CN';
  const errors: FieldError[] = [];
  const to = first(body.to);
  if (to !== 'complainant' && to !== 'respondent')
    errors.push({
      path: 'to',
      message: zh ? '请选择：complainant、respondent' : 'choose one of: complainant, respondent',
    });
  const rawText = first(body.text);
  const text = typeof rawText === 'string' ? rawText.trim() : '';
  if (!text) errors.push({ path: 'text', message: zh ? '必填' : 'is required' });
  else if (text.length > MESSAGE_TEXT_LIMIT)
    errors.push({
      path: 'text',
      message: zh ? `最多 ${MESSAGE_TEXT_LIMIT} 个字符` : `must be at most ${MESSAGE_TEXT_LIMIT} characters`,
    });
  const awaitAnswer = truthy(body.awaitAnswer);
  const answerByRaw = first(body.answerBy);
  const answerBy = typeof answerByRaw === 'string' && answerByRaw.trim() ? answerByRaw.trim() : undefined;
  const daysRaw = first(body.answerWithinDays);
  const days = daysRaw === undefined || daysRaw === '' ? undefined : Number(daysRaw);
  if (awaitAnswer && answerBy !== undefined) {
    const parsed = Date.parse(answerBy);
    if (!/T.*(Z|[+-]\d{2}:?\d{2})$/i.test(answerBy) || Number.isNaN(parsed))
      errors.push({
        path: 'answerBy',
        message: zh ? '须为带时区的时间（ISO 8601）' : 'must be a date and time with its offset (ISO 8601)',
      });
  }
  if (awaitAnswer && days !== undefined && (!Number.isInteger(days) || days < 1 || days > MAX_WAIT_DAYS))
    errors.push({
      path: 'answerWithinDays',
      message: zh ? `请填 1 到 ${MAX_WAIT_DAYS} 的整数` : `must be a whole number from 1 to ${MAX_WAIT_DAYS}`,
    });
  const attachments = parseAttachmentIds(body.attachments, language, errors);
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    message: {
      to: to as MessageRecipient,
      text,
      awaitAnswer,
      ...(awaitAnswer && answerBy ? { answerBy } : {}),
      ...(awaitAnswer && days !== undefined ? { answerWithinDays: days } : {}),
      attachments,
    },
  };
}

/**
 * A message's `attachments`: upload ids (a list, or comma-separated as a form sends them), at
 * most 10, each well-formed; what is wrong is added to `errors`.
 */
export function parseAttachmentIds(value: unknown, language: Language, errors: FieldError[]): string[] {
  const zh = language === 'zh-CN';
  const ids = [value ?? []]
    .flat()
    .flatMap((v) => (typeof v === 'string' ? v.split(',') : []))
    .map((v) => v.trim())
    .filter(Boolean);
  if (ids.length > 10) errors.push({ path: 'attachments', message: zh ? '最多 10 个附件' : 'at most 10 attachments' });
  if (ids.some((slot) => !/^[A-Za-z0-9_-]{8,64}$/.test(slot)))
    errors.push({ path: 'attachments', message: zh ? '附件编号无效' : 'an attachment id is not valid' });
  return [...new Set(ids)];
}

export const isPausable = (step: HumanStep | undefined): step is PausableStep =>
  !!step && (PAUSABLE_STEPS as readonly string[]).includes(step);

/**
 * Whether a message's answer ends the case's wait: the case waits (`answer` step) for that party.
 */
export function answersWait(
  complaint: { currentStep?: HumanStep; paused?: Pick<PausedStep, 'to'> },
  from: MessageRecipient,
): boolean {
  return complaint.currentStep === 'answer' && complaint.paused?.to === from;
}
