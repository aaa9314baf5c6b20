import { describe, expect, it } from 'vitest';
import {
  isLiveTask,
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
