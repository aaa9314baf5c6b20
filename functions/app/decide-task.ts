import { isLostClaim } from '../domain/task-claims';
import type { StepDecision } from '../domain/steps';
import { currentTime } from '../lib/clock';
import { HttpError } from '../lib/http';
import { log } from '../lib/log';
import { sendTaskOutcome } from '../lib/workflow';
import { getComplaint } from '../store/complaints';
import { claimTaskLink, getTaskLink, markClaimRefused, releaseTaskLink, type TaskLinkRecord } from '../store/task-links';

export type TaskDecisionResult = { sent: true } | { sent: false; why: 'lost'; link: TaskLinkRecord | undefined } | { sent: false; why: 'refused' };

/**
 * Step Functions failed for a reason other than refusing the token: nothing was decided, the link
 * takes a decision again, and the same decision posted again later goes through.
 */
export class TaskNotPassedOnError extends HttpError {
  constructor(readonly retryAfterSeconds = 30) {
    super(503, 'urn:redress:problem:task-not-passed-on', { 'zh-CN': '暂时无法提交，您的决定尚未记录', en: 'Your decision could not be passed on just now, and is not recorded' }, {
      detail: { 'zh-CN': '此链接仍然有效，请稍后再提交一次。', en: 'This link still works: please submit it again in a minute.' },
      headers: { 'retry-after': String(retryAfterSeconds) },
    });
    this.name = 'TaskNotPassedOnError';
  }
}

/**
 * A link claimed long ago whose decision the case never recorded (claimStanding `lost`: the
 * process died between the claim and telling the workflow, or giving the claim back failed) is
 * given back, so the task can be decided again. Were the decision in fact on its way, the
 * workflow refuses the second one's token.
 */
async function giveBackLostClaim(link: TaskLinkRecord | undefined, now: Date): Promise<boolean> {
  if (link?.state !== 'decided' || !link.decidedAt) return false;
  const complaint = await getComplaint(link.complaintId);
  if (!complaint || !isLostClaim(link, complaint, now)) return false;
  log.warn('task link claimed but never passed on; given back', { complaintId: link.complaintId, step: link.step, decidedAt: link.decidedAt });
  await releaseTaskLink(link.linkIdHash, link.decidedAt);
  return true;
}

/**
 * Decides a task through its link: first writer wins on the link (with the page's nonce when a
 * person posts it, and only while the case is open), then Step Functions is told. A token Step
 * Functions refuses (the task timed out or moved) leaves the link marked so, and the decision
 * unrecorded; any other failure gives the claim back and throws TaskNotPassedOnError. Every way of
 * acting on a task (the emailed link, the tracking page, the staff desk, the system) comes
 * through here.
 */
export async function decideTask(linkIdHash: string, nonce: string | undefined, decision: StepDecision, decidedBy: string, now = currentTime()): Promise<TaskDecisionResult> {
  const decidedAt = now.toISOString();
  let claim = await claimTaskLink(linkIdHash, nonce, decision, decidedBy, decidedAt);
  if (!claim.claimed && (await giveBackLostClaim(claim.link, now))) claim = await claimTaskLink(linkIdHash, nonce, decision, decidedBy, decidedAt);
  if (!claim.claimed) return { sent: false, why: 'lost', link: claim.link };
  let sent: boolean;
  try {
    sent = await sendTaskOutcome(claim.link.taskToken, { ...decision, decidedBy, decidedAt });
  } catch (error) {
    // Whether the workflow heard is unknown only for an error that is not a refusal; the claim is
    // given back so the person can try again instead of finding the task "decided" by nobody.
    log.warn('task outcome not passed on; claim given back', { complaintId: claim.link.complaintId, step: claim.link.step, error });
    await releaseTaskLink(linkIdHash, decidedAt).catch((releaseError) => log.error('task link claim not given back', { complaintId: claim.link.complaintId, step: claim.link.step, error: releaseError }));
    throw new TaskNotPassedOnError();
  }
  if (sent) return { sent: true };
  log.info('task token refused; link marked moved', { complaintId: claim.link.complaintId, step: claim.link.step });
  await markClaimRefused(linkIdHash, decidedAt, decidedAt);
  // A withdrawal that took the link over meanwhile says so on the link.
  const link = await getTaskLink(linkIdHash);
  return link?.state === 'moved' && link.movedReason !== 'refused' ? { sent: false, why: 'lost', link } : { sent: false, why: 'refused' };
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
