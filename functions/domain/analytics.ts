import {
  addContribution as addToIncrements,
  type Contribution,
  emptyIncrements,
  type Increments,
  type RangeFigures,
} from './analytics-figures';
export type { Contribution } from './analytics-figures';
import {
  ANALYTICS_STAGES,
  type AnalyticsStage,
  COUNTED_FIGURES,
  type CountedFigureId,
  type CountedValue,
  countedValues,
  countersOf,
  DECISION_ACTIONS,
  isStage,
  replySenderOf,
} from './analytics-counts';
export { ANALYTICS_STAGES, type AnalyticsStage, replySenderOf } from './analytics-counts';
import type { DeskConfig } from './config';
import { countOf, mergeInto, percentileOf, RELATIVE_ERROR, type Histogram } from './histogram';
import type { ComplaintEvent } from './history';
import type { Bilingual } from './language';
import { STEP_STATUS, type ComplaintStatus, type HumanStep } from './lifecycle';

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
 * Times to a stage (to acceptance, to findings, to reply) are measured in seconds from the
 * case's receipt and kept as histograms (histogram.ts): counts are exact, and a median or 90th
 * percentile (nearest rank, the value at rank ⌈p·n⌉) read from them is within RELATIVE_ERROR
 * (2 %) of the one the times themselves give; every time figure says so (`approximate`).
 */

/** Times measured from receipt: to the acceptance decision, to the findings, to the reply. */
export const TIME_MEASURES = ['accept', 'findings', 'reply'] as const;
export type TimeMeasure = (typeof TIME_MEASURES)[number];

export const GROUPINGS = ['day', 'week', 'month'] as const;
export type GroupBy = (typeof GROUPINGS)[number];

/** What a case's events do not repeat: where it belongs, read once from its record. */
export interface CaseFacts {
  team: string;
  category: string;
  receivedAt: string;
  subjectKey?: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const minutes = new Map<string, string>();
/** The date (YYYY-MM-DD) an instant falls on in the desk's time zone. */
export function dayOf(iso: string, timeZone: string): string {
  // Every zone's offset is whole minutes: one answer per zone and UTC minute (the rebuild and the
  // bench ask for millions of events).
  const cacheable = iso.endsWith('Z') && iso[16] === ':';
  const minute = `${timeZone}|${iso.slice(0, 16)}`;
  const known = cacheable ? minutes.get(minute) : undefined;
  if (known) return known;
  let format = formatters.get(timeZone);
  if (!format)
    formatters.set(
      timeZone,
      (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })),
    );
  const day = format.format(new Date(iso));
  if (cacheable) {
    if (minutes.size > 100_000) minutes.clear();
    minutes.set(minute, day);
  }
  return day;
}

const seconds = (from: string, to: string) =>
  Math.max(0, Math.round((new Date(to).getTime() - new Date(from).getTime()) / 1000));

/** Where a case stands after these events: its status, as the events say it. */
export function statusAfter(events: readonly ComplaintEvent[]): ComplaintStatus {
  let status: ComplaintStatus = 'received';
  for (const event of events) {
    if (event.action === 'task.assigned' && typeof event.details?.step === 'string')
      status = STEP_STATUS[event.details.step as HumanStep] ?? status;
    else if (event.action === 'review.requested') status = 'review';
    else if (event.action === 'complaint.closed') status = 'closed';
  }
  return status;
}

/** Whether the stage's current task missed a deadline: escalated since it was last given out at level 0. */
function escalatedSinceAssigned(prior: readonly ComplaintEvent[], step: string): boolean {
  for (let i = prior.length - 1; i >= 0; i--) {
    const event = prior[i]!;
    if (event.details?.step !== step) continue;
    if (event.action === 'task.escalated') return true;
    if (event.action === 'task.assigned' && (event.details?.level ?? 0) === 0) return false;
  }
  return false;
}

/**
 * The staff task that is late and still open after these events, if any: its stage and the day
 * (desk time) its first escalation made it late. An open late task counts against the on-time
 * share (`lateOpen:<stage>`, kept on that day) until it is decided or the case closes.
 */
