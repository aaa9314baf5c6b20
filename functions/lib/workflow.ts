import { ExecutionAlreadyExists, SendTaskSuccessCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { ComplaintRecord } from '../domain/complaint';
import { serviceLevelsFor, teamFor, type DeskConfig, type ServiceLevels, type Team } from '../domain/config';
import { assigneeFor } from '../domain/assignment';
import type { HumanStep } from '../domain/lifecycle';
import type { StepDecision } from '../domain/steps';
import { sfn } from './aws-clients';
import { claimTaskLink, getComplaint, getTaskLink, listEvents, markTaskLinkMoved, markWorkflowStarted, updateComplaint, type TaskLinkRecord } from './complaint-store';
import { log } from './log';
import { settings } from './settings';
import { currentTime } from './clock';

/** What the workflow starts with: the id, and where to start when it is not the beginning. */
export interface WorkflowInput {
  complaintId: string;
  /** A `Begin<Step>` state: a re-drive, or a review asked for after the case closed. */
  resumeAt?: string;
}

/** What a decided task hands the workflow (SendTaskSuccess output): the decision and who made it. */
export type TaskOutcome = StepDecision & { decidedBy: string; decidedAt: string };

// Step Functions refuses a token that timed out, was already used or never existed: to a visitor
// that means the task was decided elsewhere or moved on, never a server error.
const REFUSED_TOKEN_ERRORS = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

export function executionArnFor(name: string): string {
  return `${settings().stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

async function startExecution(name: string, input: WorkflowInput): Promise<string> {
  try {
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: settings().stateMachineArn, name, input: JSON.stringify(input) }));
    return started.executionArn!;
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists) && (error as { name?: string }).name !== 'ExecutionAlreadyExists') throw error;
    return executionArnFor(name);
  }
}

/**
 * Starts a complaint's workflow and clears its pending marker. The execution name is the
 * complaint id, so a repeated start (a retry, the reconciler) finds the running one instead of
 * starting a second.
 */
export async function startComplaintWorkflow(complaint: Pick<ComplaintRecord, 'id'>): Promise<string> {
  const executionArn = await startExecution(complaint.id, { complaintId: complaint.id });
  await markWorkflowStarted(complaint.id, currentTime().toISOString(), executionArn);
  log.info('workflow started', { complaintId: complaint.id });
  return executionArn;
}

/**
 * Starts a new execution for an open complaint at the step it records (or a given one): after
 * the local engine lost its executions, or to run a review on a closed case. Names are unique,
 * as Step Functions requires for 90 days.
 */
export async function resumeComplaintWorkflow(complaint: Pick<ComplaintRecord, 'id' | 'workflowResumeAt'>, resumeAt = complaint.workflowResumeAt, suffix = `r${currentTime().getTime().toString(36)}`): Promise<string> {
  const executionArn = await startExecution(`${complaint.id}-${suffix}`, { complaintId: complaint.id, ...(resumeAt ? { resumeAt } : {}) });
  await updateComplaint(complaint.id, { executionArn });
  log.info('workflow resumed', { complaintId: complaint.id, resumeAt });
  return executionArn;
}

/** Ends a complaint's execution (a withdrawal); an execution already gone is fine. */
export async function stopComplaintWorkflow(complaint: Pick<ComplaintRecord, 'id' | 'executionArn'>, cause: string): Promise<void> {
  const executionArn = complaint.executionArn ?? executionArnFor(complaint.id);
  try {
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Withdrawn', cause }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ExecutionDoesNotExist') throw error;
  }
}

export type TaskDecisionResult = { sent: true } | { sent: false; why: 'lost'; link: TaskLinkRecord | undefined } | { sent: false; why: 'refused' };

/**
 * Decides a task through its link: first writer wins on the link (with the page's nonce when a
 * person posts it), then Step Functions is told. A token Step Functions refuses (the task timed
 * out or moved) leaves the link marked so, and the decision unrecorded.
 */
export async function decideTask(linkIdHash: string, nonce: string | undefined, decision: StepDecision, decidedBy: string, now = currentTime()): Promise<TaskDecisionResult> {
  const decidedAt = now.toISOString();
  const claim = await claimTaskLink(linkIdHash, nonce, decision, decidedBy, decidedAt);
  if (!claim.claimed) return { sent: false, why: 'lost', link: claim.link };
  const outcome: TaskOutcome = { ...decision, decidedBy, decidedAt };
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken: claim.link.taskToken, output: JSON.stringify(outcome) }));
    return { sent: true };
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (!REFUSED_TOKEN_ERRORS.has(name)) throw error;
    log.info('task token refused; link marked moved', { complaintId: claim.link.complaintId, step: claim.link.step, error: name });
    await markTaskLinkMoved(linkIdHash, decidedAt, 'refused');
    return { sent: false, why: 'refused' };
  }
}

/**
 * Completes the complaint's current task on behalf of the system or of the complainant acting
 * from the tracking page (evidence arrived, a review asked for during the survey). Returns false
 * when the workflow is not waiting on that step.
 */
export async function completeCurrentTask(complaintId: string, step: StepDecision['step'], decision: StepDecision, decidedBy: string): Promise<boolean> {
  const complaint = await getComplaint(complaintId);
  if (!complaint || complaint.currentStep !== step || !complaint.currentTaskLinkHash) return false;
  return (await decideTask(complaint.currentTaskLinkHash, undefined, decision, decidedBy)).sent;
}

/** Completes the workflow's evidence wait, if it is waiting, once evidence is recorded. */
export async function notifyEvidenceArrived(complaintId: string): Promise<boolean> {
  return completeCurrentTask(complaintId, 'evidence', { step: 'evidence', decision: 'evidence-received' }, 'complainant');
}

/** A complaint with what every workflow step needs to act on it. */
export interface CaseContext {
  complaint: ComplaintRecord;
  desk: DeskConfig;
  team: Team;
  levels: ServiceLevels;
  clockScale: number;
}

export async function loadCase(complaintId: string): Promise<CaseContext> {
  const complaint = await getComplaint(complaintId);
  if (!complaint) throw new Error(`Complaint ${complaintId} not found`);
  const { desk, clockScale } = settings();
  return { complaint, desk, team: teamFor(desk, complaint.category), levels: serviceLevelsFor(desk, complaint.category, complaint.priority), clockScale };
}

export async function getLinkOf(complaint: ComplaintRecord) {
  return complaint.currentTaskLinkHash ? getTaskLink(complaint.currentTaskLinkHash) : undefined;
}

/**
 * Who a step goes to before any escalation. Only a review needs the case's history (its reviewer
 * must not have decided any step), so only a review reads it.
 */
export async function baseAssigneeOf({ complaint, team }: CaseContext, step: HumanStep): Promise<string> {
  const deciders = step === 'review' ? (await listEvents(complaint.id)).filter((e) => e.action === 'decision.recorded').map((e) => String(e.details?.decidedBy ?? '')) : [];
  return assigneeFor(step, { team, complaintId: complaint.id, handler: complaint.handler, complainantEmail: complaint.complainant.email, respondentEmail: complaint.respondentEmail, deciders });
}
