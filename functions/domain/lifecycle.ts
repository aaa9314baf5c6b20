import type { ServiceLevels } from './config';
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

/** Who acts on a step: its task link's role. */
export type StepRole = 'handler' | 'supervisor' | 'complainant' | 'respondent';

/**
 * Who a step goes to before any escalation (assignment.ts): one of the team's handlers spread by
 * case, the handler who accepted the case, a reviewer who decided no step of it, the complainant,
 * the respondent, or whoever the desk's message awaits.
 */
export type StepAssignee = 'team-handler' | 'case-handler' | 'reviewer' | 'complainant' | 'respondent' | 'awaited';

/** A service level (config `serviceLevels`, in seconds) that times a step. */
export type StepServiceLevel = {
  [K in keyof ServiceLevels]-?: ServiceLevels[K] extends number ? K : never;
}[keyof ServiceLevels];

/**
 * A step where the workflow waits for a person, defined once: the deadlines, assignment, task
 * links, queues, escalation, history, task page, mails and figures read it from here. Each step is
 * one task link, one assignee, one deadline: staff steps (handler, supervisor) escalate when late;
 * complainant and respondent steps close or move on (steps.ts stageAfterLapse).
 */
export interface StepDefinition {
  role: StepRole;
  assignee: StepAssignee;
  /** Where the complaint stands while the step is open. */
  status: ComplaintStatus;
  /** The step's name on every page, mail and figure. */
  label: Bilingual;
  /** The service level its deadline counts (deadlines.ts openingDeadline). */
  deadline: StepServiceLevel;
  /** The decisions its form offers, in order, with what they are called (steps.ts parses each). */
  decisions: Readonly<Record<string, Bilingual>>;
  /** The decision taken when `decision` is left out: steps with one main action; staff choices must be explicit. */
  defaultDecision?: string;
  /** A message awaiting an answer pauses the step's clock, which then resumes with the time it had left. */
  pausable?: true;
  /**
   * The complainant's history line when the step is first handed to someone: words of its own,
   * the step's name with "assigned to a handler", or nothing (its request has its own line).
   */
  assignedLine: Bilingual | 'step-assigned' | 'nothing';
  /** Its task page: the button, what stands above the form, the form's heading, and a review request beside it. */
  page: { submit: Bilingual; above?: 'question' | 'reply'; heading?: Bilingual; reviewRequest?: true };
}

