import type { FieldError } from './field-errors';
import type { Language } from './language';
import {
  HUMAN_STEPS,
  REJECTION_REASONS,
  STEP_DEFINITIONS,
  type HumanStep,
  type Outcome,
  type PausableStep,
  type PausedStep,
  type RejectionReason,
} from './lifecycle';

/** What a handler did about a complaint during investigation. */
export const INVESTIGATION_ACTIONS = [
  'remove-content-and-warn',
  'restore-account-and-apologise',
  'privacy-measures',
  'other',
] as const;
export type InvestigationAction = (typeof INVESTIGATION_ACTIONS)[number];

/**
 * A decision on a step, as the workflow receives it. The form field names are a public contract
 * (integrations post them): `decision`, and free text as `reason`, `question`, `answer`,
 * `findings`, `actions`, `respondentEmail`, `statement`, `reply`, `grounds`, `followUp`,
 * `rating`, `comment`, `note`.
 */
export type StepDecision =
  | { step: 'evidence'; decision: 'evidence-received' }
  | { step: 'acceptance'; decision: 'accept'; note?: string }
  | { step: 'acceptance'; decision: 'reject'; reason: RejectionReason; note?: string; message?: string }
  | { step: 'acceptance'; decision: 'request-info'; question: string; note?: string }
  | { step: 'information'; decision: 'answer'; answer: string }
  | {
      step: 'investigation';
      decision: 'record-findings';
      findings: string;
      actions: InvestigationAction[];
      note?: string;
    }
  | { step: 'investigation'; decision: 'request-statement'; respondentEmail: string; question: string; note?: string }
  | { step: 'statement'; decision: 'submit-statement'; statement: string }
  | { step: 'reply'; decision: 'send-reply'; reply: string; grounds: string; followUp?: string }
  | { step: 'survey'; decision: 'rate'; rating: number; comment?: string }
  | { step: 'survey'; decision: 'request-review'; reason: string }
  | { step: 'review'; decision: 'uphold'; reason: string }
  | { step: 'review'; decision: 'overturn'; reason: string; reply: string; grounds?: string }
  /** A staff step pauses while the message just sent awaits its answer (never posted on a form: app/send-message.ts). */
  | {
      step: PausableStep;
      decision: 'await-answer';
      to: PausedStep['to'];
      text: string;
      until: string;
      attachments?: MessageAttachment[];
    }
  | { step: 'answer'; decision: 'answer'; answer: string; by: PausedStep['to'] };

/** Decisions the system makes for a step, never offered on its form: a message's wait pauses the step. */
export const SYSTEM_DECISIONS = ['await-answer'] as const;

/** A file sent with a message: recorded like evidence, fetched by its recipient through their own link. */
export interface MessageAttachment {
  /** The evidence id the file was recorded under (record-evidence.ts). */
  id: string;
  name: string;
  contentType: string;
  size: number;
}

/** The decisions each step's form offers, in order (lifecycle.ts STEP_DEFINITIONS). */
export const STEP_DECISIONS = Object.fromEntries(
  HUMAN_STEPS.map((step): [HumanStep, readonly string[]] => [step, Object.keys(STEP_DEFINITIONS[step].decisions)]),
) as Readonly<Record<HumanStep, readonly string[]>>;

export const TEXT_LIMIT = 5000;
const SHORT_LIMIT = 2000;

export type FormInput = Record<string, string | string[] | undefined>;

function one(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  const trimmed = v?.trim();
  return trimmed ? trimmed : undefined;
}

function many(value: string | string[] | undefined): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[A-Za-z]{2,}$/;

/**
 * Reads and checks a decision posted on a step's page. Every problem is named by its field, in
 * the reader's language; nothing is decided unless all of it is right.
 */
