import type { ComplaintRecord } from './complaint';
import { isOpen } from './lifecycle';

/**
 * No case stops silently: an open case always has a running execution that will move it (a live
 * task link, a timer) or a pending start the reconciler owns. A case with neither is stalled, and
 * the sweeper (app/sweep-stalled-cases.ts) starts it again at the step it records.
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
    Partial<Pick<ComplaintRecord, 'workflowPending' | 'deadlineAt' | 'currentTaskLinkHash'>>;
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
