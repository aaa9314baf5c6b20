import { CN_STATUTORY_HOLIDAYS, type HolidayYear } from './holidays-cn';

/**
 * Working time: a calendar of working weekdays and hours in one time zone, with per-year holiday
 * data (days off, and the make-up workdays 调休 that move a weekend day into the working week).
 * A clock counted in a calendar only runs during its working hours.
 *
 * A year without holiday data is counted in ordinary working days (the calendar's weekdays); a
 * deadline that ran into such a year is provisional, and says which years.
 */

/** A calendar as the desk config writes it. */
export interface CalendarSpec {
  /** IANA zone; the desk's when absent. */
  timeZone?: string;
  /** ISO weekdays: 1 Monday … 7 Sunday. */
  weekdays: readonly number[];
  /** Working hours of a working day, `HH:MM` (`24:00` ends at midnight), in order, not overlapping. */
  hours: readonly { from: string; to: string }[];
  /** `CN`: China's statutory holidays shipped with Redress (holidays-cn.ts); `none`: only `holidays`. */
  builtInHolidays: 'CN' | 'none';
  /** Holiday data by year (`"2027"`); overrides the built-in year of the same number. */
  holidays: Readonly<Record<string, HolidayYear>>;
}

/** The calendar name for "every hour counts" (the default): service levels in calendar hours. */
export const CALENDAR_HOURS = 'calendar-hours';

/** Calendars every desk can name: China's office week (Monday to Friday, 09:00–18:00, statutory holidays and 调休). */
export const BUILT_IN_CALENDARS: Readonly<Record<string, CalendarSpec>> = {
  'cn-workday': {
    weekdays: [1, 2, 3, 4, 5],
    hours: [{ from: '09:00', to: '18:00' }],
    builtInHolidays: 'CN',
    holidays: {},
  },
};

/** A calendar ready for arithmetic. */
export interface BusinessCalendar {
  name: string;
  timeZone: string;
  weekdays: ReadonlySet<number>;
  /** Minutes after local midnight, in order. */
  hours: readonly { from: number; to: number }[];
  /** Per year: the dates off and the make-up workdays. */
  holidays: ReadonlyMap<number, { off: ReadonlySet<string>; workdays: ReadonlySet<string> }>;
  /** False for a calendar with no holiday data at all: no year of it is ever missing. */
  observesHolidays: boolean;
}

/** A deadline in working time: the instant, the local years it spans, and those without holiday data. */
export interface WorkingDeadline {
  at: Date;
  years: number[];
  yearsWithoutData: number[];
  provisional: boolean;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK_TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;
const DAY_MS = 86_400_000;
/** No service level needs more than ten years of days to find its working time. */
const MAX_DAYS = 3660;

/** `HH:MM` as minutes after midnight, or undefined when it is not one. */
export function clockMinutes(value: string): number | undefined {
  const match = CLOCK_TIME.exec(value);
  if (!match) return undefined;
  return match[1] === undefined ? 1440 : Number(match[1]) * 60 + Number(match[2]);
}

/** A real calendar date `YYYY-MM-DD` as its day number (days since 1970-01-01), or undefined. */
export function dayNumber(date: string): number | undefined {
  const match = DATE.exec(date);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The dates a holiday list names, each range expanded; a problem for each entry that is not a
 * date or a range in order. `year`, when given, must hold every date.
 */
export function expandDates(
  entries: readonly string[],
  year?: number,
): { dates: string[]; problems: { index: number; message: string }[] } {
  const dates: string[] = [];
  const problems: { index: number; message: string }[] = [];
  for (const [index, entry] of entries.entries()) {
    const [first = '', last = first, extra] = entry.split('..');
    const from = dayNumber(first);
    const to = dayNumber(last);
    if (extra !== undefined || from === undefined || to === undefined) {
      problems.push({ index, message: `"${entry}" is not a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD` });
    } else if (to < from) {
      problems.push({ index, message: `"${entry}": the range ends before it starts` });
    } else if (year !== undefined && (!first.startsWith(`${year}-`) || !last.startsWith(`${year}-`))) {
      problems.push({ index, message: `"${entry}" is not in ${year}` });
    } else {
      for (let day = from; day <= to; day++) dates.push(dateOf(day));
    }
  }
  return { dates, problems };
}

/**
 * A calendar from its config: the built-in holiday years (shipped data) first, the spec's own
 * years over them. Throws on data that the config schema would have refused.
 */
export function businessCalendar(name: string, spec: CalendarSpec, deskTimeZone: string): BusinessCalendar {
  const holidays = new Map<number, { off: ReadonlySet<string>; workdays: ReadonlySet<string> }>();
  const builtIn = spec.builtInHolidays === 'CN' ? CN_STATUTORY_HOLIDAYS : {};
  for (const [year, data] of Object.entries({ ...builtIn, ...spec.holidays })) {
    const off = expandDates(data.off, Number(year));
    const workdays = expandDates(data.workdays, Number(year));
    const problem = off.problems[0] ?? workdays.problems[0];
    if (problem) throw new RangeError(`calendar ${name}, holidays ${year}: ${problem.message}`);
    holidays.set(Number(year), { off: new Set(off.dates), workdays: new Set(workdays.dates) });
  }
  const hours = spec.hours.map(({ from, to }) => ({ from: clockMinutes(from)!, to: clockMinutes(to)! }));
  if (hours.some((h, i) => !(h.from < h.to) || (i > 0 && h.from < hours[i - 1]!.to)))
    throw new RangeError(`calendar ${name}: working hours must be in order and not overlap`);
  if (!spec.weekdays.length || !hours.length)
    throw new RangeError(`calendar ${name}: needs working weekdays and hours`);
  return {
    name,
    timeZone: spec.timeZone ?? deskTimeZone,
    weekdays: new Set(spec.weekdays),
    hours,
    holidays,
    observesHolidays: holidays.size > 0,
  };
}

// ---- Time zones: wall-clock time in the calendar's zone, and back to an instant.

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's wall-clock reading at `ms`, as if it were UTC (ms), whole seconds. */
function wallClock(ms: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour) % 24,
    Number(parts.minute),
    Number(parts.second),
  );
}