export function parseStepDecision(
  step: HumanStep,
  form: FormInput,
  language: Language,
): { ok: true; decision: StepDecision } | { ok: false; errors: FieldError[] } {
  const zh = language === 'zh-CN';
  const errors: FieldError[] = [];
  const offered = STEP_DECISIONS[step];
  const decision = one(form.decision) ?? STEP_DEFINITIONS[step].defaultDecision;
  if (!decision || !offered.includes(decision)) {
    return {
      ok: false,
      errors: [
        { path: 'decision', message: zh ? `请选择：${offered.join('、')}` : `choose one of: ${offered.join(', ')}` },
      ],
    };
  }
  const text = (field: string, required: boolean, max = TEXT_LIMIT): string | undefined => {
    const value = one(form[field]);
    if (!value) {
      if (required) errors.push({ path: field, message: zh ? '必填' : 'is required' });
      return undefined;
    }
    if (value.length > max)
      errors.push({ path: field, message: zh ? `最多 ${max} 个字符` : `must be at most ${max} characters` });
    return value;
  };
  const note = text('note', false, SHORT_LIMIT);
  const withNote = <T extends object>(d: T) => (note ? { ...d, note } : d);
  let result: StepDecision | undefined;

  switch (`${step}:${decision}`) {
    case 'evidence:evidence-received':
      result = { step: 'evidence', decision: 'evidence-received' };
      break;
    case 'acceptance:accept':
      result = withNote({ step: 'acceptance', decision: 'accept' } as const);
      break;
    case 'acceptance:reject': {
      const reason = one(form.reason);
      if (!reason || !(REJECTION_REASONS as readonly string[]).includes(reason)) {
        errors.push({
          path: 'reason',
          message: zh
            ? `请选择不予受理的理由：${REJECTION_REASONS.join('、')}`
            : `choose a reason: ${REJECTION_REASONS.join(', ')}`,
        });
      }
      // Optional words to the complainant beside the fixed reason (shown to them and mailed).
      const message = text('message', false, SHORT_LIMIT);
      result = withNote({
        step: 'acceptance',
        decision: 'reject',
        reason: reason as RejectionReason,
        ...(message ? { message } : {}),
      } as const);
      break;
    }
    case 'acceptance:request-info':
      result = withNote({
        step: 'acceptance',
        decision: 'request-info',
        question: text('question', true, SHORT_LIMIT)!,
      } as const);
      break;
    case 'information:answer':
      result = { step: 'information', decision: 'answer', answer: text('answer', true)! };
      break;
    case 'investigation:record-findings': {
      const actions = many(form.actions);
      const unknown = actions.filter((a) => !(INVESTIGATION_ACTIONS as readonly string[]).includes(a));
      if (unknown.length)
        errors.push({
          path: 'actions',
          message: zh
            ? `未知的措施：${unknown.join('、')}；可选：${INVESTIGATION_ACTIONS.join('、')}`
            : `unknown action(s): ${unknown.join(', ')}; one of: ${INVESTIGATION_ACTIONS.join(', ')}`,
        });
      result = withNote({
        step: 'investigation',
        decision: 'record-findings',
        findings: text('findings', true)!,
        actions: [...new Set(actions)] as InvestigationAction[],
      } as const);
      break;
    }
    case 'investigation:request-statement': {
      const respondentEmail = text('respondentEmail', true, 254);
      if (respondentEmail && !EMAIL.test(respondentEmail))
        errors.push({
          path: 'respondentEmail',
          message: zh ? '不是有效的电子邮件地址' : 'is not a valid email address',
        });
      result = withNote({
        step: 'investigation',
        decision: 'request-statement',
        respondentEmail: respondentEmail!,
        question: text('question', true, SHORT_LIMIT)!,
      } as const);
      break;
    }
    case 'statement:submit-statement':
      result = { step: 'statement', decision: 'submit-statement', statement: text('statement', true)! };
      break;
    case 'reply:send-reply': {
      const followUp = text('followUp', false, SHORT_LIMIT);
      result = {
        step: 'reply',
        decision: 'send-reply',
        reply: text('reply', true)!,
        grounds: text('grounds', true)!,
        ...(followUp ? { followUp } : {}),
      };
      break;
    }
    case 'survey:rate': {
      const raw = one(form.rating);
      const rating = Number(raw);
      if (!raw || !Number.isInteger(rating) || rating < 1 || rating > 5)
        errors.push({ path: 'rating', message: zh ? '请打 1 到 5 分' : 'must be a whole number from 1 to 5' });
      const comment = text('comment', false, SHORT_LIMIT);
      result = { step: 'survey', decision: 'rate', rating, ...(comment ? { comment } : {}) };
      break;
    }
    case 'survey:request-review':
      result = { step: 'survey', decision: 'request-review', reason: text('reason', true, SHORT_LIMIT)! };
      break;
    case 'review:uphold':
      result = { step: 'review', decision: 'uphold', reason: text('reason', true, SHORT_LIMIT)! };
      break;
    case 'review:overturn': {
      const grounds = text('grounds', false);
      result = {
        step: 'review',
        decision: 'overturn',
        reason: text('reason', true, SHORT_LIMIT)!,
        reply: text('reply', true)!,
        ...(grounds ? { grounds } : {}),
      };
      break;
    }
  }
  if (errors.length || !result) return { ok: false, errors };
  return { ok: true, decision: result };
}

/** Where the case goes after a decision: the next step, or closed with an outcome. */
export type NextStage = { next: HumanStep } | { next: 'closed'; outcome: Outcome };

/**
 * `paused`: the step a message's wait paused, which an answer (or the wait's lapse) resumes.
 */
export function stageAfter(decision: StepDecision, paused?: Pick<PausedStep, 'step'>): NextStage {
  if (decision.decision === 'await-answer') return { next: 'answer' };
  switch (decision.step) {
    case 'answer':
      return { next: paused?.step ?? 'investigation' };
    case 'evidence':
      return { next: 'acceptance' };
    case 'acceptance':
      return decision.decision === 'accept'
        ? { next: 'investigation' }
        : decision.decision === 'reject'
          ? { next: 'closed', outcome: 'rejected' }
          : { next: 'information' };
    case 'information':
      return { next: 'acceptance' };
    case 'investigation':
      return decision.decision === 'record-findings' ? { next: 'reply' } : { next: 'statement' };
    case 'statement':
      return { next: 'investigation' };
    case 'reply':
      return { next: 'survey' };
    case 'survey':
      return decision.decision === 'request-review' ? { next: 'review' } : { next: 'closed', outcome: 'resolved' };
    case 'review':
      return { next: 'closed', outcome: 'resolved' };
  }
}

/** When a complainant or respondent lets a step lapse: what happens instead. */
export function stageAfterLapse(step: HumanStep, paused?: Pick<PausedStep, 'step'>): NextStage {
  switch (step) {
    case 'answer':
      // The desk waited long enough: the paused step goes on without the answer.
      return { next: paused?.step ?? 'investigation' };
    case 'statement':
      return { next: 'investigation' };
    case 'survey':
      return { next: 'closed', outcome: 'resolved' };
    default:
      return { next: 'closed', outcome: 'abandoned' };
  }
}
