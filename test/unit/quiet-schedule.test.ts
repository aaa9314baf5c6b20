import { describe, expect, it } from 'vitest';
import { QuietSchedule } from '../../infra/local/quiet-schedule';

const ticks = (schedule: QuietSchedule, id: string, n: number) => Array.from({ length: n }, () => schedule.runs(id));

describe('the local schedule of a quiet stack', () => {
  it('runs a function on every tick while the table changes between its runs', () => {
    const schedule = new QuietSchedule(5);
    for (let i = 0; i < 4; i++) {
      expect(schedule.runs('DeliverQueuedMail')).toBe(true);
      schedule.changed();
    }
  });

  it('runs a function whose last run saw every change on every fifth tick only', () => {
    const schedule = new QuietSchedule(5);
    expect(ticks(schedule, 'SweepStalledCases', 11)).toEqual([
      true,
      false,
      false,
      false,
      false,
      true,
      false,
      false,
      false,
      false,
      true,
    ]);
  });

  it('runs a quiet function on its next tick after a change or a clock move, each function on its own', () => {
    const schedule = new QuietSchedule(5);
    schedule.runs('SweepStalledCases');
    schedule.runs('DeliverQueuedMail');
    expect(schedule.runs('SweepStalledCases')).toBe(false);
    schedule.changed();
    expect(schedule.runs('SweepStalledCases')).toBe(true);
    expect(schedule.runs('SweepStalledCases')).toBe(false);
    expect(schedule.runs('DeliverQueuedMail')).toBe(true);
  });

  it('runs every function on every tick when told to (npm start)', () => {
    expect(ticks(new QuietSchedule(1), 'SweepStalledCases', 4)).toEqual([true, true, true, true]);
  });

  it('refuses a cadence that is not a whole number of ticks', () => {
    expect(() => new QuietSchedule(0)).toThrow(
      /REDRESS_RECONCILE_QUIET_EVERY is a whole number of ticks, 1 or more, got 0/,
    );
    expect(() => new QuietSchedule(Number.NaN)).toThrow(/got NaN/);
  });
});
