import type { StepDecision } from '../domain/steps';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { sendTaskOutcome } from '../lib/workflow';
import { getComplaint } from '../store/complaints';
import { claimTaskLink, markTaskLinkMoved, releaseTaskLink, type TaskLinkRecord } from '../store/task-links';

export type TaskDecisionResult = { sent: true } | { sent: false; why: 'lost'; link: TaskLinkRecord | undefined } | { sent: false; why: 'refused' };

/**
 * Decides a task through its link: first writer wins on the link (with the page's nonce when a
 * person posts it), then Step Functions is told. A token Step Functions refuses (the task timed
 * out or moved) leaves the link marked so, and the decision unrecorded. Every way of acting on a
 * task (the emailed link, the tracking page, the system) comes through here.
 */
export async function decideTask(linkIdHash: string, nonce: string | undefined, decision: StepDecision, decidedBy: string, now = currentTime()): Promise<TaskDecisionResult> {
  const decidedAt = now.toISOString();
  const claim = await claimTaskLink(linkIdHash, nonce, decision, decidedBy, decidedAt);
  if (!claim.claimed) return { sent: false, why: 'lost', link: claim.link };
  let sent: boolean;
  try {
    sent = await sendTaskOutcome(claim.link.taskToken, { ...decision, decidedBy, decidedAt });
  } catch (error) {
    // Whether the workflow heard is unknown only for an error that is not a refusal; the claim is
    // given back so the person can try again instead of finding the task "decided" by nobody.
    await releaseTaskLink(linkIdHash, decidedAt);
    throw error;
  }
  if (sent) return { sent: true };
  log.info('task token refused; link marked moved', { complaintId: claim.link.complaintId, step: claim.link.step });
  await markTaskLinkMoved(linkIdHash, decidedAt, 'refused');
  return { sent: false, why: 'refused' };
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
