import { describe, expect, it } from 'vitest';
import {
  businessCalendar,
  BUILT_IN_CALENDARS,
  expandDates,
  workingDeadline,
  workingDay,
  workingSecondsBetween,
  dayNumber,
} from '../../functions/domain/business-calendar';
import { DEFAULT_DESK_CONFIG, InvalidConfigError, parseDeskConfig } from '../../functions/domain/config';
import {
  acceptanceDeadline,
  deadlineAfter,
  openingDeadline,
  provisionalYears,
  reviewWindowEnd,
  serviceSecondsLeft,
} from '../../functions/domain/deadlines';
import { calendarNamed, holidayDataWarnings, serviceLevelsFor } from '../../functions/domain/desk';
import { CN_STATUTORY_HOLIDAYS } from '../../functions/domain/holidays-cn';

const HOUR = 3600;
/** China's office week: Monday to Friday, 09:00–18:00 Asia/Shanghai, statutory holidays and 调休. */
const cn = businessCalendar('cn-workday', BUILT_IN_CALENDARS['cn-workday']!, 'Asia/Shanghai');
/** A wall-clock time in Shanghai (UTC+8) as an instant. */
const shanghai = (local: string) => new Date(`${local}+08:00`);
const after = (local: string, hours: number) => workingDeadline(shanghai(local), hours * HOUR, cn);

describe('working time in a business calendar (China, 09:00–18:00, Monday to Friday)', () => {
  it('runs over the 2026 National Day holiday and counts Saturday 10 October, a make-up workday', () => {
    // Wed 30 Sep 16:00: 2 h that day; 1–7 Oct off; Thu 8 and Fri 9 Oct 9 h each; 4 h on Sat 10 Oct.
    const deadline = after('2026-09-30T16:00:00', 24);
    expect(deadline.at).toEqual(shanghai('2026-10-10T13:00:00'));
    expect(deadline).toMatchObject({ provisional: false, years: [2026], yearsWithoutData: [] });
  });

  it('counts a 调休 Saturday before the Spring Festival and skips the nine days off', () => {
    // Fri 13 Feb 17:00: 1 h, then Sat 14 Feb is a workday.
    expect(after('2026-02-13T17:00:00', 9).at).toEqual(shanghai('2026-02-14T17:00:00'));
    // From Sat 14 Feb 17:00: 1 h that day, 15–23 Feb off, on from Tue 24 Feb.
    expect(after('2026-02-14T17:00:00', 2).at).toEqual(shanghai('2026-02-24T10:00:00'));
    // Sat 28 Feb is a workday too; an ordinary Saturday is not.
    expect(workingDay(cn, dayNumber('2026-02-28')!).working).toBe(true);
    expect(workingDay(cn, dayNumber('2026-03-07')!).working).toBe(false);
  });

  it('waits for the next working hour when it starts outside working hours or on a holiday', () => {
    expect(after('2026-11-20T20:00:00', 1).at).toEqual(shanghai('2026-11-23T10:00:00')); // Friday evening → Monday
    expect(after('2026-11-24T07:30:00', 1).at).toEqual(shanghai('2026-11-24T10:00:00')); // before opening
    expect(after('2026-11-21T11:00:00', 1).at).toEqual(shanghai('2026-11-23T10:00:00')); // an ordinary Saturday
    expect(after('2026-10-03T10:00:00', 2).at).toEqual(shanghai('2026-10-08T11:00:00')); // National Day
    expect(after('2026-10-01T00:00:00', 9).at).toEqual(shanghai('2026-10-08T18:00:00'));
  });

  it('ends at the close of the working day when the time runs out exactly then', () => {
    expect(after('2026-11-24T09:00:00', 9).at).toEqual(shanghai('2026-11-24T18:00:00'));
    expect(after('2026-11-24T12:00:00', 6).at).toEqual(shanghai('2026-11-24T18:00:00'));
  });

  it('counts a year without holiday data (2027) as ordinary weekdays and marks the deadline provisional', () => {
    // Wed 30 Dec, Thu 31 Dec, then Fri 1 Jan 2027 (New Year's Day, unknown yet: a weekday), Mon 4 Jan.
    const deadline = after('2026-12-30T09:00:00', 36);
    expect(deadline.at).toEqual(shanghai('2027-01-04T18:00:00'));
    expect(deadline).toMatchObject({ provisional: true, years: [2026, 2027], yearsWithoutData: [2027] });
    // Once the desk adds 2027, the same clock is final and skips the holiday.
    const with2027 = businessCalendar(
      'cn-workday',
      { ...BUILT_IN_CALENDARS['cn-workday']!, holidays: { '2027': { off: ['2027-01-01'], workdays: [] } } },
      'Asia/Shanghai',
    );
    expect(workingDeadline(shanghai('2026-12-30T09:00:00'), 36 * HOUR, with2027)).toMatchObject({
      at: shanghai('2027-01-05T18:00:00'),
      provisional: false,
    });
  });

  it('is never provisional for a calendar that keeps no holidays', () => {
    const plain = businessCalendar(
      'weekdays',
      { weekdays: [1, 2, 3, 4, 5], hours: [{ from: '09:00', to: '18:00' }], builtInHolidays: 'none', holidays: {} },
      'Asia/Shanghai',
    );
    expect(workingDeadline(shanghai('2026-12-30T09:00:00'), 36 * HOUR, plain)).toMatchObject({
      at: shanghai('2027-01-04T18:00:00'),
      provisional: false,
    });
    // 1 Oct 2026 is an ordinary Thursday here.
    expect(workingDeadline(shanghai('2026-09-30T16:00:00'), 3 * HOUR, plain).at).toEqual(
      shanghai('2026-10-01T10:00:00'),
    );
  });

  it('keeps a lunch break and counts in the calendar’s own time zone, across a clock change', () => {
    const lunch = businessCalendar(
      'lunch',
      {
        weekdays: [1, 2, 3, 4, 5],
        hours: [
          { from: '09:00', to: '12:00' },
          { from: '13:30', to: '18:00' },
        ],
        builtInHolidays: 'CN',
        holidays: {},
      },
      'Asia/Shanghai',
    );
    expect(workingDeadline(shanghai('2026-11-24T11:00:00'), 2 * HOUR, lunch).at).toEqual(
      shanghai('2026-11-24T14:30:00'),
    );
    // London moves to summer time on Sun 29 Mar 2026: Mon 09:00 is 08:00 UTC.
    const london = businessCalendar(
      'london',
      {
        timeZone: 'Europe/London',
        weekdays: [1, 2, 3, 4, 5],
        hours: [{ from: '09:00', to: '17:00' }],
        builtInHolidays: 'none',
        holidays: {},
      },
      'Asia/Shanghai',
    );
    expect(workingDeadline(new Date('2026-03-27T16:00:00Z'), 2 * HOUR, london).at).toEqual(
      new Date('2026-03-30T09:00:00Z'),
    );
  });

  it('ships the State Council’s 2025 and 2026 holidays, with the 2026 make-up workdays', () => {
    const y2026 = CN_STATUTORY_HOLIDAYS['2026']!;
    expect(expandDates(y2026.workdays, 2026).dates).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    const off = expandDates(y2026.off, 2026).dates;
    for (const date of ['2026-02-15', '2026-02-23', '2026-10-01', '2026-10-07']) expect(off).toContain(date);
    expect(off).toHaveLength(33);
    expect(expandDates(CN_STATUTORY_HOLIDAYS['2025']!.off, 2025).dates).toHaveLength(28);
    expect(Object.keys(CN_STATUTORY_HOLIDAYS)).toEqual(['2025', '2026']);
  });
});