function openLateTask(
  prior: readonly ComplaintEvent[],
  timeZone: string,
): { stage: AnalyticsStage; day: string } | undefined {
  for (let i = prior.length - 1; i >= 0; i--) {
    const event = prior[i]!;
    const step = event.details?.step;
    if (event.action === 'complaint.closed') return undefined;
    if (DECISION_ACTIONS.has(event.action) && isStage(step)) return undefined;
    if (event.action === 'task.assigned' && (event.details?.level ?? 0) === 0) return undefined;
    if (event.action === 'task.escalated' && isStage(step) && (event.details?.fromLevel ?? 0) === 0)
      return { stage: step, day: dayOf(event.at, timeZone) };
  }
  return undefined;
}

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
  const count = (metric: string, n = 1) => (add[`${facts.team}|${metric}`] = (add[`${facts.team}|${metric}`] ?? 0) + n);
  const time = (metric: string, value: number) => (durations[`${facts.team}|${metric}`] ??= []).push(value);
  const out: Contribution[] = [];
  const statusMove = (to: ComplaintStatus) => {
    const from = statusAfter(prior);
    if (from === to) return;
    // Counted on the day the case was received: "received in the range, and where they stand now".
    out.push({
      day: dayOf(facts.receivedAt, timeZone),
      add: { [`${facts.team}|status:${from}`]: -1, [`${facts.team}|status:${to}`]: 1 },
      durations: {},
    });
  };
  const details = event.details ?? {};
  const step = details.step;
  const by = typeof details.decidedBy === 'string' ? details.decidedBy.toLowerCase() : undefined;

  for (const counter of countersOf(event, prior)) count(counter);
  switch (event.action) {
    case 'complaint.received':
      count(`received:category:${facts.category}`);
      if (typeof details.channel === 'string') count(`received:channel:${details.channel}`);
      if (details.priority !== undefined && details.priority !== null) count(`received:priority:${details.priority}`);
      if (facts.subjectKey) count(`received:subject:${facts.subjectKey}`);
      count('status:received');
      break;
    case 'task.assigned':
      if (typeof step === 'string' && STEP_STATUS[step as HumanStep]) statusMove(STEP_STATUS[step as HumanStep]);
      break;
    case 'task.escalated':
      if (isStage(step)) {
        count(`escalated:${step}`);
        // The task is late from its first escalation until decided (or the case closes).
        if ((details.fromLevel ?? 0) === 0) count(`lateOpen:${step}`);
        const breachedBefore = prior.some((e) => e.action === 'task.escalated' && e.details?.breached === true);
        if (details.breached === true && !breachedBefore) count(`breached:${step}`);
      }
      break;
    case 'survey.answered': {
      const rating = Number(details.rating);
      if (Number.isInteger(rating) && rating >= 1 && rating <= 5) {
        count(`rating:${rating}`);
        count(`rating:${rating}:category:${facts.category}`);
        const sender = replySenderOf(prior);
        if (sender) count(`rating:${rating}:by:${sender}`);
      }
      break;
    }
    case 'review.requested':
      statusMove('review');
      break;
    case 'complaint.closed': {
      // Once per case: a case closed, reopened for review and closed again counts at its last
      // closing (with its last outcome), taken off the day of the closing before.
      const before = [...prior].reverse().find((e) => e.action === 'complaint.closed');
      if (before)
        out.push({
          day: dayOf(before.at, timeZone),
          add: { [`${facts.team}|closed:${String(before.details?.outcome ?? 'unknown')}`]: -1 },
          durations: {},
        });
      count(`closed:${String(details.outcome ?? 'unknown')}`);
      statusMove('closed');
      const late = openLateTask(prior, timeZone);
      if (late) out.push({ day: late.day, add: { [`${facts.team}|lateOpen:${late.stage}`]: -1 }, durations: {} });
      break;
    }
  }

  if (DECISION_ACTIONS.has(event.action) && isStage(step)) {
    const onTime = !escalatedSinceAssigned(prior, step);
    count(`decided:${step}`);
    const late = onTime ? undefined : openLateTask(prior, timeZone);
    if (late) out.push({ day: late.day, add: { [`${facts.team}|lateOpen:${late.stage}`]: -1 }, durations: {} });
    if (onTime) count(`onTime:${step}`);
    if (by) {
      count(`decided:${step}:by:${by}`);
      if (onTime) count(`onTime:${step}:by:${by}`);
    }
    const measure: TimeMeasure | undefined =
      step === 'acceptance' && details.decision === 'accept'
        ? 'accept'
        : event.action === 'findings.recorded'
          ? 'findings'
          : event.action === 'reply.sent'
            ? 'reply'
            : undefined;
    if (measure) {
      const value = seconds(facts.receivedAt, event.at);
      time(`time:${measure}`, value);
      if (by) time(`time:${measure}:by:${by}`, value);
    }
  }
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

