import { describe, expect, it } from 'vitest';
import { QuietSchedule } from '../../infra/local/quiet-schedule';
import { scheduledReadersOf } from '../../infra/local/scheduled-reads';

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

  it('runs a quiet function on its next tick after a change of what it reads, or any after a clock move', () => {
    const schedule = new QuietSchedule(5);
    schedule.runs('SweepStalledCases');
    schedule.runs('DeliverQueuedMail');
    schedule.changed(['DeliverQueuedMail']);
    expect(schedule.runs('SweepStalledCases')).toBe(false);
    expect(schedule.runs('DeliverQueuedMail')).toBe(true);
    expect(schedule.runs('DeliverQueuedMail')).toBe(false);
    schedule.changed();
    expect(schedule.runs('SweepStalledCases')).toBe(true);
    expect(schedule.runs('SweepStalledCases')).toBe(false);
    expect(schedule.runs('DeliverQueuedMail')).toBe(true);
  });

  it('runs every function on every tick when told to (npm start)', () => {
    expect(ticks(new QuietSchedule(1), 'SweepStalledCases', 4)).toEqual([true, true, true, true]);
  });

  it('refuses a cadence that is not a whole number of ticks, naming the setting', () => {
    expect(() => new QuietSchedule(0)).toThrow(
      /REDRESS_RECONCILE_QUIET_EVERY=0 is not a whole number of ticks, 1 or more/,
    );
    expect(() => new QuietSchedule(Number.NaN)).toThrow(/REDRESS_RECONCILE_QUIET_EVERY=NaN/);
  });
});

describe('what a change of the table gives the scheduled functions to do', () => {
  const now = new Date('2026-12-08T04:00:00.000Z');
  const ids = [
    'DeliverQueuedMail',
    'DeliverQueuedEvents',
    'DeliverWeeklyReports',
    'SweepStalledCases',
    'PurgeDueErasures',
    'StartPendingWorkflows',
    'AggregateAnalytics',
    'SomethingElse',
  ];
  const s = (value: string) => ({ S: value });

  it('wakes the function whose due index an item due by now was written to, and nothing else named', () => {
    expect(
      scheduledReadersOf(
        ids,
        [{ pk: s('STAFFLINK#ab'), mailDue: s('MAILDUE#3'), dueAt: s('2026-12-08T03:59:59.000Z') }],
        now,
      ),
    ).toEqual(['DeliverQueuedMail', 'SomethingElse']);
    expect(
      scheduledReadersOf(ids, [{ pk: s('C'), mailDue: s('EVENTDUE#1'), dueAt: s(now.toISOString()) }], now),
    ).toEqual(['DeliverQueuedEvents', 'SomethingElse']);
    expect(scheduledReadersOf(ids, [{ pk: s('ANALYTICS#BATCH#2'), sk: s('x') }], now)).toEqual([
      'AggregateAnalytics',
      'SomethingElse',
    ]);
    expect(
      scheduledReadersOf(ids, [{ pk: s('C'), workflowPending: s('PENDING#1'), receivedAt: s('2026') }], now),
    ).toEqual(['StartPendingWorkflows', 'SomethingElse']);
  });

  it('leaves a function alone for an item due later: a case that should move in hours, a first look in two minutes', () => {
    expect(
      scheduledReadersOf(
        ids,
        [
          { pk: s('COMPLAINT#1'), sweepDue: s('DUE#4'), sweepDueAt: s('2026-12-08T05:00:00.000Z') },
          { pk: s('COMPLAINT#1'), mailDue: s('MAILDUE#4'), dueAt: s('2026-12-08T04:02:00.000Z') },
        ],
        now,
      ),
    ).toEqual(['SomethingElse']);
  });

  it('wakes nothing for a deletion alone (no new image)', () => {
    expect(scheduledReadersOf(ids, [], now)).toEqual([]);
  });
});
