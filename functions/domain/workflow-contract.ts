import { HUMAN_STEPS, type HumanStep } from './lifecycle';

/**
 * The contract between the workflow definition (workflows/complaint-handling.asl.json) and the
 * code its states run: what an execution starts with, the timer its one human task waits with,
 * the resume points a re-drive names, and the error names the definition's Catch and Retry
 * match. The handlers, the use cases and the definition's unit test all read them from here, so
 * a name the ASL matches cannot drift from the name the code throws.
 */

/** The errors a state's Lambda ends with on purpose, by the name the definition matches. */
export const WORKFLOW_ERRORS = {
  /** The case is closed: caught into `Closed` (a success); a closing decision ends the task with it. */
  caseClosed: 'CaseClosed',
  /** The case is no longer on the step the workflow thought: caught into `ReopenTask`. */
  stepMoved: 'StepMoved',
} as const;
export type WorkflowErrorName = (typeof WORKFLOW_ERRORS)[keyof typeof WORKFLOW_ERRORS];

/** The name SendTaskFailure carries when a decision closes the case. */
export const CASE_CLOSED = WORKFLOW_ERRORS.caseClosed;

/** What the workflow starts with: the id, where to start when it is not the beginning, and no fault yet. */
export interface WorkflowInput {
  complaintId: string;
  /** A `Begin<Step>` state: a re-drive, or a review asked for after the case closed. */
  resumeAt?: string;
  /** The count of faults that outlived their retries, which the definition's wait-and-retry path caps. */
  faults: { count: number };
}

/** What the workflow's one human task waits with: the step, its escalation level, and the seconds left (its TimeoutSecondsPath). */
export interface StepTimer {
  step: HumanStep;
  level: number;
  timeoutSeconds: number;
}

/**
 * The workflow's answer when the case is closed: the state that finds it fails with this error,
 * which the definition catches into its `Closed` end (a success). A decision that closes the
 * case ends the task with it (SendTaskFailure).
 */
export class CaseClosed extends Error {
  constructor(readonly complaintId: string) {
    super(`Complaint ${complaintId} is closed`);
    this.name = WORKFLOW_ERRORS.caseClosed;
  }
}

/**
 * The workflow's answer when the case is no longer on the step the workflow thought (a decision
 * recorded while its deadline passed): the definition catches it into `ReopenTask`, which opens
 * the step the case records.
 */
export class StepMoved extends Error {
  constructor(
    readonly complaintId: string,
    readonly step: string,
  ) {
    super(`Complaint ${complaintId} is no longer on its ${step} step`);
    this.name = WORKFLOW_ERRORS.stepMoved;
  }
}

/** The resume point a step records (`workflowResumeAt`), which an execution's `resumeAt` names. */
export const resumePointOf = (step: HumanStep) => `Begin${step[0]!.toUpperCase()}${step.slice(1)}`;

/** The step a resume point names, or undefined for anything else. */
export const stepAtResumePoint = (resumeAt: unknown): HumanStep | undefined =>
  HUMAN_STEPS.find((step) => resumePointOf(step) === resumeAt);
