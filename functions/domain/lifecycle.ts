import type { Bilingual } from './language';

/** Where a complaint stands. The workflow moves it; every move is also an event. */
export const COMPLAINT_STATUSES = [
  'received',
  'awaiting-evidence',
  'acceptance-review',
  'awaiting-information',
  'investigation',
  'awaiting-statement',
  /** A staff step paused while the desk waits for an answer to its message (its clock stopped). */
  'awaiting-answer',
  'reply',
  'survey',
  'review',
  'closed',
  // Kept for records written by the walking skeleton; new records use `breached: true` instead.
  'accepted',
  'rejected',
  'breached',
] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const STATUS_LABELS: Record<ComplaintStatus, Bilingual> = {
  received: { 'zh-CN': '已收到', en: 'Received' },
  'awaiting-evidence': { 'zh-CN': '等待补充证据', en: 'Awaiting evidence' },
  'acceptance-review': { 'zh-CN': '受理审核中', en: 'Under acceptance review' },
  'awaiting-information': { 'zh-CN': '等待投诉人补充信息', en: 'Awaiting more information from you' },
  investigation: { 'zh-CN': '调查中', en: 'Under investigation' },
  'awaiting-statement': {
    'zh-CN': '调查中（等待被投诉方说明）',
    en: "Under investigation (awaiting the other party's statement)",
  },
  'awaiting-answer': { 'zh-CN': '等待回复我们的消息', en: 'Waiting for an answer to our message' },
  reply: { 'zh-CN': '正在答复', en: 'Reply being written' },
  survey: { 'zh-CN': '已答复，等待满意度评价', en: 'Replied; awaiting your rating' },
  review: { 'zh-CN': '复核中', en: 'Under review' },
  closed: { 'zh-CN': '已结案', en: 'Closed' },
  accepted: { 'zh-CN': '已受理', en: 'Accepted' },
  rejected: { 'zh-CN': '不予受理', en: 'Not accepted' },
  breached: { 'zh-CN': '已超时，等待主管处理', en: 'Overdue, waiting for a supervisor' },
};

/**
 * The statuses in the desk's words: whom the case waits on, said of the complainant in the third
 * person (STATUS_LABELS speak to the complainant: "awaiting more information from you").
 */
export const STAFF_STATUS_LABELS: Record<ComplaintStatus, Bilingual> = {
  ...STATUS_LABELS,
  'awaiting-evidence': { 'zh-CN': '等待投诉人补充证据', en: 'Waiting on the complainant’s evidence' },
  'awaiting-information': { 'zh-CN': '等待投诉人补充信息', en: 'Waiting on the complainant' },
  'awaiting-statement': { 'zh-CN': '等待被投诉方说明', en: 'Waiting on the respondent’s statement' },
  survey: { 'zh-CN': '已答复，等待投诉人评价', en: 'Replied; waiting on the complainant’s rating' },
  breached: { 'zh-CN': '已超时', en: 'Overdue' },
};

