import type { StepDecision } from '../../domain/steps';
import { currentTime } from '../../lib/clock';
import { HttpError } from '../../lib/http';
import { log } from '../../lib/log';
import { getComplaint } from '../../store/complaints';
import { getTaskLink, type TaskLinkRecord } from '../../store/task-links';
import { passOnDecision } from './pass-on-decision';
import { recordDecision } from './record-decision';
import { USE_CASE_TEXTS } from '../../pages/use-case-texts';

/** A decision recorded, or not (the link was decided first, moved, or its case closed: `link` as it stands now, to explain). */
export type TaskDecisionResult = { recorded: true } | { recorded: false; link: TaskLinkRecord | undefined };

/** The decision could not be recorded (the table failed): nothing was written, the link still takes it. Its problem type keeps the name clients already match on. */
export class DecisionNotRecordedError extends HttpError {
  constructor(readonly retryAfterSeconds = 30) {
    super(503, 'urn:redress:problem:task-not-passed-on', USE_CASE_TEXTS.decisionNotPassedOn, {
      detail: USE_CASE_TEXTS.decisionNotPassedOnDetail,
      headers: { 'retry-after': String(retryAfterSeconds) },
    });
    this.name = 'DecisionNotRecordedError';
  }
}

/**
 * Decides a task through its link: the decision is recorded with the link's claim in one write
 * (first writer wins, with the page's nonce when a person posts it, only while the case is open
 * and waits on that link), then the workflow is told. A table failure records nothing and throws
 * DecisionNotRecordedError. Every way of acting on a task (the emailed link, the tracking page, the
 * staff desk, the system) comes through here.
 */
export async function decideTask(
  linkIdHash: string,
  nonce: string | undefined,
  decision: StepDecision,
  decidedBy: string,
  now = currentTime(),
): Promise<TaskDecisionResult> {
  const link = await getTaskLink(linkIdHash);
  if (link?.state !== 'open') return { recorded: false, link };
  let recorded;
  try {
    recorded = await recordDecision({ link, nonce, decision, decidedBy, decidedAt: now.toISOString() });
  } catch (error) {
    log.warn('decision not recorded', { complaintId: link.complaintId, step: link.step, error });
    throw new DecisionNotRecordedError();
  }
  if (!recorded.recorded) return { recorded: false, link: await getTaskLink(linkIdHash) };
  await passOnDecision(link, recorded.timer);
  return { recorded: true };
}

/**
 * Completes the complaint's current task on behalf of the system or of the complainant acting
 * from the tracking page (evidence arrived, a review asked for during the survey). Returns false
 * when the case is not on that step.
 */
export async function completeCurrentTask(
  complaintId: string,
  step: StepDecision['step'],
  decision: StepDecision,
  decidedBy: string,
): Promise<boolean> {
  const complaint = await getComplaint(complaintId);
  if (!complaint || complaint.currentStep !== step || !complaint.currentTaskLinkHash) return false;
  return (await decideTask(complaint.currentTaskLinkHash, undefined, decision, decidedBy)).recorded;
}

/** Completes the workflow's evidence wait, if it is waiting, once evidence is recorded. */
export async function notifyEvidenceArrived(complaintId: string): Promise<boolean> {
  return completeCurrentTask(
    complaintId,
    'evidence',
    { step: 'evidence', decision: 'evidence-received' },
    'complainant',
  );
}
