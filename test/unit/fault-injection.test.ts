import { describe, expect, it } from 'vitest';
import { needsStepFunctionsProxy, parseFaults, TokenBucket } from '../../infra/local/fault-injection';

describe('REDRESS_FAULT', () => {
  it('is off when unset or blank', () => {
    expect(parseFaults(undefined)).toBeUndefined();
    expect(parseFaults('  ')).toBeUndefined();
  });

  it('reads a comma-separated list of faults with their arguments', () => {
    expect(parseFaults('crash-on-start-execution')).toEqual({ crashOnStartExecution: true });
    expect(parseFaults('ses-throttled:30, start-execution-failing:5,start-execution-throttled:2.5')).toEqual({
      sesThrottledSeconds: 30,
      startExecutionFailingSeconds: 5,
      startExecutionThrottledPerSecond: 2.5,
    });
    expect(parseFaults('start-execution-failing:8,task-opening-failing:20')).toEqual({
      startExecutionFailingSeconds: 8,
      taskOpeningFailingSeconds: 20,
    });
  });

  it('names what is wrong: an unknown fault, a missing or bad number, an argument where none is taken, a repeat', () => {
    expect(() => parseFaults('ses-down')).toThrow(
      /"ses-down" is not a fault; use one or more of: crash-on-start-execution, start-execution-failing:<seconds>, start-execution-throttled:<starts per second>, ses-throttled:<seconds>/,
    );
    expect(() => parseFaults('ses-throttled')).toThrow(
      /"ses-throttled" needs a positive number of seconds, e.g. ses-throttled:10; got "ses-throttled"/,
    );
    expect(() => parseFaults('start-execution-throttled:0')).toThrow(/needs a positive number of starts per second/);
    expect(() => parseFaults('start-execution-failing:soon')).toThrow(/got "start-execution-failing:soon"/);
    expect(() => parseFaults('ses-throttled:3:4')).toThrow(/needs a positive number/);
    expect(() => parseFaults('crash-on-start-execution:1')).toThrow(/takes no argument/);
    expect(() => parseFaults('ses-throttled:1,ses-throttled:2')).toThrow(/given twice/);
  });

  it('puts the proxy in front of Step Functions only for a Step Functions fault', () => {
    expect(needsStepFunctionsProxy(parseFaults('ses-throttled:5'))).toBe(false);
    // A task's own invocation fails in the local engine itself, not at its API.
    expect(needsStepFunctionsProxy(parseFaults('task-opening-failing:5'))).toBe(false);
    expect(needsStepFunctionsProxy(parseFaults('start-execution-throttled:5'))).toBe(true);
    expect(needsStepFunctionsProxy(undefined)).toBe(false);
  });
});

describe('the StartExecution throttle', () => {
  it('takes n at once, then refills at n a second', () => {
    const bucket = new TokenBucket(3, 0);
    expect([1, 2, 3, 4].map(() => bucket.take(0))).toEqual([true, true, true, false]);
    expect(bucket.take(200)).toBe(false); // 0.6 of a token
    expect(bucket.take(400)).toBe(true); // 1.2 tokens
    expect(bucket.take(400)).toBe(false);
    expect([1, 2, 3, 4].map(() => bucket.take(10_000))).toEqual([true, true, true, false]); // never more than n
  });
});
