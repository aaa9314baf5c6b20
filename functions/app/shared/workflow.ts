import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ComplaintRecord } from '../../domain/complaint';
import { CASE_CLOSED, type StepTimer, type WorkflowInput } from '../../domain/workflow-contract';
import type { ExecutionState } from '../../domain/stalled';
import { sfn } from '../../lib/clients/sfn';
import { log } from '../../lib/log';
import { settings } from '../../lib/settings';
import { currentTime } from '../../lib/clock';
import { getComplaint, markWorkflowStarted, updateComplaint } from '../../store/complaints';

// Step Functions refuses a token that timed out, was already used or never existed: to a visitor
// that means the task was decided elsewhere or moved on, never a server error.
const REFUSED_TOKEN_ERRORS = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

/**
 * Step Functions refusing a start for now: throttled (the StartExecution bucket is empty) or the
 * account's open executions at their quota. The complaint stays marked pending; the reconciler
 * starts it later.
 */
const START_REFUSALS = {
  ThrottlingException: 'throttled',
  TooManyRequestsException: 'throttled',
  ExecutionLimitExceeded: 'execution-limit',
} as const;

export function isStartRefused(error: unknown): boolean {
  return ((error as { name?: string })?.name ?? '') in START_REFUSALS;
}

export function startRefusalReason(error: unknown): (typeof START_REFUSALS)[keyof typeof START_REFUSALS] | 'other' {
  return START_REFUSALS[(error as { name?: string })?.name as keyof typeof START_REFUSALS] ?? 'other';
}

export function executionArnFor(name: string): string {
  return `${settings().stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

async function startExecution(name: string, start: Omit<WorkflowInput, 'faults'>): Promise<string> {
  const input: WorkflowInput = { ...start, faults: { count: 0 } };
  try {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: settings().stateMachineArn, name, input: JSON.stringify(input) }),
    );
    return started.executionArn!;
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists) && (error as { name?: string }).name !== 'ExecutionAlreadyExists')
      throw error;
    return executionArnFor(name);
  }
}

/**
 * Starts a complaint's workflow and clears its pending marker. The execution name is the
 * complaint id, so a repeated start (a retry, the reconciler) finds the running one instead of
 * starting a second.
 */
export async function startComplaintWorkflow(
  complaint: Pick<ComplaintRecord, 'id'> & Partial<Pick<ComplaintRecord, 'status' | 'reviewRequestedAt'>>,
  options: { confirm?: boolean } = {},
): Promise<string> {
  // The reconciler knows only the id: a case reopened for review starts its review, not its intake.
  const record = complaint.status ? complaint : ((await getComplaint(complaint.id)) ?? complaint);
  if (record.status === 'review' && record.reviewRequestedAt) return startReviewWorkflow(record);
  const executionArn = await startExecution(complaint.id, { complaintId: complaint.id });
  // Intake leaves the confirmation to the workflow's first step (acknowledge-receipt), one write
  // fewer while the complainant waits; the reconciler confirms what it started itself.
  if (options.confirm === false) return executionArn;
  await markWorkflowStarted(complaint.id, currentTime().toISOString(), executionArn);
  log.info('workflow started', { complaintId: complaint.id });
  return executionArn;
}

/**
 * Starts the review (复核) of a case reopened after it closed, and clears its pending marker. One
 * review per case, so its execution has one name (`<id>-review`): a retry or the reconciler finds
 * the running one.
 */
export async function startReviewWorkflow(complaint: Pick<ComplaintRecord, 'id'>): Promise<string> {
  const executionArn = await startExecution(`${complaint.id}-review`, {
    complaintId: complaint.id,
    resumeAt: 'BeginReview',
  });
  await updateComplaint(complaint.id, { executionArn });
  await markWorkflowStarted(complaint.id, currentTime().toISOString(), executionArn);
  log.info('review workflow started', { complaintId: complaint.id });
  return executionArn;
}

/**
 * Starts a new execution for an open complaint at the step it records (or a given one): after
 * the local engine lost its executions, or to run a review on a closed case. Names are unique,
 * as Step Functions requires for 90 days.
 */
export async function resumeComplaintWorkflow(
  complaint: Pick<ComplaintRecord, 'id' | 'workflowResumeAt'>,
  resumeAt = complaint.workflowResumeAt,
  suffix = `r${currentTime().getTime().toString(36)}`,
): Promise<string> {
  const executionArn = await startExecution(`${complaint.id}-${suffix}`, {
    complaintId: complaint.id,
    ...(resumeAt ? { resumeAt } : {}),
  });
  await updateComplaint(complaint.id, { executionArn });
  log.info('workflow resumed', { complaintId: complaint.id, resumeAt });
  return executionArn;
}

/** Ends a complaint's execution (a withdrawal); an execution already gone is fine. */
export async function stopComplaintWorkflow(
  complaint: Pick<ComplaintRecord, 'id' | 'executionArn'>,
  cause: string,
): Promise<void> {
  const executionArn = complaint.executionArn ?? executionArnFor(complaint.id);
  try {
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Withdrawn', cause }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ExecutionDoesNotExist') throw error;
  }
}

/**
 * Tells the workflow a decided task's outcome: the timer of the step it opened (the task's
 * output), or, when the case closed, the task fails with `CaseClosed`, which the definition
 * catches into its successful end. False when Step Functions refuses the token (the task timed
 * out, moved on or was already decided); any other failure is thrown.
 */
export async function sendTaskOutcome(taskToken: string, next: StepTimer | undefined): Promise<boolean> {
  try {
    if (next) await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(next) }));
    else
      await sfn.send(
        new SendTaskFailureCommand({ taskToken, error: CASE_CLOSED, cause: 'The decision closed the case' }),
      );
    return true;
  } catch (error) {
    if (REFUSED_TOKEN_ERRORS.has((error as { name?: string }).name ?? '')) return false;
    throw error;
  }
}

/** What Step Functions says of an execution: its status, or `missing` when it does not know it. */
export async function executionState(executionArn: string): Promise<ExecutionState> {
  try {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return (described.status ?? 'missing') as ExecutionState;
  } catch (error) {
    if ((error as { name?: string }).name === 'ExecutionDoesNotExist') return 'missing';
    throw error;
  }
}
