import { ANALYTICS_STAGES, type AnalyticsStage, DECISION_ACTIONS, isStage, replySenderOf } from './analytics-counts';
import type { DeskConfig } from './config';
import { countOf, mergeInto, percentileOf, RELATIVE_ERROR, type Histogram } from './histogram';
import type { ComplaintEvent } from './history';
import { STEP_STATUS, type ComplaintStatus, type HumanStep } from './lifecycle';

/**
 * The desk's figures with a shape of their own (analytics-counts.ts has the counted ones): the
 * breakdowns of what was received, statuses, closings, service levels by stage, times, ratings
 * and hotspots. Each is one definition: what a history event writes for it (`write`, which
 * `contributionsOf` calls for every event) and how the view reads it back (its reader, which
 * `summarise` calls). The counters a writer names are the names the stored data has: renaming
 * one drops that data.
 *
 * Times to a stage (to acceptance, to findings, to reply) are measured in seconds from the
 * case's receipt and kept as histograms (histogram.ts): counts are exact, and a median or 90th
 * percentile (nearest rank, the value at rank ⌈p·n⌉) read from them is within RELATIVE_ERROR
 * (2 %) of the one the times themselves give; every time figure says so (`approximate`).
 */

/** What a case's events do not repeat: where it belongs, read once from its record. */
export interface CaseFacts {
  team: string;
  category: string;
  receivedAt: string;
  subjectKey?: string;
}

/** Times measured from receipt: to the acceptance decision, to the findings, to the reply. */
export const TIME_MEASURES = ['accept', 'findings', 'reply'] as const;
export type TimeMeasure = (typeof TIME_MEASURES)[number];

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

// ---- Writing

/** One history event as a figure's writer sees it: the case's facts and the events before it. */
export interface FigureEvent {
  event: ComplaintEvent;
  prior: readonly ComplaintEvent[];
  facts: CaseFacts;
  timeZone: string;
}

/** Where a writer puts what an event adds; every counter and time is the case's team's. */
export interface FigureWrites {
  /** Adds to a counter on the event's day. */
  count(metric: string, n?: number): void;
  /** Adds a time (seconds) to a histogram on the event's day. */
  time(metric: string, value: number): void;
  /** Adds to counters on another day (the day of receipt, or of a closing or lateness taken back). */
  countOn(day: string, add: Record<string, number>): void;
}

type Writer = (on: FigureEvent, put: FigureWrites) => void;

/** The staff member who decided (lower-case), if a person did. */
const decider = (event: ComplaintEvent) =>
  typeof event.details?.decidedBy === 'string' ? event.details.decidedBy.toLowerCase() : undefined;

/** A decision of a staff stage: the event decides the stage its details name. */
const decidedStage = (event: ComplaintEvent) => {
  const step = event.details?.step;
  return DECISION_ACTIONS.has(event.action) && isStage(step) ? step : undefined;
};

// ---- Reading

const share = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10000) / 10000 : null);
const mean2 = (sum: number, n: number) => (n ? Math.round((sum / n) * 100) / 100 : null);

/** Counters with a value, by name. */
export const sortedRecord = (entries: Iterable<[string, number]>) =>
  Object.fromEntries([...entries].filter(([, n]) => n !== 0).sort(([a], [b]) => a.localeCompare(b)));

/** A counter as a reader has it: summed over the range and the teams (or the person) it reads for. */
export type CountOf = (metric: string) => number;
/** The counters under a prefix, by the rest of their name, summed over the range and the teams in scope. */
export type CountsUnder = (prefix: string) => Map<string, number>;

export interface StageFigure {
  decided: number;
  onTime: number;
  onTimeShare: number | null;
  escalations: number;
  breaches: number;
  lateOpen: number;
}

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

export interface HotspotEntry {
  kind: 'subject' | 'category';
  key: string;
  label: string;
  count: number;
  previous: number;
  change: number;
}

// ---- The figures

/** What was received, by category, channel and priority (the counted `received` is the total). */
export const RECEIVED = {
  write: (({ event, facts }, put) => {
    if (event.action !== 'complaint.received') return;
    const details = event.details ?? {};
    put.count(`received:category:${facts.category}`);
    if (typeof details.channel === 'string') put.count(`received:channel:${details.channel}`);
    if (details.priority !== undefined && details.priority !== null) put.count(`received:priority:${details.priority}`);
  }) satisfies Writer,
  /** The category counters, by category (hotspots read them too). */
  byCategory: (under: CountsUnder) => under('received:category:'),
  read: (under: CountsUnder) => ({
    byChannel: sortedRecord(under('received:channel:')),
    byPriority: sortedRecord(under('received:priority:')),
  }),
  /** A counter of a day that adds to a period's series: its category, if it is a category's. */
  seriesCategory: (metric: string) =>
    metric.startsWith('received:category:') ? metric.slice('received:category:'.length) : undefined,
};