const share = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10000) / 10000 : null);
const mean2 = (sum: number, n: number) => (n ? Math.round((sum / n) * 100) / 100 : null);

export interface TimeFigure {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  /** The median and 90th percentile are read from histograms: within this share of the exact values; the count is exact. */
  approximate: { relativeError: number };
}

export function timeFigure(h: Histogram | undefined): TimeFigure {
  return {
    count: countOf(h),
    medianSeconds: percentileOf(h, 50) ?? null,
    p90Seconds: percentileOf(h, 90) ?? null,
    approximate: { relativeError: RELATIVE_ERROR },
  };
}

export interface RatingFigure {
  responses: number;
  mean: number | null;
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
}

function ratingFigure(count: (metric: string) => number, suffix = ''): RatingFigure {
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } as RatingFigure['distribution'];
  let sum = 0;
  let responses = 0;
  for (const n of [1, 2, 3, 4, 5] as const) {
    const c = count(`rating:${n}${suffix}`);
    distribution[String(n) as '1'] = c;
    sum += n * c;
    responses += c;
  }
  return { responses, mean: mean2(sum, responses), distribution };
}

export interface HotspotEntry {
  kind: 'subject' | 'category';
  key: string;
  label: string;
  count: number;
  previous: number;
  change: number;
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
    byStage: Record<
      AnalyticsStage,
      {
        decided: number;
        onTime: number;
        onTimeShare: number | null;
        escalations: number;
        breaches: number;
        lateOpen: number;
      }
    >;
    byTeam: Record<
      string,
      Record<
        AnalyticsStage,
        {
          decided: number;
          onTime: number;
          onTimeShare: number | null;
          escalations: number;
          breaches: number;
          lateOpen: number;
        }
      >
    >;
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

const sortedRecord = (entries: Iterable<[string, number]>) =>
  Object.fromEntries([...entries].filter(([, n]) => n !== 0).sort(([a], [b]) => a.localeCompare(b)));

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

