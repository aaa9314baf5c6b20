import { describe, expect, it } from 'vitest';
import {
  dueCaseStep,
  isLiveTask,
  movesBy,
  recheckAt,
  RECHECK_MAX_MS,
  settledByRecord,
  stalledVerdict,
  SWEEP_QUIET_MS,
  type StalledFacts,
} from '../../functions/domain/stalled';

const now = new Date('2025-03-10T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
const ahead = (ms: number) => new Date(now.getTime() + ms).toISOString();
const HOUR = 3_600_000;

const quiet = (overrides: Partial<StalledFacts['complaint']> = {}): StalledFacts['complaint'] => ({
  status: 'investigation',
  updatedAt: ago(HOUR),
  deadlineAt: ahead(HOUR),
  currentTaskLinkHash: 'h',
  ...overrides,
});
const verdict = (facts: Partial<StalledFacts>) => stalledVerdict({ complaint: quiet(), now, ...facts });

describe('the stalled rule', () => {
  it('never judges a closed case, a pending start (the reconciler’s) or a case touched within the quiet period', () => {
    expect(verdict({ complaint: quiet({ status: 'closed' }), execution: 'missing' })).toEqual({
      stalled: false,
      reason: 'closed',
    });
    expect(verdict({ complaint: quiet({ status: 'rejected' }), execution: 'missing' })).toEqual({
      stalled: false,
      reason: 'closed',
    });
    expect(verdict({ complaint: quiet({ status: 'breached' }), execution: 'missing' })).toEqual({
      stalled: false,
      reason: 'closed',
    });
    expect(verdict({ complaint: quiet({ workflowPending: 'PENDING#3' }), execution: 'missing' })).toEqual({
      stalled: false,
      reason: 'pending-start',
    });
    expect(verdict({ complaint: quiet({ updatedAt: ago(SWEEP_QUIET_MS - 1000) }), execution: 'missing' })).toEqual({
      stalled: false,
      reason: 'recently-updated',
    });
    expect(
      settledByRecord({ complaint: quiet({ updatedAt: ago(SWEEP_QUIET_MS - 1000) }), now, quietMs: 0 }),
    ).toBeUndefined();
  });

  it('calls a quiet open case stalled when its execution is not running, even with a link still open', () => {
    for (const execution of ['missing', 'ABORTED', 'FAILED', 'SUCCEEDED', 'TIMED_OUT'] as const) {
      expect(verdict({ execution, taskLink: { state: 'open', dueAt: ahead(HOUR) } }), execution).toEqual({
        stalled: true,
        reason: 'execution-not-running',
      });
    }
  });

  it('never calls a running case stalled for re-driving: a live task, between steps, or long past its deadline (the workflow moves it, or ends)', () => {
    const late = quiet({ deadlineAt: ago(24 * HOUR) });
    expect(verdict({ execution: 'RUNNING', taskLink: { state: 'open', dueAt: ahead(HOUR) } })).toEqual({
      stalled: false,
      reason: 'live',
    });
    expect(
      verdict({ complaint: late, execution: 'RUNNING', taskLink: { state: 'moved', dueAt: late.deadlineAt! } }),
    ).toEqual({ stalled: false, reason: 'live' });
    expect(
      verdict({ complaint: quiet({ deadlineAt: undefined, currentTaskLinkHash: undefined }), execution: 'RUNNING' }),
    ).toEqual({ stalled: false, reason: 'live' });
  });

  it('calls a quiet running case whose current link is decided (its decision recorded, the workflow still waiting on that task) unheard, to be told again', () => {
    const late = quiet({ deadlineAt: ago(24 * HOUR) });
    expect(
      verdict({ complaint: late, execution: 'RUNNING', taskLink: { state: 'decided', dueAt: late.deadlineAt! } }),
    ).toEqual({ stalled: true, reason: 'decision-unheard' });
    expect(
      verdict({ complaint: late, execution: 'RUNNING', taskLink: { state: 'decided', dueAt: ahead(HOUR) } }),
    ).toEqual({ stalled: true, reason: 'decision-unheard' });
  });

  it('counts a task live only while it is open and its deadline is ahead', () => {
    expect(isLiveTask({ state: 'open', dueAt: ahead(1) }, now)).toBe(true);
    expect(isLiveTask({ state: 'open', dueAt: now.toISOString() }, now)).toBe(false);
    expect(isLiveTask({ state: 'decided', dueAt: ahead(HOUR) }, now)).toBe(false);
    expect(isLiveTask(undefined, now)).toBe(false);
  });
});

describe('when a case should next have moved (its due time)', () => {
  it('is minutes after a change that leaves it received or between steps, and after its task’s deadline while it waits on a person', () => {
    expect(movesBy(now)).toEqual(new Date(now.getTime() + SWEEP_QUIET_MS));
    expect(movesBy(now.toISOString())).toEqual(new Date(now.getTime() + SWEEP_QUIET_MS));
    // Waiting on a person (staff, the complainant, the respondent): the deadline moves it.
    expect(movesBy(now, ahead(72 * HOUR))).toEqual(new Date(now.getTime() + 72 * HOUR + SWEEP_QUIET_MS));
    // A task opened past its deadline times out at once.
    expect(movesBy(now, ago(HOUR))).toEqual(new Date(now.getTime() + SWEEP_QUIET_MS));
  });

  it('is looked at again after the quiet period, then backing off while the case stays put, at most an hour apart', () => {
    expect(recheckAt({ updatedAt: ago(60_000) }, now)).toEqual(new Date(now.getTime() + SWEEP_QUIET_MS));
    expect(recheckAt({ updatedAt: ago(20 * 60_000) }, now)).toEqual(new Date(now.getTime() + 20 * 60_000));
    expect(recheckAt({ updatedAt: ago(20 * HOUR) }, now)).toEqual(new Date(now.getTime() + RECHECK_MAX_MS));
  });
});

describe('what the sweep does with a case the due index lists', () => {
  const due = (overrides: Partial<StalledFacts['complaint']> = {}) => quiet({ sweepDueAt: ago(60_000), ...overrides });

  it('asks about its execution when it is open, quiet and due, whatever its state', () => {
    for (const complaint of [
      due({ status: 'received', deadlineAt: undefined, currentTaskLinkHash: undefined }),
      due({ status: 'investigation', currentTaskLinkHash: undefined }),
      due({ status: 'acceptance-review' }),
      due({ status: 'awaiting-evidence' }),
      due({ status: 'survey' }),
      due({ status: 'review' }),
    ])
      expect(dueCaseStep(complaint, now), complaint.status).toEqual({ next: 'ask' });
  });

  it('skips one that closed or whose due time moved on since the index listed it', () => {
    expect(dueCaseStep(due({ status: 'closed' }), now)).toEqual({ next: 'skip', reason: 'closed' });
    expect(dueCaseStep(due({ sweepDueAt: ahead(60_000) }), now)).toEqual({ next: 'skip', reason: 'not-due' });
    expect(dueCaseStep(due({ sweepDueAt: undefined }), now)).toEqual({ next: 'skip', reason: 'not-due' });
  });

  it('looks again later at a pending start (the reconciler’s) or a case touched within the quiet period, without asking', () => {
    expect(dueCaseStep(due({ workflowPending: 'PENDING#1' }), now)).toEqual({
      next: 'look-again',
      at: recheckAt({ updatedAt: ago(HOUR) }, now),
      reason: 'pending-start',
    });
    expect(dueCaseStep(due({ updatedAt: ago(60_000) }), now)).toEqual({
      next: 'look-again',
      at: new Date(now.getTime() + SWEEP_QUIET_MS),
      reason: 'recently-updated',
    });
  });
});