/** The local day number of an instant in the zone. */
export function localDay(at: Date, timeZone: string): number {
  return Math.floor(wallClock(at.getTime(), timeZone) / DAY_MS);
}

/** The instant at `minutes` after local midnight of local day `day` (the later reading when a clock change repeats it). */
function instantAt(day: number, minutes: number, timeZone: string): number {
  const wall = day * DAY_MS + minutes * 60_000;
  let guess = wall - (wallClock(wall, timeZone) - wall);
  const offset = wallClock(guess, timeZone) - guess;
  guess = wall - offset;
  return guess;
}

// ---- Working days and working time.

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** ISO weekday of a day number: 1 Monday … 7 Sunday (1970-01-01 was a Thursday). */
function weekdayOf(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Whether a local day is a working day, and whether the answer rests on holiday data. */
export function workingDay(calendar: BusinessCalendar, day: number): { working: boolean; withoutData: boolean } {
  const data = calendar.holidays.get(yearOf(day));
  const date = dateOf(day);
  if (data?.workdays.has(date)) return { working: true, withoutData: false };
  if (data?.off.has(date)) return { working: false, withoutData: false };
  return { working: calendar.weekdays.has(weekdayOf(day)), withoutData: calendar.observesHolidays && !data };
}

/**
 * The instant after `seconds` of working time from `start`: the clock runs only in working hours
 * of working days; a start outside them waits for the next working hour. Exactly at the end of a
 * working period the deadline is that end (18:00, not the next morning).
 */
export function workingDeadline(start: Date, seconds: number, calendar: BusinessCalendar): WorkingDeadline {
  if (!(seconds >= 0)) throw new RangeError(`working time must be zero or more seconds, got ${seconds}`);
  let remaining = seconds * 1000;
  const startMs = start.getTime();
  if (remaining === 0) return { at: new Date(startMs), years: [], yearsWithoutData: [], provisional: false };
  const years = new Set<number>();
  const withoutData = new Set<number>();
  const first = localDay(start, calendar.timeZone);
  for (let day = first; day < first + MAX_DAYS; day++) {
    years.add(yearOf(day));
    const status = workingDay(calendar, day);
    if (status.withoutData) withoutData.add(yearOf(day));
    if (!status.working) continue;
    for (const period of calendar.hours) {
      const end = instantAt(day, period.to, calendar.timeZone);
      const from = Math.max(instantAt(day, period.from, calendar.timeZone), startMs);
      if (from >= end) continue;
      if (remaining <= end - from) {
        const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);
        return {
          at: new Date(from + remaining),
          years: sorted(years),
          yearsWithoutData: sorted(withoutData),
          provisional: withoutData.size > 0,
        };
      }
      remaining -= end - from;
    }
  }
  throw new RangeError(
    `calendar ${calendar.name} has no working time in ${MAX_DAYS} days after ${start.toISOString()}`,
  );
}

/** The working time between two instants, in seconds: what `workingDeadline` from `from` would need to reach `to`. */
export function workingSecondsBetween(from: Date, to: Date, calendar: BusinessCalendar): number {
  const [fromMs, toMs] = [from.getTime(), to.getTime()];
  if (toMs <= fromMs) return 0;
  let worked = 0;
  const last = localDay(to, calendar.timeZone);
  for (let day = localDay(from, calendar.timeZone); day <= last; day++) {
    if (!workingDay(calendar, day).working) continue;
    for (const period of calendar.hours) {
      const start = Math.max(instantAt(day, period.from, calendar.timeZone), fromMs);
      const end = Math.min(instantAt(day, period.to, calendar.timeZone), toMs);
      if (end > start) worked += end - start;
    }
  }
  return worked / 1000;
}

/**
 * The years without holiday data among the local days from `from` for `days` days: what a desk
 * must add before its clocks run into them.
 */
export function yearsWithoutHolidayData(
  calendar: BusinessCalendar,
  from: Date,
  days: number,
): { year: number; firstDay: string }[] {
  if (!calendar.observesHolidays) return [];
  const missing: { year: number; firstDay: string }[] = [];
  const first = localDay(from, calendar.timeZone);
  for (let day = first; day <= first + days; day++) {
    const year = yearOf(day);
    if (!calendar.holidays.has(year) && !missing.some((m) => m.year === year))
      missing.push({ year, firstDay: dateOf(day) });
  }
  return missing;
}
