import {
  addContribution as addToIncrements,
  type Contribution,
  emptyIncrements,
  type Increments,
  type RangeFigures,
} from './analytics-figures';
export type { Contribution } from './analytics-figures';
import {
  type AnalyticsStage,
  COUNTED_FIGURES,
  type CountedFigureId,
  type CountedValue,
  countedValues,
  countersOf,
} from './analytics-counts';
export { ANALYTICS_STAGES, type AnalyticsStage, replySenderOf } from './analytics-counts';
import {
  type CaseFacts,
  CLOSINGS,
  dayOf,
  type FigureWrites,
  HOTSPOTS,
  type HotspotEntry,
  RATINGS,
  type RatingFigure,
  RECEIVED,
  SERVICE_LEVELS,
  SHAPED_WRITERS,
  sortedRecord,
  type StageFigure,
  STATUSES,
  TIMES,
  type TimeFigure,
  type TimeMeasure,
} from './analytics-shapes';
export {
  type CaseFacts,
  dayOf,
  type HotspotEntry,
  type RatingFigure,
  statusAfter,
  TIME_MEASURES,
  type TimeFigure,
  timeFigure,
  type TimeMeasure,
} from './analytics-shapes';
import type { DeskConfig } from './config';
import type { ComplaintEvent } from './history';
import type { Bilingual } from './language';

/**
 * The desk's figures: what each history event adds (`contributionsOf`), and the view a person
 * reads (a range of days, grouped by day, week or month) made from the figures kept for the range
 * (`summarise`; analytics-figures.ts says how they are kept and read). Pure: the stream
 * aggregator, the rebuild and the recount all call `contributionsOf` on the same events, so the
 * figures the page shows are the events' figures.
 *
 * Every figure belongs to the team of the case's category (`<team>|<metric>`), so a supervisor's
 * view sums their teams and a manager's all of them. Metrics use `:` between their parts (emails
 * hold dots, never colons).
 *
 * The counted figures are defined in analytics-counts.ts, the figures with a shape of their own
 * (statuses, closings, service levels, times, ratings, hotspots) in analytics-shapes.ts: each says
 * what an event writes for it and how the view reads it back.
 */

export const GROUPINGS = ['day', 'week', 'month'] as const;
export type GroupBy = (typeof GROUPINGS)[number];

/**
 * What one event adds to the aggregates, given the case's facts and the events before it (in
 * history order). Events that change no figure add nothing.
 */
export function contributionsOf(
  event: ComplaintEvent,
  prior: readonly ComplaintEvent[],
  facts: CaseFacts,
  timeZone: string,
): Contribution[] {
  const day = dayOf(event.at, timeZone);
  const add: Record<string, number> = {};
  const durations: Record<string, number[]> = {};
  const out: Contribution[] = [];
  const put: FigureWrites = {
    count: (metric, n = 1) => (add[`${facts.team}|${metric}`] = (add[`${facts.team}|${metric}`] ?? 0) + n),
    time: (metric, value) => (durations[`${facts.team}|${metric}`] ??= []).push(value),
    countOn: (on, counters) =>
      out.push({
        day: on,
        add: Object.fromEntries(Object.entries(counters).map(([metric, n]) => [`${facts.team}|${metric}`, n])),
        durations: {},
      }),
  };
  for (const counter of countersOf(event, prior)) put.count(counter);
  for (const write of SHAPED_WRITERS) write({ event, prior, facts, timeZone }, put);
  if (Object.keys(add).length || Object.keys(durations).length) out.unshift({ day, add, durations });
  // One contribution per day.
  const merged = new Map<string, Contribution>();
  for (const c of out) {
    const into = merged.get(c.day) ?? merged.set(c.day, { day: c.day, add: {}, durations: {} }).get(c.day)!;
    for (const [k, n] of Object.entries(c.add)) into.add[k] = (into.add[k] ?? 0) + n;
    for (const [k, list] of Object.entries(c.durations)) (into.durations[k] ??= []).push(...list);
  }
  return [...merged.values()];
}

