import type { DeskConfig } from './config';
import type { ComplaintEvent } from './history';
import type { Bilingual } from './language';
import { STEP_STATUS, type ComplaintStatus, type HumanStep } from './lifecycle';

/**
 * The desk's figures: what each history event adds to the daily aggregates, and the view a
 * person reads (a range of days, grouped by day, week or month) summed from them. Pure: the
 * stream aggregator, the rebuild and the recount all call `contributionsOf` on the same events,
 * so the figures the page shows are the events' figures.
 *
 * A day aggregate holds counters and duration lists, each named `<team>|<metric>`: every figure
 * belongs to the team of the case's category, so a supervisor's view sums their teams and a
 * manager's all of them. Metrics use `:` between their parts (emails hold dots, never colons).
 *
 * Times to a stage (to acceptance, to findings, to reply) are kept exactly, in seconds from the
 * case's receipt, as lists per day; medians and 90th percentiles are by the nearest-rank method
 * (the value at rank ⌈p·n⌉ of the sorted list, no interpolation), so a recount gives the same
 * number.
 */

/** The staff stages whose decisions are timed against a deadline and escalate when late. */
export const ANALYTICS_STAGES = [
  'acceptance',
  'investigation',
  'reply',
  'review',
] as const satisfies readonly HumanStep[];
export type AnalyticsStage = (typeof ANALYTICS_STAGES)[number];

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

/** One day's share of one event: counters to add and durations to append. */
export interface Contribution {
  day: string;
  add: Record<string, number>;
  durations: Record<string, number[]>;
}

/** A day's aggregate as stored. */
export interface DayAggregate {
  day: string;
  counters: Record<string, number>;
  durations: Record<string, number[]>;
}

const DECISION_ACTIONS = new Set<ComplaintEvent['action']>([
  'decision.recorded',
  'information.requested',
  'findings.recorded',
  'statement.requested',
  'reply.sent',
  'review.ruled',
]);

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The date (YYYY-MM-DD) an instant falls on in the desk's time zone. */
export function dayOf(iso: string, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format)
    formatters.set(
      timeZone,
      (format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })),
    );
  return format.format(new Date(iso));
}

const isStage = (step: unknown): step is AnalyticsStage => (ANALYTICS_STAGES as readonly unknown[]).includes(step);
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