  // Received
  const byCategory = withPrefix(teams, 'received:category:');
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
        if (metric === COUNTED_FIGURES.received.counter) entry.total += n;
        else if (metric.startsWith('received:category:')) {
          const c = metric.slice('received:category:'.length);
          entry.byCategory[c] = (entry.byCategory[c] ?? 0) + n;
        }
      }
    }
  }

  // Service levels
  const stageFigure = (c: (metric: string) => number) =>
    Object.fromEntries(
      ANALYTICS_STAGES.map((stage) => [
        stage,
        {
          decided: c(`decided:${stage}`),
          onTime: c(`onTime:${stage}`),
          // Open late tasks count as not on time: a team with breached work open is not at 100 %.
          onTimeShare: share(c(`onTime:${stage}`), c(`decided:${stage}`) + c(`lateOpen:${stage}`)),
          lateOpen: c(`lateOpen:${stage}`),
          escalations: c(`escalated:${stage}`),
          breaches: c(`breached:${stage}`),
        },
      ]),
    ) as AnalyticsView['serviceLevels']['byStage'];
  const timesOf = (histograms: Iterable<Record<string, Histogram>>) => {
    const merged: Record<string, Histogram> = {};
    for (const h of histograms) for (const [m, hist] of Object.entries(h)) mergeInto((merged[m] ??= new Map()), hist);
    return Object.fromEntries(TIME_MEASURES.map((m) => [m, timeFigure(merged[m])])) as Record<TimeMeasure, TimeFigure>;
  };
  const teamNames = [...scope].sort();
  const teamTimes = (name?: string) =>
    timesOf(
      Object.entries(figures.times)
        .filter(([team]) => scope.has(team) && (!name || team === name))
        .map(([, h]) => h),
    );

  // Hotspots
  const categoryName = (id: string) => config.categories.find((c) => c.id === id)?.name.en ?? id;
  const entry = (kind: HotspotEntry['kind'], key: string, label: string, now: number, before: number) => ({
    kind,
    key,
    label,
    count: now,
    previous: before,
    change: now - before,
  });
  const subjects = figures.subjects.map((s) =>
    entry('subject', s.key, s.label ?? s.key.slice(0, 12), s.count, s.previous),
  );
  const nowCategories = withPrefix(teams, 'received:category:');
  const beforeCategories = withPrefix(previous, 'received:category:');
  const categories = [...new Set([...nowCategories.keys(), ...beforeCategories.keys()])].map((key) =>
    entry('category', key, categoryName(key), nowCategories.get(key) ?? 0, beforeCategories.get(key) ?? 0),
  );
  const byCount = (a: HotspotEntry, b: HotspotEntry) => b.count - a.count || a.key.localeCompare(b.key);
  const byChange = (a: HotspotEntry, b: HotspotEntry) =>
    b.change - a.change || b.count - a.count || a.key.localeCompare(b.key);
  const hotspots = [
    ...subjects
      .filter((h) => h.count > 0)
      .sort(byCount)
      .slice(0, top),
    ...categories
      .filter((h) => h.count > 0)
      .sort(byCount)
      .slice(0, top),
  ];
  // Rising means more than before: with nothing in the range before, nothing is rising.
  const hadBefore =
    [...withPrefix(previous, 'received:category:').values()].some((n) => n > 0) ||
    figures.subjects.some((s) => s.previous > 0);
  const rising = !hadBefore
    ? []
    : [
        ...subjects
          .filter((h) => h.change > 0)
          .sort(byChange)
          .slice(0, top),
        ...categories
          .filter((h) => h.change > 0)
          .sort(byChange)
          .slice(0, top),
      ];

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
      const decided = ANALYTICS_STAGES.reduce((s, stage) => s + c(`decided:${stage}`), 0);
      const onTime = ANALYTICS_STAGES.reduce((s, stage) => s + c(`onTime:${stage}`), 0);
      const rating = ratingFigure(c);
      return {
        email,
        teams: [...in_].sort(),
        decided,
        onTime,
        onTimeShare: share(onTime, decided),
        times: timesOf(theirs.map((p) => p.h)),
        satisfaction: { responses: rating.responses, mean: rating.mean },
        reviewsOverturned: c(COUNTED_FIGURES.reviewsOverturned.counter),
        openLoad: input.openLoad[email] ?? 0,
      };
    })
    .sort((a, b) => b.decided - a.decided || a.email.localeCompare(b.email));

  const rating = ratingFigure(count);
  const counts = countedValues(count, (prefix) => sortedRecord(withPrefix(teams, prefix)));
  const surveysSent = counts.surveysSent.total;
  return {
    range: { ...range, timeZone: config.timeZone, teams: teamNames },
    counts,
    received: {
      total: counts.received.total,
      byCategory: sortedRecord(byCategory),
      byChannel: sortedRecord(withPrefix(teams, 'received:channel:')),
      byTeam: sortedRecord(
        teamNames.map((name) => [name, teamCount(name, COUNTED_FIGURES.received.counter)] as [string, number]),
      ),
      byPriority: sortedRecord(withPrefix(teams, 'received:priority:')),
      byStatus: sortedRecord(withPrefix(teams, 'status:')),
      series: [...series.values()],
    },
    serviceLevels: {
      byStage: stageFigure(count),
      byTeam: Object.fromEntries(teamNames.map((name) => [name, stageFigure((m) => teamCount(name, m))])),
      times: teamTimes(),
      timesByTeam: Object.fromEntries(teamNames.map((name) => [name, teamTimes(name)])),
      escalations: ANALYTICS_STAGES.reduce((s, stage) => s + count(`escalated:${stage}`), 0),
      breaches: ANALYTICS_STAGES.reduce((s, stage) => s + count(`breached:${stage}`), 0),
    },
    outcomes: {
      accepted: counts.accepted.total,
      rejected: { total: counts.rejected.total, byReason: counts.rejected.byKey ?? {} },
      withdrawn: counts.withdrawn.total,
      duplicatesLinked: counts.duplicatesLinked.total,
      refusedOutOfScope: counts.refusedOutOfScope.total,
      bansIssued: counts.bansIssued.total,
      closed: sortedRecord(withPrefix(teams, 'closed:')),
    },
    satisfaction: {
      ...rating,
      surveysSent,
      unanswered: counts.unanswered.total,
      responseRate: share(rating.responses, surveysSent),
      byCategory: Object.fromEntries(
        [
          ...new Set(
            [...withPrefix(teams, 'rating:').keys()]
              .map((k) => /^\d:category:(.+)$/.exec(k)?.[1])
              .filter((c): c is string => !!c),
          ),
        ]
          .sort()
          .map((c) => [c, ratingFigure(count, `:category:${c}`)]),
      ),
      byTeam: Object.fromEntries(teamNames.map((name) => [name, ratingFigure((m) => teamCount(name, m))])),
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