/** Where the cases received in the range stand now: each status move is counted on the day of receipt. */
export const STATUSES = {
  write: (({ event, prior, facts, timeZone }, put) => {
    const move = (to: ComplaintStatus) => {
      const from = statusAfter(prior);
      if (from === to) return;
      // Counted on the day the case was received: "received in the range, and where they stand now".
      put.countOn(dayOf(facts.receivedAt, timeZone), { [`status:${from}`]: -1, [`status:${to}`]: 1 });
    };
    const step = event.details?.step;
    if (event.action === 'complaint.received') put.count('status:received');
    else if (event.action === 'task.assigned') {
      if (typeof step === 'string' && STEP_STATUS[step as HumanStep]) move(STEP_STATUS[step as HumanStep]);
    } else if (event.action === 'review.requested') move('review');
    else if (event.action === 'complaint.closed') move('closed');
  }) satisfies Writer,
  read: (under: CountsUnder) => sortedRecord(under('status:')),
};

/**
 * How cases ended, by outcome: once per case, a case closed, reopened for review and closed again
 * counts at its last closing (with its last outcome), taken off the day of the closing before.
 */
export const CLOSINGS = {
  write: (({ event, prior, timeZone }, put) => {
    if (event.action !== 'complaint.closed') return;
    const before = [...prior].reverse().find((e) => e.action === 'complaint.closed');
    if (before)
      put.countOn(dayOf(before.at, timeZone), { [`closed:${String(before.details?.outcome ?? 'unknown')}`]: -1 });
    put.count(`closed:${String(event.details?.outcome ?? 'unknown')}`);
  }) satisfies Writer,
  read: (under: CountsUnder) => sortedRecord(under('closed:')),
};

/**
 * Service levels by staff stage: decisions, those on time (not escalated since the task was given
 * out), escalations, breaches, and late tasks still open, which count against the on-time share
 * from their first escalation until decided or the case closes. Decisions are a person's too.
 */
export const SERVICE_LEVELS = {
  write: (({ event, prior, timeZone }, put) => {
    const details = event.details ?? {};
    const step = details.step;
    const takeBackLate = () => {
      const late = openLateTask(prior, timeZone);
      if (late) put.countOn(late.day, { [`lateOpen:${late.stage}`]: -1 });
    };
    if (event.action === 'task.escalated' && isStage(step)) {
      put.count(`escalated:${step}`);
      // The task is late from its first escalation until decided (or the case closes).
      if ((details.fromLevel ?? 0) === 0) put.count(`lateOpen:${step}`);
      const breachedBefore = prior.some((e) => e.action === 'task.escalated' && e.details?.breached === true);
      if (details.breached === true && !breachedBefore) put.count(`breached:${step}`);
    }
    if (event.action === 'complaint.closed') takeBackLate();
    const stage = decidedStage(event);
    if (stage) {
      const onTime = !escalatedSinceAssigned(prior, stage);
      const by = decider(event);
      put.count(`decided:${stage}`);
      if (!onTime) takeBackLate();
      if (onTime) put.count(`onTime:${stage}`);
      if (by) {
        put.count(`decided:${stage}:by:${by}`);
        if (onTime) put.count(`onTime:${stage}:by:${by}`);
      }
    }
  }) satisfies Writer,
  /** Each stage's figures. */
  read: (c: CountOf) =>
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
    ) as Record<AnalyticsStage, StageFigure>,
  /** Every stage's escalations and breaches. */
  totals: (c: CountOf) => ({
    escalations: ANALYTICS_STAGES.reduce((s, stage) => s + c(`escalated:${stage}`), 0),
    breaches: ANALYTICS_STAGES.reduce((s, stage) => s + c(`breached:${stage}`), 0),
  }),
  /** A person's decisions over every stage (their counters, `…:by:<email>`, read without the suffix). */
  person: (c: CountOf) => {
    const decided = ANALYTICS_STAGES.reduce((s, stage) => s + c(`decided:${stage}`), 0);
    const onTime = ANALYTICS_STAGES.reduce((s, stage) => s + c(`onTime:${stage}`), 0);
    return { decided, onTime, onTimeShare: share(onTime, decided) };
  },
};