/** Who answers for a case's outcome: the staff member who sent its reply. */
export function replySenderOf(prior: readonly ComplaintEvent[]): string | undefined {
  for (let i = prior.length - 1; i >= 0; i--)
    if (prior[i]!.action === 'reply.sent') return prior[i]!.details?.decidedBy as string | undefined;
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

  switch (event.action) {
    case 'complaint.received':
      count('received');
      count(`received:category:${facts.category}`);
      if (typeof details.channel === 'string') count(`received:channel:${details.channel}`);
      if (details.priority !== undefined && details.priority !== null) count(`received:priority:${details.priority}`);
      if (facts.subjectKey) count(`received:subject:${facts.subjectKey}`);
      count('status:received');
      break;
    case 'task.assigned':
      if (typeof step === 'string' && STEP_STATUS[step as HumanStep]) statusMove(STEP_STATUS[step as HumanStep]);
      if (step === 'survey' && (details.level ?? 0) === 0) count('survey:sent');
      break;
    case 'task.escalated':
      if (isStage(step)) {
        count(`escalated:${step}`);
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
    case 'survey.expired':
      count('survey:expired');
      break;
    case 'review.requested':
      count('review:requested');
      statusMove('review');
      break;
    case 'complaint.withdrawn':
      count('withdrawn');
      break;
    case 'complaint.linked-duplicate':
      count('duplicate');
      break;
    case 'complaint.refused':
      count('refused');
      break;
    case 'complainant.banned':
      count('banned');
      break;
    case 'complaint.closed':
      count(`closed:${String(details.outcome ?? 'unknown')}`);
      statusMove('closed');
      break;
  }

  if (DECISION_ACTIONS.has(event.action) && isStage(step)) {
    const onTime = !escalatedSinceAssigned(prior, step);
    count(`decided:${step}`);
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
    if (step === 'acceptance' && details.decision === 'accept') count('accepted');
    if (step === 'acceptance' && details.decision === 'reject')
      count(`rejected:${String(details.reason ?? 'unknown')}`);
    if (event.action === 'review.ruled' && details.ruling === 'overturn') {
      count('review:overturned');
      const sender = replySenderOf(prior);
      if (sender) count(`review:overturned:by:${sender}`);
    }
  }
  if (Object.keys(add).length || Object.keys(durations).length) out.unshift({ day, add, durations });
  // One contribution per day: a day's aggregate is one item, written once per event.
  const merged = new Map<string, DayAggregate>();
  for (const c of out) addContribution(merged, c);
  return [...merged.values()].map((d) => ({ day: d.day, add: d.counters, durations: d.durations }));
}

/**
 * Every aggregate a case's whole history gives, event by event in order: what the stream adds up
 * over time, computed at once (the rebuild and the recount).
 */
export function aggregateCases(
  cases: Iterable<{ events: readonly ComplaintEvent[]; facts: CaseFacts }>,
  timeZone: string,
): Map<string, DayAggregate> {
  const days = new Map<string, DayAggregate>();
  for (const { events, facts } of cases) {
    events.forEach((event, i) => {
      for (const c of contributionsOf(event, events.slice(0, i), facts, timeZone)) addContribution(days, c);
    });
  }
  return days;
}

export function addContribution(days: Map<string, DayAggregate>, c: Contribution): void {
  let day = days.get(c.day);
  if (!day) days.set(c.day, (day = { day: c.day, counters: {}, durations: {} }));
  for (const [k, n] of Object.entries(c.add)) day.counters[k] = (day.counters[k] ?? 0) + n;
  for (const [k, list] of Object.entries(c.durations)) (day.durations[k] ??= []).push(...list);
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

/** Nearest-rank percentile of a sorted list: the value at rank ⌈p·n⌉; undefined for no values. */
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
}

function timeFigure(values: readonly number[] | undefined): TimeFigure {
  const sorted = [...(values ?? [])].sort((a, b) => a - b);
  return {
    count: sorted.length,
    medianSeconds: nearestRank(sorted, 50) ?? null,
    p90Seconds: nearestRank(sorted, 90) ?? null,
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
      { decided: number; onTime: number; onTimeShare: number | null; escalations: number; breaches: number }
    >;
    byTeam: Record<
      string,
      Record<
        AnalyticsStage,
        { decided: number; onTime: number; onTimeShare: number | null; escalations: number; breaches: number }
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

/** Folds days into one counter set and one duration set per team, for the teams in scope. */
function fold(days: readonly DayAggregate[], teams: ReadonlySet<string>) {
  const byTeam = new Map<string, { counters: Map<string, number>; durations: Map<string, number[]> }>();
  const team = (name: string) => {
    let t = byTeam.get(name);
    if (!t) byTeam.set(name, (t = { counters: new Map(), durations: new Map() }));
    return t;
  };
  for (const day of days) {
    for (const [key, n] of Object.entries(day.counters)) {
      const bar = key.indexOf('|');
      const name = key.slice(0, bar);
      if (!teams.has(name) || !n) continue;
      const t = team(name);
      const metric = key.slice(bar + 1);
      t.counters.set(metric, (t.counters.get(metric) ?? 0) + n);
    }
    for (const [key, list] of Object.entries(day.durations)) {
      const bar = key.indexOf('|');
      const name = key.slice(0, bar);
      if (!teams.has(name)) continue;
      const t = team(name);
      const metric = key.slice(bar + 1);
      const into = t.durations.get(metric);
      if (into) into.push(...list);
      else t.durations.set(metric, [...list]);
    }
  }
  return byTeam;
}

const sortedRecord = (entries: Iterable<[string, number]>) =>
  Object.fromEntries([...entries].filter(([, n]) => n !== 0).sort(([a], [b]) => a.localeCompare(b)));

/**
 * The view over a range: the range's days and the previous range's (for rising hotspots), the
 * teams in the reader's scope, the subjects' labels and the current open load per address.
 */
export function summarise(input: {
  range: AnalyticsRange;
  days: readonly DayAggregate[];
  previousDays: readonly DayAggregate[];
  teams: readonly string[];
  config: DeskConfig;
  subjectLabels: Readonly<Record<string, string>>;
  openLoad: Readonly<Record<string, number>>;
  top?: number;
}): AnalyticsView {
  const { range, config } = input;
  const top = input.top ?? 10;
  const scope = new Set(input.teams);
  const inRange = input.days.filter((d) => d.day >= range.from && d.day <= range.to);
  const teams = fold(inRange, scope);
  const previous = fold(input.previousDays, scope);
  const sumOf = (folded: typeof teams, metric: string) =>
    [...folded.values()].reduce((s, t) => s + (t.counters.get(metric) ?? 0), 0);
  const count = (metric: string) => sumOf(teams, metric);
  const teamCount = (name: string, metric: string) => teams.get(name)?.counters.get(metric) ?? 0;
  const allMetrics = () => new Set([...teams.values()].flatMap((t) => [...t.counters.keys()]));
  const withPrefix = (folded: typeof teams, prefix: string) => {
    const out = new Map<string, number>();
    for (const t of folded.values())
      for (const [metric, n] of t.counters)
        if (metric.startsWith(prefix))
          out.set(metric.slice(prefix.length), (out.get(metric.slice(prefix.length)) ?? 0) + n);
    return out;
  };
  const durations = (metric: string, only?: string) =>
    [...teams.entries()].filter(([name]) => !only || name === only).flatMap(([, t]) => t.durations.get(metric) ?? []);

  // Received
  const byCategory = withPrefix(teams, 'received:category:');
  const series = new Map<string, { period: string; total: number; byCategory: Record<string, number> }>();
  for (const day of daysOf(range)) {
    const period = periodOf(day, range.groupBy);
    if (!series.has(period)) series.set(period, { period, total: 0, byCategory: {} });
  }
  for (const day of inRange) {
    const entry = series.get(periodOf(day.day, range.groupBy))!;
    for (const [key, n] of Object.entries(day.counters)) {
      const bar = key.indexOf('|');
      if (!scope.has(key.slice(0, bar))) continue;
      const metric = key.slice(bar + 1);
      if (metric === 'received') entry.total += n;
      else if (metric.startsWith('received:category:')) {
        const c = metric.slice('received:category:'.length);
        entry.byCategory[c] = (entry.byCategory[c] ?? 0) + n;
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
          onTimeShare: share(c(`onTime:${stage}`), c(`decided:${stage}`)),
          escalations: c(`escalated:${stage}`),
          breaches: c(`breached:${stage}`),
        },
      ]),
    ) as AnalyticsView['serviceLevels']['byStage'];
  const times = (only?: string, by?: string) =>
    Object.fromEntries(
      TIME_MEASURES.map((m) => [m, timeFigure(durations(`time:${m}${by ? `:by:${by}` : ''}`, only))]),
    ) as Record<TimeMeasure, TimeFigure>;
  const teamNames = [...scope].sort();

  // Hotspots
  const hot = (kind: HotspotEntry['kind'], prefix: string, label: (key: string) => string) => {
    const now = withPrefix(teams, prefix);
    const before = withPrefix(previous, prefix);
    return [...new Set([...now.keys(), ...before.keys()])].map(
      (key): HotspotEntry => ({
        kind,
        key,
        label: label(key),
        count: now.get(key) ?? 0,
        previous: before.get(key) ?? 0,
        change: (now.get(key) ?? 0) - (before.get(key) ?? 0),
      }),
    );
  };
  const categoryName = (id: string) => config.categories.find((c) => c.id === id)?.name.en ?? id;
  const subjects = hot('subject', 'received:subject:', (key) => input.subjectLabels[key] ?? key.slice(0, 12));
  const categories = hot('category', 'received:category:', categoryName);
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
  const rising = [
    ...subjects
      .filter((h) => h.change > 0)
      .sort(byChange)
      .slice(0, top),
    ...categories
      .filter((h) => h.change > 0)
      .sort(byChange)
      .slice(0, top),
  ];

  // Handlers: the members of the teams in scope, and anyone else who decided their cases.
  const people = new Map<string, Set<string>>();
  for (const name of teamNames) {
    const team = config.teams[name];
    if (!team) continue;
    for (const email of [...team.handlers, team.supervisor, team.manager].map((e) => e.toLowerCase()))
      (people.get(email) ?? people.set(email, new Set()).get(email)!).add(name);
  }
  for (const metric of allMetrics()) {
    const at = metric.indexOf(':by:');
    if (at > 0) {
      const email = metric.slice(at + 4);
      if (!people.has(email)) people.set(email, new Set());
    }
  }
  const handlers = [...people.entries()]
    .map(([email, in_]) => {
      const decided = ANALYTICS_STAGES.reduce((s, stage) => s + count(`decided:${stage}:by:${email}`), 0);
      const onTime = ANALYTICS_STAGES.reduce((s, stage) => s + count(`onTime:${stage}:by:${email}`), 0);
      const rating = ratingFigure(count, `:by:${email}`);
      return {
        email,
        teams: [...in_].sort(),
        decided,
        onTime,
        onTimeShare: share(onTime, decided),
        times: times(undefined, email),
        satisfaction: { responses: rating.responses, mean: rating.mean },
        reviewsOverturned: count(`review:overturned:by:${email}`),
        openLoad: input.openLoad[email] ?? 0,
      };
    })
    .sort((a, b) => b.decided - a.decided || a.email.localeCompare(b.email));

  const rating = ratingFigure(count);
  const surveysSent = count('survey:sent');
  return {
    range: { ...range, timeZone: config.timeZone, teams: teamNames },
    received: {
      total: count('received'),
      byCategory: sortedRecord(byCategory),
      byChannel: sortedRecord(withPrefix(teams, 'received:channel:')),
      byTeam: sortedRecord(teamNames.map((name) => [name, teamCount(name, 'received')] as [string, number])),
      byPriority: sortedRecord(withPrefix(teams, 'received:priority:')),
      byStatus: sortedRecord(withPrefix(teams, 'status:')),
      series: [...series.values()],
    },
    serviceLevels: {
      byStage: stageFigure(count),
      byTeam: Object.fromEntries(teamNames.map((name) => [name, stageFigure((m) => teamCount(name, m))])),
      times: times(),
      timesByTeam: Object.fromEntries(teamNames.map((name) => [name, times(name)])),
      escalations: ANALYTICS_STAGES.reduce((s, stage) => s + count(`escalated:${stage}`), 0),
      breaches: ANALYTICS_STAGES.reduce((s, stage) => s + count(`breached:${stage}`), 0),
    },
    outcomes: {
      accepted: count('accepted'),
      rejected: {
        total: [...withPrefix(teams, 'rejected:').values()].reduce((s, n) => s + n, 0),
        byReason: sortedRecord(withPrefix(teams, 'rejected:')),
      },
      withdrawn: count('withdrawn'),
      duplicatesLinked: count('duplicate'),
      refusedOutOfScope: count('refused'),
      bansIssued: count('banned'),
      closed: sortedRecord(withPrefix(teams, 'closed:')),
    },
    satisfaction: {
      ...rating,
      surveysSent,
      unanswered: count('survey:expired'),
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
      reviews: { requested: count('review:requested'), overturned: count('review:overturned') },
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
