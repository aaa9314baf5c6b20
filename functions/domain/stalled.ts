import type { ComplaintRecord } from './complaint';
import { isOpen } from './lifecycle';

/**
 * No case stops silently: an open case always has a running execution that will move it (a live
 * task link, a timer) or a pending start the reconciler owns. A case with neither is stalled, and
 * the sweeper (app/sweep-stalled-cases.ts) starts it again at the step it records.
 *
 * The sweeper reads only cases whose time has come: every open case carries when it should next
 * have moved (`movesBy`, written with each change of its state), and a case whose execution ends
 * while it is open is marked due at once. So a run reads what is due, never every open case.
 */

/** What Step Functions says of an execution; `missing` when it does not know it (the local engine restarted, or it never started). */
export type ExecutionState =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE'
  | 'missing';

/** A case touched more recently than this is never judged: a step, a start or a decision may be under way. */
export const SWEEP_QUIET_MS = 5 * 60_000;

// Statuses the walking skeleton wrote as final; such records have nothing left to run.
const LEGACY_FINAL = new Set(['accepted', 'rejected', 'breached']);

/**
 * `execution-not-running`: open, quiet, and its execution is not running: nothing will ever move
 * it. `decision-unheard`: its current link's decision is recorded (a claim and its record are one
 * write) but the running execution still waits on that link's task: telling it was lost.
 */
export type StalledReason = 'execution-not-running' | 'decision-unheard';

export type NotStalledReason = 'closed' | 'pending-start' | 'recently-updated' | 'live';

export type StalledVerdict = { stalled: true; reason: StalledReason } | { stalled: false; reason: NotStalledReason };

export interface StalledFacts {
  complaint: Pick<ComplaintRecord, 'status' | 'updatedAt'> &
    Partial<Pick<ComplaintRecord, 'workflowPending' | 'deadlineAt' | 'currentTaskLinkHash' | 'sweepDueAt'>>;
  /** The case's current task link as stored, if it has one. */
  taskLink?: { state: 'open' | 'decided' | 'moved'; dueAt: string };
  /** Status of the case's execution; undefined when not asked yet (the record alone already decides). */
  execution?: ExecutionState;
  now: Date;
  quietMs?: number;
}

/**
 * Whether the record alone settles it (closed, the reconciler's, or touched too recently), so the
 * execution need not be asked. Undefined: ask the execution, then call `stalledVerdict`.
 */
export function settledByRecord(facts: Omit<StalledFacts, 'execution' | 'taskLink'>): StalledVerdict | undefined {
  const { complaint, now } = facts;
  if (!isOpen(complaint.status) || LEGACY_FINAL.has(complaint.status)) return { stalled: false, reason: 'closed' };
  if (complaint.workflowPending) return { stalled: false, reason: 'pending-start' };
  if (now.getTime() - Date.parse(complaint.updatedAt) < (facts.quietMs ?? SWEEP_QUIET_MS))
    return { stalled: false, reason: 'recently-updated' };
  return undefined;
}

/** A task someone can still act on: open, and its deadline ahead. */
export function isLiveTask(link: StalledFacts['taskLink'], now: Date): boolean {
  return !!link && link.state === 'open' && Date.parse(link.dueAt) > now.getTime();
}

/** The stalled rule: given the record, its current link and its execution's status, now. */
export function stalledVerdict(facts: StalledFacts): StalledVerdict {
  const settled = settledByRecord(facts);
  if (settled) return settled;
  if (facts.execution !== 'RUNNING') return { stalled: true, reason: 'execution-not-running' };
  if (facts.taskLink?.state === 'decided') return { stalled: true, reason: 'decision-unheard' };
  // A running execution always moves its case: a live task, a timer, or a step between them, and
  // every Task's faults go round a wait-and-retry path until the execution ends (HandlingStuck, a
  // failed execution: then the rule above). So a running case is never re-driven from outside:
  // stopping it while a decision is being recorded would lose that decision.
  return { stalled: false, reason: 'live' };
}

/** The longest a due case that is still moving (its execution runs) waits to be looked at again. */
export const RECHECK_MAX_MS = 60 * 60_000;

/**
 * When a case should next have moved, as a write that changes its state leaves it: a case waiting
 * on a task by that task's deadline (DeadlinePassed moves it then: an escalation or a lapse), any
 * other (received, starting, between steps, just re-driven) at once; either way plus the quiet
 * period, the time a start, a step or its retries may take. The sweep looks at no case before.
 */
export function movesBy(at: Date | string, waitingUntil?: string): Date {
  const from = new Date(at).getTime();
  const deadline = waitingUntil ? Date.parse(waitingUntil) : Number.NaN;
  return new Date((Number.isNaN(deadline) ? from : Math.max(from, deadline)) + SWEEP_QUIET_MS);
}

/**
 * When a due case that the sweep left alone (still moving, the reconciler's, touched lately, or
 * not re-driven this time) is looked at again: after the quiet period, then backing off as long
 * as it stays where it is (a fault going round the workflow's retries lasts up to a day), at most
 * an hour apart. Each look costs a record read and a DescribeExecution, so a long fault over many
 * cases costs a few looks an hour each, not one every run.
 */
export function recheckAt(complaint: Pick<ComplaintRecord, 'updatedAt'>, now: Date, quietMs = SWEEP_QUIET_MS): Date {
  const unmoved = now.getTime() - Date.parse(complaint.updatedAt);
  const wait = Math.min(RECHECK_MAX_MS, Math.max(quietMs, SWEEP_QUIET_MS, Number.isNaN(unmoved) ? 0 : unmoved));
  return new Date(now.getTime() + wait);
}

/**
 * What the sweep does with a case the due index listed, from its record (read consistently):
 * `skip` one that closed or whose due time moved on since the index said so (the index lags its
 * table a little; the record's own due time will bring it back); `look-again` at one the record
 * alone settles (the reconciler's, or touched within the quiet period); `ask` Step Functions
 * about the rest, then judge it by `stalledVerdict`.
 */
export type DueCaseStep =
  | { next: 'skip'; reason: 'closed' | 'not-due' }
  | { next: 'look-again'; at: Date; reason: 'pending-start' | 'recently-updated' }
  | { next: 'ask' };

export function dueCaseStep(complaint: StalledFacts['complaint'], now: Date, quietMs = SWEEP_QUIET_MS): DueCaseStep {
  const settled = settledByRecord({ complaint, now, quietMs });
  if (settled?.reason === 'closed') return { next: 'skip', reason: 'closed' };
  if (!complaint.sweepDueAt || Date.parse(complaint.sweepDueAt) > now.getTime())
    return { next: 'skip', reason: 'not-due' };
  if (settled?.reason === 'pending-start' || settled?.reason === 'recently-updated')
    return { next: 'look-again', at: recheckAt(complaint, now, quietMs), reason: settled.reason };
  return { next: 'ask' };
}