/** Times from receipt to the acceptance, the findings and the reply; a person's too. */
export const TIMES = {
  write: (({ event, facts }, put) => {
    const stage = decidedStage(event);
    if (!stage) return;
    const measure: TimeMeasure | undefined =
      stage === 'acceptance' && event.details?.decision === 'accept'
        ? 'accept'
        : event.action === 'findings.recorded'
          ? 'findings'
          : event.action === 'reply.sent'
            ? 'reply'
            : undefined;
    if (!measure) return;
    const value = seconds(facts.receivedAt, event.at);
    const by = decider(event);
    put.time(`time:${measure}`, value);
    if (by) put.time(`time:${measure}:by:${by}`, value);
  }) satisfies Writer,
  /** Each measure's figure from these histograms, merged. */
  read: (histograms: Iterable<Record<string, Histogram>>) => {
    const merged: Record<string, Histogram> = {};
    for (const h of histograms) for (const [m, hist] of Object.entries(h)) mergeInto((merged[m] ??= new Map()), hist);
    return Object.fromEntries(TIME_MEASURES.map((m) => [m, timeFigure(merged[m])])) as Record<TimeMeasure, TimeFigure>;
  },
};

/** Satisfaction ratings (1–5): overall, by category and by the staff member who sent the reply. */
export const RATINGS = {
  write: (({ event, prior, facts }, put) => {
    if (event.action !== 'survey.answered') return;
    const rating = Number(event.details?.rating);
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) return;
    put.count(`rating:${rating}`);
    put.count(`rating:${rating}:category:${facts.category}`);
    const sender = replySenderOf(prior);
    if (sender) put.count(`rating:${rating}:by:${sender}`);
  }) satisfies Writer,
  /** The ratings of a scope (`suffix`: one category's). */
  read: (count: CountOf, suffix = ''): RatingFigure => {
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
  },
  /** The categories with ratings, in order. */
  categories: (under: CountsUnder) =>
    [
      ...new Set(
        [...under('rating:').keys()].map((k) => /^\d:category:(.+)$/.exec(k)?.[1]).filter((c): c is string => !!c),
      ),
    ].sort(),
  /** The share of surveys sent that were answered. */
  responseRate: (responses: number, surveysSent: number) => share(responses, surveysSent),
};

/**
 * Hotspots: the subjects and categories with most complaints in the range, and those rising
 * fastest against the range before. Subjects are counted by key (their candidates and exact counts
 * are kept by analytics-figures.ts), categories are what was received by category.
 */
export const HOTSPOTS = {
  write: (({ event, facts }, put) => {
    if (event.action === 'complaint.received' && facts.subjectKey) put.count(`received:subject:${facts.subjectKey}`);
  }) satisfies Writer,
  read: (input: {
    subjects: readonly { key: string; label?: string; count: number; previous: number }[];
    categories: Map<string, number>;
    previousCategories: Map<string, number>;
    config: DeskConfig;
    top: number;
  }) => {
    const { config, top } = input;
    const categoryName = (id: string) => config.categories.find((c) => c.id === id)?.name.en ?? id;
    const entry = (kind: HotspotEntry['kind'], key: string, label: string, now: number, before: number) => ({
      kind,
      key,
      label,
      count: now,
      previous: before,
      change: now - before,
    });
    const subjects = input.subjects.map((s) =>
      entry('subject', s.key, s.label ?? s.key.slice(0, 12), s.count, s.previous),
    );
    const categories = [...new Set([...input.categories.keys(), ...input.previousCategories.keys()])].map((key) =>
      entry('category', key, categoryName(key), input.categories.get(key) ?? 0, input.previousCategories.get(key) ?? 0),
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
      [...input.previousCategories.values()].some((n) => n > 0) || input.subjects.some((s) => s.previous > 0);
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
    return { hotspots, rising };
  },
};

/**
 * Every shaped figure's writer, in the order `contributionsOf` calls them for an event (after
 * the counted figures): the order an event's counters are written in.
 */
export const SHAPED_WRITERS: readonly Writer[] = [
  RECEIVED.write,
  HOTSPOTS.write,
  RATINGS.write,
  CLOSINGS.write,
  STATUSES.write,
  SERVICE_LEVELS.write,
  TIMES.write,
];