/**
 * What a case's whole history adds, event by event in order: what the stream adds up over time,
 * computed at once (the rebuild and the recount).
 */
export function incrementsOfCases(
  cases: Iterable<{ events: readonly ComplaintEvent[]; facts: CaseFacts & { subjectLabel?: string } }>,
  timeZone: string,
  into: Increments = emptyIncrements(),
): Increments {
  for (const { events, facts } of cases) {
    events.forEach((event, i) => {
      for (const c of contributionsOf(event, events.slice(0, i), facts, timeZone)) addToIncrements(into, c);
    });
    if (facts.subjectKey && facts.subjectLabel && events.some((e) => e.action === 'complaint.received'))
      into.labels[facts.subjectKey] = facts.subjectLabel;
  }
  return into;
}

// ---- Ranges

export interface AnalyticsRange {
  from: string;
  to: string;
  groupBy: GroupBy;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** At most this many days in one view. */
export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 30;

const toUtc = (date: string) => new Date(`${date}T00:00:00Z`);
const fromUtc = (at: Date) => at.toISOString().slice(0, 10);
export const addDays = (date: string, n: number) => fromUtc(new Date(toUtc(date).getTime() + n * 86400_000));
const validDate = (date: string) =>
  DATE.test(date) && !Number.isNaN(toUtc(date).getTime()) && fromUtc(toUtc(date)) === date;

/** The days of a range, first to last. */
export function daysOf(range: Pick<AnalyticsRange, 'from' | 'to'>): string[] {
  const out: string[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The range of the same length just before this one (hotspots rise against it). */
export function previousRange(range: AnalyticsRange): AnalyticsRange {
  const length = daysOf(range).length;
  return { from: addDays(range.from, -length), to: addDays(range.from, -1), groupBy: range.groupBy };
}

export type RangeResult =
  | { ok: true; range: AnalyticsRange }
  | { ok: false; errors: { path: string; message: Bilingual }[] };

/** The range asked for (`from`, `to` dates in the desk's zone, `groupBy`); by default the last 30 days by day. */
export function analyticsRangeOf(
  query: Record<string, string | undefined> | null | undefined,
  now: Date,
  timeZone: string,
): RangeResult {
  const q = query ?? {};
  const errors: { path: string; message: Bilingual }[] = [];
  const today = dayOf(now.toISOString(), timeZone);
  const date = (name: 'from' | 'to') => {
    const value = q[name]?.trim();
    if (!value) return undefined;
    if (validDate(value)) return value;
    errors.push({
      path: name,
      message: {
        'zh-CN': `“${value.slice(0, 20)}”不是有效日期，格式为 YYYY-MM-DD`,
        en: `"${value.slice(0, 20)}" is not a date; use YYYY-MM-DD`,
      },
    });
    return today;
  };
  const to = date('to') ?? today;
  const from = date('from') ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  const groupBy = (q.groupBy?.trim() || 'day') as GroupBy;
  if (!GROUPINGS.includes(groupBy))
    errors.push({
      path: 'groupBy',
      message: { 'zh-CN': '分组须为 day、week 或 month', en: 'groupBy must be day, week or month' },
    });
  if (!errors.length && from > to)
    errors.push({ path: 'from', message: { 'zh-CN': '开始日期不能晚于结束日期', en: 'from must not be after to' } });
  if (!errors.length && daysOf({ from, to }).length > MAX_RANGE_DAYS)
    errors.push({
      path: 'from',
      message: { 'zh-CN': `范围最长 ${MAX_RANGE_DAYS} 天`, en: `a range is at most ${MAX_RANGE_DAYS} days` },
    });
  return errors.length ? { ok: false, errors } : { ok: true, range: { from, to, groupBy } };
}

/** The desk week (Monday to Sunday) before the one `now` falls in: what the weekly report covers. */
export function lastFullWeek(now: Date, timeZone: string): AnalyticsRange {
  const today = dayOf(now.toISOString(), timeZone);
  const weekday = (toUtc(today).getUTCDay() + 6) % 7; // Monday 0
  const monday = addDays(today, -weekday - 7);
  return { from: monday, to: addDays(monday, 6), groupBy: 'day' };
}

/** The period a day belongs to: the day itself, the Monday of its week, or its month (YYYY-MM). */
export function periodOf(day: string, groupBy: GroupBy): string {
  if (groupBy === 'day') return day;
  if (groupBy === 'month') return day.slice(0, 7);
  return addDays(day, -((toUtc(day).getUTCDay() + 6) % 7));
}

// ---- The view

/** Nearest-rank percentile of a sorted list: the value at rank ⌈p·n⌉; undefined for no values (the exact figure a histogram's stays within RELATIVE_ERROR of). */
export function nearestRank(sorted: readonly number[], p: number): number | undefined {
  if (!sorted.length) return undefined;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

export interface AnalyticsView {
  range: AnalyticsRange & { timeZone: string; teams: string[] };
  /** Every counted figure (analytics-counts.ts); the sections below repeat some under their own names. */
  counts: Record<CountedFigureId, CountedValue>;
  received: {
    total: number;
    byCategory: Record<string, number>;
    byChannel: Record<string, number>;
    byTeam: Record<string, number>;
    byPriority: Record<string, number>;
    byStatus: Record<string, number>;
    series: { period: string; total: number; byCategory: Record<string, number> }[];
  };
  serviceLevels: {
    byStage: Record<AnalyticsStage, StageFigure>;
    byTeam: Record<string, Record<AnalyticsStage, StageFigure>>;
    times: Record<TimeMeasure, TimeFigure>;
    timesByTeam: Record<string, Record<TimeMeasure, TimeFigure>>;
    escalations: number;
    breaches: number;
  };
  outcomes: {
    accepted: number;
    rejected: { total: number; byReason: Record<string, number> };
    withdrawn: number;
    duplicatesLinked: number;
    refusedOutOfScope: number;
    bansIssued: number;
    closed: Record<string, number>;
  };
  satisfaction: RatingFigure & {
    surveysSent: number;
    unanswered: number;
    responseRate: number | null;
    byCategory: Record<string, RatingFigure>;
    byTeam: Record<string, RatingFigure>;
    reviews: { requested: number; overturned: number };
  };
  hotspots: HotspotEntry[];
  rising: HotspotEntry[];
  handlers: {
    email: string;
    teams: string[];
    decided: number;
    onTime: number;
    onTimeShare: number | null;
    times: Record<TimeMeasure, TimeFigure>;
    satisfaction: { responses: number; mean: number | null };
    reviewsOverturned: number;
    openLoad: number;
  }[];
}

/** Sums the days' counters per team, for the teams in scope. */
function sumDays(days: RangeFigures['days'], keep: (day: string) => boolean, scope: ReadonlySet<string>) {
  const byTeam = new Map<string, Map<string, number>>();
  for (const [day, teams] of Object.entries(days)) {
    if (!keep(day)) continue;
    for (const [team, counters] of Object.entries(teams)) {
      if (!scope.has(team)) continue;
      const into = byTeam.get(team) ?? byTeam.set(team, new Map()).get(team)!;
      for (const [metric, n] of Object.entries(counters)) if (n) into.set(metric, (into.get(metric) ?? 0) + n);
    }
  }
  return byTeam;
}

/** How many subjects `readRange` looks at for each of the two hotspot lists, for `top` shown. */
export const hotspotCandidates = (top: number) => 3 * top;

/**
 * The view over a range, from the figures kept for it and the range before (for rising
 * hotspots), for the teams in the reader's scope, with the current open load per address.
 */
export function summarise(input: {
  range: AnalyticsRange;
  figures: RangeFigures;
  teams: readonly string[];
  config: DeskConfig;
  openLoad: Readonly<Record<string, number>>;
  top?: number;
}): AnalyticsView {
  const { range, config, figures } = input;
  const top = input.top ?? 10;
  const scope = new Set(input.teams);
  const inRange = (day: string) => day >= range.from && day <= range.to;
  const teams = sumDays(figures.days, inRange, scope);
  const previous = sumDays(figures.days, (day) => day < range.from, scope);
  const count = (metric: string) => [...teams.values()].reduce((s, t) => s + (t.get(metric) ?? 0), 0);
  const teamCount = (name: string, metric: string) => teams.get(name)?.get(metric) ?? 0;
  const withPrefix = (folded: typeof teams, prefix: string) => {
    const out = new Map<string, number>();
    for (const t of folded.values())
      for (const [metric, n] of t)
        if (metric.startsWith(prefix))
          out.set(metric.slice(prefix.length), (out.get(metric.slice(prefix.length)) ?? 0) + n);
    return out;
  };

  const under = (prefix: string) => withPrefix(teams, prefix);

  // Received, over time: each period's total and its categories.
  const series = new Map<string, { period: string; total: number; byCategory: Record<string, number> }>();
  for (const day of daysOf(range)) {
    const period = periodOf(day, range.groupBy);
    if (!series.has(period)) series.set(period, { period, total: 0, byCategory: {} });
  }
  for (const [day, byTeam] of Object.entries(figures.days)) {
    if (!inRange(day)) continue;
    const entry = series.get(periodOf(day, range.groupBy))!;
    for (const [team, counters] of Object.entries(byTeam)) {
      if (!scope.has(team)) continue;
      for (const [metric, n] of Object.entries(counters)) {
        const category = RECEIVED.seriesCategory(metric);
        if (metric === COUNTED_FIGURES.received.counter) entry.total += n;
        else if (category !== undefined) entry.byCategory[category] = (entry.byCategory[category] ?? 0) + n;
      }
    }
  }

  const teamNames = [...scope].sort();
  const teamTimes = (name?: string) =>
    TIMES.read(
      Object.entries(figures.times)
        .filter(([team]) => scope.has(team) && (!name || team === name))
        .map(([, h]) => h),
    );
  const { hotspots, rising } = HOTSPOTS.read({
    subjects: figures.subjects,
    categories: RECEIVED.byCategory(under),
    previousCategories: RECEIVED.byCategory((prefix) => withPrefix(previous, prefix)),
    config,
    top,
  });

  // Handlers: the members of the teams in scope, and anyone else with figures on their cases.
  const people = new Map<string, Set<string>>();
  const personIn = (email: string) => people.get(email) ?? people.set(email, new Set()).get(email)!;
  for (const name of teamNames) {
    const team = config.teams[name];
    if (!team) continue;
    for (const email of [...team.handlers, team.supervisor, team.manager].map((e) => e.toLowerCase()))
      personIn(email).add(name);
  }
  for (const [team, emails] of Object.entries(figures.people))
    if (scope.has(team)) for (const email of Object.keys(emails)) personIn(email);
  const handlers = [...people.entries()]
    .map(([email, in_]) => {
      const theirs = Object.entries(figures.people)
        .filter(([team]) => scope.has(team))
        .flatMap(([, emails]) => (emails[email] ? [emails[email]] : []));
      const c = (metric: string) => theirs.reduce((s, p) => s + (p.n[metric] ?? 0), 0);
      const rating = RATINGS.read(c);
      return {
        email,
        teams: [...in_].sort(),
        ...SERVICE_LEVELS.person(c),
        times: TIMES.read(theirs.map((p) => p.h)),
        satisfaction: { responses: rating.responses, mean: rating.mean },
        reviewsOverturned: c(COUNTED_FIGURES.reviewsOverturned.counter),
        openLoad: input.openLoad[email] ?? 0,
      };
    })
    .sort((a, b) => b.decided - a.decided || a.email.localeCompare(b.email));

  const rating = RATINGS.read(count);
  const counts = countedValues(count, (prefix) => sortedRecord(under(prefix)));
  const surveysSent = counts.surveysSent.total;
  const received = RECEIVED.read(under);
  const { escalations, breaches } = SERVICE_LEVELS.totals(count);
  return {
    range: { ...range, timeZone: config.timeZone, teams: teamNames },
    counts,
    received: {
      total: counts.received.total,
      byCategory: sortedRecord(RECEIVED.byCategory(under)),
      byChannel: received.byChannel,
      byTeam: sortedRecord(
        teamNames.map((name) => [name, teamCount(name, COUNTED_FIGURES.received.counter)] as [string, number]),
      ),
      byPriority: received.byPriority,
      byStatus: STATUSES.read(under),
      series: [...series.values()],
    },
    serviceLevels: {
      byStage: SERVICE_LEVELS.read(count),
      byTeam: Object.fromEntries(teamNames.map((name) => [name, SERVICE_LEVELS.read((m) => teamCount(name, m))])),
      times: teamTimes(),
      timesByTeam: Object.fromEntries(teamNames.map((name) => [name, teamTimes(name)])),
      escalations,
      breaches,
    },
    outcomes: {
      accepted: counts.accepted.total,
      rejected: { total: counts.rejected.total, byReason: counts.rejected.byKey ?? {} },
      withdrawn: counts.withdrawn.total,
      duplicatesLinked: counts.duplicatesLinked.total,
      refusedOutOfScope: counts.refusedOutOfScope.total,
      bansIssued: counts.bansIssued.total,
      closed: CLOSINGS.read(under),
    },
    satisfaction: {
      ...rating,
      surveysSent,
      unanswered: counts.unanswered.total,
      responseRate: RATINGS.responseRate(rating.responses, surveysSent),
      byCategory: Object.fromEntries(RATINGS.categories(under).map((c) => [c, RATINGS.read(count, `:category:${c}`)])),
      byTeam: Object.fromEntries(teamNames.map((name) => [name, RATINGS.read((m) => teamCount(name, m))])),
      reviews: { requested: counts.reviewsRequested.total, overturned: counts.reviewsOverturned.total },
    },
    hotspots,
    rising,
    handlers,
  };
}

/** The teams whose figures a member sees: a supervisor's own teams, a manager's and an operator's all. */
export function analyticsTeams(
  member: { role: string; teams: Record<string, string> },
  config: DeskConfig,
): string[] | undefined {
  if (member.role === 'manager' || member.role === 'admin') return Object.keys(config.teams).sort();
  const supervised = Object.entries(member.teams)
    .filter(([, place]) => place === 'supervisor' || place === 'manager')
    .map(([name]) => name);
  return supervised.length ? supervised.sort() : undefined;
}

// ---- The weekly report's schedule

const WEEKDAY_NUMBERS: Record<string, number> = {
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
  sunday: 7,
};

/** The instant a wall-clock time (`HH:MM`) on a date has in a time zone. */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const [h, m] = time.split(':').map(Number);
  const guess = new Date(`${date}T00:00:00Z`).getTime() + (h! * 60 + m!) * 60_000;
  const offsetAt = (at: number) => {
    const name =
      new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
        .formatToParts(new Date(at))
        .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
    return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0)) * 60_000 : 0;
  };
  const first = guess - offsetAt(guess);
  return new Date(guess - offsetAt(first));
}

/** When the weekly report next goes out after `now`: its weekday and time in the desk's zone. */
export function nextWeeklyReportAt(now: Date, weekly: { day: string; time: string }, timeZone: string): Date {
  const today = dayOf(now.toISOString(), timeZone);
  for (let i = 0; i <= 7; i++) {
    const date = addDays(today, i);
    const weekday = ((toUtc(date).getUTCDay() + 6) % 7) + 1;
    if (weekday !== WEEKDAY_NUMBERS[weekly.day]) continue;
    const at = zonedInstant(date, weekly.time, timeZone);
    if (at.getTime() > now.getTime()) return at;
  }
  return zonedInstant(addDays(today, 7), weekly.time, timeZone);
}