describe('deadlines with and without a business calendar', () => {
  const start = shanghai('2026-09-30T16:00:00');
  const desk = parseDeskConfig({
    ...DEFAULT_DESK_CONFIG,
    calendar: 'cn-workday',
    categories: DEFAULT_DESK_CONFIG.categories.map((c) =>
      c.id === 'privacy' ? { ...c, calendar: 'calendar-hours' } : c,
    ),
  });

  it('stays calendar hours for a desk that configures no calendar (24 h is 24 h)', () => {
    const levels = serviceLevelsFor(DEFAULT_DESK_CONFIG, 'account');
    expect(levels.calendar).toBeUndefined();
    expect(acceptanceDeadline(start, levels, 1)).toEqual(new Date(start.getTime() + 24 * HOUR * 1000));
    expect(deadlineAfter(start, 24 * HOUR, 3600)).toEqual(new Date(start.getTime() + 24_000));
    expect(openingDeadline('reply', { acceptanceDeadlineAt: start.toISOString() }, levels, 1, start)).toEqual({
      deadlineAt: new Date(start.getTime() + 72 * HOUR * 1000).toISOString(),
      deadlineProvisional: [],
    });
  });

  it('counts the desk’s calendar for every category that does not name its own', () => {
    const account = serviceLevelsFor(desk, 'account');
    expect(account.calendar?.name).toBe('cn-workday');
    expect(serviceLevelsFor(desk, 'privacy').calendar).toBeUndefined();
    expect(acceptanceDeadline(start, account, 1)).toEqual(shanghai('2026-10-10T13:00:00'));
    // The review window (15 days = 360 h) and every step's clock go through the same calendar.
    expect(reviewWindowEnd(start.toISOString(), account, 1)).toEqual(
      workingDeadline(start, 15 * 24 * HOUR, account.calendar!).at,
    );
    const investigation = openingDeadline(
      'investigation',
      { acceptanceDeadlineAt: start.toISOString() },
      account,
      1,
      start,
    );
    expect(investigation.deadlineAt).toBe(workingDeadline(start, 48 * HOUR, account.calendar!).at.toISOString());
  });

  it('counts the working time between two instants as workingDeadline spends it', () => {
    // Wed 30 Sep 16:00 to Sat 10 Oct 13:00: 2 h + 9 h + 9 h + 4 h over the National Day holiday.
    expect(workingSecondsBetween(start, shanghai('2026-10-10T13:00:00'), cn)).toBe(24 * HOUR);
    expect(workingSecondsBetween(shanghai('2026-10-10T13:00:00'), start, cn)).toBe(0);
    for (const hours of [1, 7, 30])
      expect(workingSecondsBetween(start, after('2026-09-30T16:00:00', hours).at, cn)).toBe(hours * HOUR);
  });

  it('gives a step paused for an answer its working time back: a pause over a weekend costs it nothing, scaled or not', () => {
    const account = serviceLevelsFor(desk, 'account');
    // Paused on Friday 13 Nov at 16:00 with its deadline Monday 16 Nov at 11:00: 4 working hours left.
    const pausedAt = shanghai('2026-11-13T16:00:00');
    for (const scale of [1, 3600]) {
      const deadline = deadlineAfter(pausedAt, 4 * HOUR, scale, account.calendar);
      const left = serviceSecondsLeft(deadline, pausedAt, scale, account.calendar);
      expect(left).toBeCloseTo(4 * HOUR, 0);
      // Answered on Saturday: the step resumes with its 4 working hours, due Monday at 13:00.
      const resumedAt = scale === 1 ? shanghai('2026-11-14T10:00:00') : new Date(pausedAt.getTime() + 18_000);
      const reopened = openingDeadline(
        'investigation',
        {
          acceptanceDeadlineAt: pausedAt.toISOString(),
          paused: {
            step: 'investigation',
            level: 0,
            remainingMs: 0,
            remainingServiceSeconds: left,
            to: 'complainant',
            until: resumedAt.toISOString(),
            since: pausedAt.toISOString(),
          },
        },
        account,
        scale,
        resumedAt,
      );
      expect(reopened.deadlineAt).toBe(deadlineAfter(resumedAt, 4 * HOUR, scale, account.calendar).toISOString());
      if (scale === 1) expect(reopened.deadlineAt).toBe(shanghai('2026-11-16T13:00:00').toISOString());
    }
  });

  it('under the clock scale shrinks the whole span to the working deadline, nights and holidays included', () => {
    const account = serviceLevelsFor(desk, 'account');
    const real = shanghai('2026-10-10T13:00:00').getTime() - start.getTime();
    expect(acceptanceDeadline(start, account, 3600)).toEqual(new Date(start.getTime() + real / 3600));
    expect(real / 3600 / 1000).toBe(237); // 9 days 21 h → 237 real seconds
  });

  it('says which years a deadline is provisional for, scaled or not', () => {
    const levels = serviceLevelsFor(desk, 'account');
    const now = shanghai('2026-12-30T09:00:00');
    for (const scale of [1, 3600]) {
      const opened = openingDeadline(
        'investigation',
        { acceptanceDeadlineAt: now.toISOString() },
        { ...levels, investigationSeconds: 36 * HOUR },
        scale,
        now,
      );
      expect(opened.deadlineProvisional, `x${scale}`).toEqual([2027]);
    }
    expect(provisionalYears(shanghai('2026-12-31T18:00:00'), now, levels, 1)).toEqual([]);
    expect(provisionalYears(shanghai('2027-01-04T18:00:00'), now, serviceLevelsFor(desk, 'privacy'), 1)).toEqual([]);
  });
});