const STEPS = {
  evidence: {
    role: 'complainant',
    assignee: 'complainant',
    status: 'awaiting-evidence',
    label: { 'zh-CN': '补充证据', en: 'Evidence' },
    deadline: 'evidenceSeconds',
    decisions: { 'evidence-received': { 'zh-CN': '已收到证据', en: 'Evidence received' } },
    defaultDecision: 'evidence-received',
    assignedLine: { 'zh-CN': '请您上传证据', en: 'We asked you for evidence' },
    page: { submit: { 'zh-CN': '提交', en: 'Submit' } },
  },
  acceptance: {
    role: 'handler',
    assignee: 'team-handler',
    status: 'acceptance-review',
    label: { 'zh-CN': '受理审核', en: 'Acceptance review' },
    deadline: 'acceptanceSeconds',
    decisions: {
      accept: { 'zh-CN': '受理：属实、有效、属于受理范围', en: 'Accept: genuine, valid and in scope' },
      reject: { 'zh-CN': '不予受理', en: 'Reject' },
      'request-info': { 'zh-CN': '要求投诉人补充信息', en: 'Ask the complainant for more information' },
    },
    pausable: true,
    assignedLine: 'step-assigned',
    page: { submit: { 'zh-CN': '提交决定', en: 'Submit decision' } },
  },
  information: {
    role: 'complainant',
    assignee: 'complainant',
    status: 'awaiting-information',
    label: { 'zh-CN': '补充信息', en: 'More information' },
    deadline: 'informationSeconds',
    decisions: { answer: { 'zh-CN': '提交补充信息', en: 'Send my answer' } },
    defaultDecision: 'answer',
    assignedLine: 'nothing',
    page: { submit: { 'zh-CN': '提交', en: 'Send' }, above: 'question' },
  },
  investigation: {
    role: 'handler',
    assignee: 'case-handler',
    status: 'investigation',
    label: { 'zh-CN': '调查', en: 'Investigation' },
    deadline: 'investigationSeconds',
    decisions: {
      'record-findings': { 'zh-CN': '记录调查结果', en: 'Record the findings' },
      'request-statement': { 'zh-CN': '请被投诉方说明', en: 'Ask the respondent for a statement' },
    },
    pausable: true,
    assignedLine: 'step-assigned',
    page: { submit: { 'zh-CN': '提交', en: 'Submit' } },
  },
  statement: {
    role: 'respondent',
    assignee: 'respondent',
    status: 'awaiting-statement',
    label: { 'zh-CN': '被投诉方说明', en: "Respondent's statement" },
    deadline: 'statementSeconds',
    decisions: { 'submit-statement': { 'zh-CN': '提交说明', en: 'Send my statement' } },
    defaultDecision: 'submit-statement',
    assignedLine: 'nothing',
    page: { submit: { 'zh-CN': '提交说明', en: 'Send statement' }, above: 'question' },
  },
  reply: {
    role: 'handler',
    assignee: 'case-handler',
    status: 'reply',
    label: { 'zh-CN': '答复', en: 'Reply' },
    deadline: 'replySeconds',
    decisions: { 'send-reply': { 'zh-CN': '发送答复', en: 'Send the reply' } },
    defaultDecision: 'send-reply',
    pausable: true,
    assignedLine: 'step-assigned',
    page: { submit: { 'zh-CN': '发送答复', en: 'Send reply' } },
  },
  survey: {
    role: 'complainant',
    assignee: 'complainant',
    status: 'survey',
    label: { 'zh-CN': '满意度调查', en: 'Satisfaction survey' },
    deadline: 'surveySeconds',
    decisions: {
      rate: { 'zh-CN': '提交评价', en: 'Send my rating' },
      'request-review': { 'zh-CN': '申请复核', en: 'Ask for a review' },
    },
    defaultDecision: 'rate',
    assignedLine: { 'zh-CN': '请您评价处理结果', en: 'We asked you to rate the outcome' },
    page: {
      submit: { 'zh-CN': '提交评价', en: 'Send rating' },
      above: 'reply',
      heading: { 'zh-CN': '您的评价', en: 'Your rating' },
      reviewRequest: true,
    },
  },
  review: {
    role: 'supervisor',
    assignee: 'reviewer',
    status: 'review',
    label: { 'zh-CN': '复核', en: 'Review' },
    deadline: 'reviewSeconds',
    decisions: {
      uphold: { 'zh-CN': '维持原处理结果', en: 'Uphold the outcome' },
      overturn: { 'zh-CN': '撤销原处理结果并重新答复', en: 'Overturn it with a new reply' },
    },
    pausable: true,
    assignedLine: 'step-assigned',
    page: { submit: { 'zh-CN': '提交复核结论', en: 'Submit ruling' } },
  },
  /**
   * A staff step paused while its message awaits an answer: it belongs to whoever the message
   * awaits (the record's `paused.to`; its link's role says which), its deadline is the wait's own
   * (`paused.until`, the information service level by default), and its mail went with the message.
   */
  answer: {
    role: 'complainant',
    assignee: 'awaited',
    status: 'awaiting-answer',
    label: { 'zh-CN': '等待回复', en: 'Awaiting an answer' },
    deadline: 'informationSeconds',
    decisions: { answer: { 'zh-CN': '提交补充信息', en: 'Send my answer' } },
    assignedLine: 'nothing',
    page: { submit: { 'zh-CN': '发送', en: 'Send' } },
  },
} as const satisfies Record<string, StepDefinition>;

export type HumanStep = keyof typeof STEPS;

/** Every human step's definition, by step. */
export const STEP_DEFINITIONS: Readonly<Record<HumanStep, StepDefinition>> = STEPS;

/** The human steps, in the order of the definitions. */
export const HUMAN_STEPS = Object.keys(STEPS) as readonly HumanStep[];

const eachStep = <T>(pick: (definition: StepDefinition) => T) =>
  Object.fromEntries(HUMAN_STEPS.map((step) => [step, pick(STEPS[step])])) as Readonly<Record<HumanStep, T>>;

/** A decision some step's form offers. */
export type StepDecisionName = {
  [S in HumanStep]: keyof (typeof STEPS)[S]['decisions'];
}[HumanStep] &
  string;

/** What each decision is called on forms and in histories (a decision two steps offer is called the same in both). */
export const DECISION_LABELS = Object.assign(
  {},
  ...HUMAN_STEPS.map((step) => STEP_DEFINITIONS[step].decisions),
) as Readonly<Record<StepDecisionName, Bilingual>>;

export const STEP_ROLE = eachStep((d) => d.role);
export const STEP_LABELS = eachStep((d) => d.label);
export const STEP_STATUS = eachStep((d) => d.status);

/** The steps staff hold (handler, supervisor): in the work queues, escalated when late, timed in the figures. */
export type StaffStep = {
  [S in HumanStep]: (typeof STEPS)[S]['role'] extends 'handler' | 'supervisor' ? S : never;
}[HumanStep];
export const isStaffStep = (step: HumanStep): step is StaffStep =>
  STEP_ROLE[step] === 'handler' || STEP_ROLE[step] === 'supervisor';

/**
 * The staff steps whose clock a message awaiting an answer pauses: the step waits (`answer`),
 * then resumes with the time it had left when the answer came or the wait ran out.
 */
export type PausableStep = {
  [S in HumanStep]: (typeof STEPS)[S] extends { pausable: true } ? S : never;
}[HumanStep];
export const PAUSABLE_STEPS = HUMAN_STEPS.filter(
  (step): step is PausableStep => STEP_DEFINITIONS[step].pausable === true,
);

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