/** How a closed complaint ended. */
export const OUTCOMES = ['resolved', 'rejected', 'withdrawn', 'abandoned', 'merged'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABELS: Record<Outcome, Bilingual> = {
  resolved: { 'zh-CN': '已处理完毕', en: 'Resolved' },
  rejected: { 'zh-CN': '不予受理', en: 'Not accepted' },
  withdrawn: { 'zh-CN': '投诉人已撤回', en: 'Withdrawn by the complainant' },
  abandoned: { 'zh-CN': '因未在期限内回复而关闭', en: 'Closed for want of an answer in time' },
  merged: { 'zh-CN': '已并入您的另一件投诉', en: 'Merged into another complaint of yours' },
};

/**
 * The steps where the workflow waits for a person. Each is one task link, one assignee, one
 * deadline: staff steps (acceptance, investigation, reply, review) escalate when late;
 * complainant and respondent steps close or move on.
 */
export const HUMAN_STEPS = [
  'evidence',
  'acceptance',
  'information',
  'investigation',
  'statement',
  'reply',
  'survey',
  'review',
  'answer',
] as const;
export type HumanStep = (typeof HUMAN_STEPS)[number];

export type StepRole = 'handler' | 'supervisor' | 'complainant' | 'respondent';

export const STEP_ROLE: Record<HumanStep, StepRole> = {
  evidence: 'complainant',
  acceptance: 'handler',
  information: 'complainant',
  investigation: 'handler',
  statement: 'respondent',
  reply: 'handler',
  survey: 'complainant',
  review: 'supervisor',
  // Whoever the desk's message awaits (the record's `paused.to`): the complainant or the respondent.
  answer: 'complainant',
};

export const STEP_LABELS: Record<HumanStep, Bilingual> = {
  evidence: { 'zh-CN': '补充证据', en: 'Evidence' },
  acceptance: { 'zh-CN': '受理审核', en: 'Acceptance review' },
  information: { 'zh-CN': '补充信息', en: 'More information' },
  investigation: { 'zh-CN': '调查', en: 'Investigation' },
  statement: { 'zh-CN': '被投诉方说明', en: "Respondent's statement" },
  reply: { 'zh-CN': '答复', en: 'Reply' },
  survey: { 'zh-CN': '满意度调查', en: 'Satisfaction survey' },
  review: { 'zh-CN': '复核', en: 'Review' },
  answer: { 'zh-CN': '等待回复', en: 'Awaiting an answer' },
};

export const STEP_STATUS: Record<HumanStep, ComplaintStatus> = {
  evidence: 'awaiting-evidence',
  acceptance: 'acceptance-review',
  information: 'awaiting-information',
  investigation: 'investigation',
  statement: 'awaiting-statement',
  reply: 'reply',
  survey: 'survey',
  review: 'review',
  answer: 'awaiting-answer',
};

/**
 * The staff steps whose clock a message awaiting an answer pauses: the step waits (`answer`),
 * then resumes with the time it had left when the answer came or the wait ran out.
 */
export const PAUSABLE_STEPS = [
  'acceptance',
  'investigation',
  'reply',
  'review',
] as const satisfies readonly HumanStep[];
export type PausableStep = (typeof PAUSABLE_STEPS)[number];

/** A staff step paused for an answer: where it stood, and whose answer it waits for until when. */
export interface PausedStep {
  step: PausableStep;
  level: number;
  /** What was left of the step's deadline when it paused (real milliseconds, so scaled like every deadline). */
  remainingMs: number;
  /** The same in service-level time (working seconds under the step's calendar): what the step resumes with. */
  remainingServiceSeconds?: number;
  to: 'complainant' | 'respondent';
  /** The wait's own deadline: the step goes on without the answer then. */
  until: string;
  since: string;
}

export function isOpen(status: ComplaintStatus): boolean {
  return status !== 'closed' && status !== 'rejected';
}

export const REJECTION_REASONS = ['out-of-scope', 'insufficient-evidence', 'duplicate', 'malicious'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** What the complainant is told for each refusal reason. */
export const REJECTION_EXPLANATIONS: Record<RejectionReason, Bilingual> = {
  'out-of-scope': {
    'zh-CN':
      '该事项不属于本平台的投诉受理范围（例如线下纠纷、版主依规则并说明理由的正常管理）。如涉及线下纠纷，可向消费者协会或相关主管部门反映。',
    en: 'This matter is outside what this platform handles (for example an offline dispute, or normal moderation with stated grounds). For offline disputes you may turn to a consumer association or the competent authority.',
  },
  'insufficient-evidence': {
    'zh-CN': '现有材料不足以核实投诉内容。您可补充截图、链接、日志等证据后重新提交。',
    en: 'The material provided is not enough to verify the complaint. You may file again with screenshots, links, logs or other evidence.',
  },
  duplicate: {
    'zh-CN': '该事项与您已提交、仍在处理中的投诉重复，将在原投诉中一并处理。',
    en: 'This duplicates a complaint of yours that is still open; it will be handled there.',
  },
  malicious: {
    'zh-CN': '该事项已有最终处理结论，重复投诉视为恶意投诉。',
    en: 'This matter already has a final ruling; repeating it counts as a malicious complaint.',
  },
};

export const REJECTION_LABELS: Record<RejectionReason, Bilingual> = {
  'out-of-scope': { 'zh-CN': '不属于受理范围', en: 'Out of scope' },
  'insufficient-evidence': { 'zh-CN': '证据不足', en: 'Insufficient evidence' },
  duplicate: { 'zh-CN': '重复投诉', en: 'Duplicate' },
  malicious: { 'zh-CN': '恶意投诉', en: 'Malicious' },
};
