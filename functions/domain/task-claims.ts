/**
 * A decision claims its task link first (first writer wins), then Step Functions is told, then
 * the workflow records it and opens the next step, which moves the case to a new link. Until
 * then the case's current link stands `decided`: a decision is on its way.
 */

/**
 * How long a claimed decision may take to reach the workflow and be recorded: the send with its
 * retries, then the recording step with its Retry (about a minute of backoff). A claim older than
 * this that the case still waits on never got there (the process died between the claim and the
 * send, or giving the claim back failed).
 */
export const CLAIM_SETTLES_MS = 5 * 60_000;

/**
 * What the case's current link says of a decision on it: `none` claimed; `in-flight` (claimed
 * recently: it is being passed on and recorded); `recorded` (applied to the case, the next step
 * still opening); `lost` (claimed long ago and never recorded: it never reached the workflow).
 */
export type ClaimStanding = 'none' | 'in-flight' | 'recorded' | 'lost';

export function claimStanding(link: { state: string; decidedAt?: string } | undefined, complaint: { lastDecisionAt?: string }, now: Date): ClaimStanding {
  if (!link || link.state !== 'decided' || !link.decidedAt) return 'none';
  if (now.getTime() - Date.parse(link.decidedAt) < CLAIM_SETTLES_MS) return 'in-flight';
  return complaint.lastDecisionAt === link.decidedAt ? 'recorded' : 'lost';
}

/** A claim that never reached the workflow: the case still waits on its link, which takes a decision again. */
export function isLostClaim(link: { linkIdHash: string; state: string; decidedAt?: string }, complaint: { currentTaskLinkHash?: string; lastDecisionAt?: string }, now: Date): boolean {
  return complaint.currentTaskLinkHash === link.linkIdHash && claimStanding(link, complaint, now) === 'lost';
}