describe('calendar config', () => {
  const withCalendar = (calendar: unknown, more: Record<string, unknown> = {}) => ({
    ...DEFAULT_DESK_CONFIG,
    calendars: { 'cn-office': calendar },
    calendar: 'cn-office',
    ...more,
  });
  const problemsOf = (input: unknown): string[] => {
    try {
      parseDeskConfig(input);
    } catch (error) {
      if (error instanceof InvalidConfigError) return error.problems;
      throw error;
    }
    return [];
  };

  it('accepts a calendar with defaults and added years, and parses the default desk unchanged', () => {
    const config = parseDeskConfig(
      withCalendar({
        holidays: { '2027': { off: ['2027-01-01', '2027-02-06..2027-02-13'], workdays: ['2027-02-14'] } },
      }),
    );
    expect(config.calendars['cn-office']).toMatchObject({
      weekdays: [1, 2, 3, 4, 5],
      hours: [{ from: '09:00', to: '18:00' }],
      builtInHolidays: 'CN',
    });
    const calendar = calendarNamed(config, 'cn-office')!;
    expect([...calendar.holidays.keys()]).toEqual([2025, 2026, 2027]);
    expect(calendar.holidays.get(2027)!.off.size).toBe(9);
    expect(DEFAULT_DESK_CONFIG.calendar).toBeUndefined();
    expect(DEFAULT_DESK_CONFIG.calendars).toEqual({});
  });

  it('names the field of bad calendar data', () => {
    expect(problemsOf(withCalendar({ holidays: { '2027': { off: ['2027-02-30'] } } }))).toEqual([
      'calendars.cn-office.holidays.2027.off.0: "2027-02-30" is not a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD',
    ]);
    expect(problemsOf(withCalendar({ holidays: { '2027': { off: ['2026-10-01'] } } }))).toEqual([
      'calendars.cn-office.holidays.2027.off.0: "2026-10-01" is not in 2027',
    ]);
    expect(problemsOf(withCalendar({ holidays: { '2027': { off: ['2027-10-07..2027-10-01'] } } }))).toEqual([
      'calendars.cn-office.holidays.2027.off.0: "2027-10-07..2027-10-01": the range ends before it starts',
    ]);
    expect(
      problemsOf(withCalendar({ holidays: { '2027': { off: ['2027-02-06..2027-02-13'], workdays: ['2027-02-07'] } } })),
    ).toEqual(['calendars.cn-office.holidays.2027.workdays.0: 2027-02-07 is also listed as a day off']);
    expect(problemsOf(withCalendar({ hours: [{ from: '18:00', to: '09:00' }] }))).toEqual([
      'calendars.cn-office.hours.0.to: must be after 18:00',
    ]);
    expect(problemsOf(withCalendar({ hours: [{ from: '9am', to: '18:00' }] }))).toEqual([
      'calendars.cn-office.hours.0.from: must be a time HH:MM such as 09:00 (24:00 for the end of the day)',
    ]);
    expect(
      problemsOf(
        withCalendar({
          hours: [
            { from: '09:00', to: '12:00' },
            { from: '11:00', to: '18:00' },
          ],
        }),
      ),
    ).toEqual(['calendars.cn-office.hours.1.from: overlaps the period before it (list the hours in order)']);
    expect(problemsOf(withCalendar({ weekdays: [1, 8] }))).toEqual([
      'calendars.cn-office.weekdays.1: must be 1 (Monday) to 7 (Sunday)',
    ]);
    expect(problemsOf(withCalendar({ timeZone: 'Mars/Olympus' }))).toEqual([
      'calendars.cn-office.timeZone: unknown time zone "Mars/Olympus"',
    ]);
    expect(problemsOf(withCalendar({ holidays: { '27': { off: [] } } }))).toEqual([
      'calendars.cn-office.holidays.27: "27" must be a year such as 2027',
    ]);
    expect(problemsOf({ ...DEFAULT_DESK_CONFIG, calendars: { 'Office Week': {} } })).toEqual([
      'calendars.Office Week: a calendar name is lowercase letters, digits and dashes',
    ]);
  });

  it('names a calendar that does not exist, at the desk and at a category', () => {
    expect(problemsOf({ ...DEFAULT_DESK_CONFIG, calendar: 'cn-office' })).toEqual([
      'calendar: no calendar named "cn-office" (known: calendar-hours, cn-workday)',
    ]);
    const categories = DEFAULT_DESK_CONFIG.categories.map((c, i) => (i === 1 ? { ...c, calendar: 'ops-week' } : c));
    expect(problemsOf({ ...DEFAULT_DESK_CONFIG, categories })).toEqual([
      'categories.1.calendar: no calendar named "ops-week" (known: calendar-hours, cn-workday)',
    ]);
    expect(problemsOf({ ...DEFAULT_DESK_CONFIG, calendars: { 'calendar-hours': {} } })).toEqual([
      'calendars.calendar-hours: "calendar-hours" is the built-in name for counting every hour; choose another name',
    ]);
  });

  it('warns when the next 90 days reach a year without holiday data, and only then', () => {
    const desk = parseDeskConfig({ ...DEFAULT_DESK_CONFIG, calendar: 'cn-workday' });
    const warnings = holidayDataWarnings(desk, shanghai('2026-11-01T12:00:00'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      'calendar "cn-workday" has no holiday data for 2027 (from 2027-01-01, within 90 days)',
    );
    expect(warnings[0]).toContain('desk.calendars.cn-workday.holidays.2027');
    expect(holidayDataWarnings(desk, shanghai('2026-06-01T12:00:00'))).toEqual([]);
    expect(holidayDataWarnings(DEFAULT_DESK_CONFIG, shanghai('2026-11-01T12:00:00'))).toEqual([]);
  });
});
