import type { ComplaintEvent } from './history';
import type { Bilingual } from './language';
import { HUMAN_STEPS, isStaffStep, type StaffStep } from './lifecycle';

/**
 * The desk's counted figures: each is one definition, and everything else takes it from here.
 * `contributionsOf` (analytics.ts) writes what `counts` says of each history event, `summarise`
 * reads it back into the view's `counts`, the analytics page and its CSV show it in its `section`
 * and the weekly report lists it when `weekly`, all under its `label`. Adding a counted figure is
 * one entry here (and its test); the figures with a shape of their own (times, ratings, service
 * levels by stage, statuses, hotspots) are defined in analytics-shapes.ts.
 *
 * `counter` is the name the figure is kept under on a team's day (`<team>|<counter>`, or
 * `<team>|<counter>:<key>` for a figure counted by key): existing data is read by it, so it never
 * changes. `person`, when given, also counts the event for that staff member (`<counter>:by:<email>`).
 */
export interface CountedFigure {
  counter: string;
  /** What one event adds: `true` one, a string one under that key (a breakdown), else nothing. */
  counts: (event: ComplaintEvent, prior: readonly ComplaintEvent[]) => boolean | string;
  /** Whose figure the event is as well (lower-case email), if it is anyone's. */
  person?: (event: ComplaintEvent, prior: readonly ComplaintEvent[]) => string | undefined;
  label: Bilingual;
  /** Where the analytics page and its CSV show it; a figure without one is in the JSON view only. */
  section?: 'outcomes' | 'satisfaction';
  /** What the keys of a breakdown are (how the page names them). */
  keys?: 'reason';
  /** Listed in the weekly report, this week against the week before. */
  weekly?: boolean;
}

/** The staff stages whose decisions are timed against a deadline and escalate when late: the staff steps. */
export const ANALYTICS_STAGES: readonly StaffStep[] = HUMAN_STEPS.filter(isStaffStep);
export type AnalyticsStage = StaffStep;
export const isStage = (step: unknown): step is AnalyticsStage =>
  (ANALYTICS_STAGES as readonly unknown[]).includes(step);

/** The history actions that decide a staff stage (analytics.ts times and charges them). */
export const DECISION_ACTIONS: ReadonlySet<ComplaintEvent['action']> = new Set<ComplaintEvent['action']>([
  'decision.recorded',
  'information.requested',
  'findings.recorded',
  'statement.requested',
  'reply.sent',
  'review.ruled',
]);

/** The acceptance decision an event records, if it records one. */
const acceptance = (event: ComplaintEvent) =>
  DECISION_ACTIONS.has(event.action) && event.details?.step === 'acceptance' ? event.details.decision : undefined;

/** Who answers for a case's outcome: the staff member who sent its reply. */
export function replySenderOf(prior: readonly ComplaintEvent[]): string | undefined {
  for (let i = prior.length - 1; i >= 0; i--)
    if (prior[i]!.action === 'reply.sent') return prior[i]!.details?.decidedBy as string | undefined;
  return undefined;
}

/** Every counted figure, in the order the page, the CSV and the weekly report list them. */
export const COUNTED_FIGURES = {
  received: {
    counter: 'received',
    counts: (e) => e.action === 'complaint.received',
    label: { 'zh-CN': '收到的投诉', en: 'Complaints received' },
    weekly: true,
  },
  accepted: {
    counter: 'accepted',
    counts: (e) => acceptance(e) === 'accept',
    label: { 'zh-CN': '受理', en: 'Accepted' },
    section: 'outcomes',
    weekly: true,
  },
  rejected: {
    counter: 'rejected',
    counts: (e) => acceptance(e) === 'reject' && String(e.details?.reason ?? 'unknown'),
    label: { 'zh-CN': '不予受理', en: 'Rejected' },
    section: 'outcomes',
    keys: 'reason',
    weekly: true,
  },
  withdrawn: {
    counter: 'withdrawn',
    counts: (e) => e.action === 'complaint.withdrawn',
    label: { 'zh-CN': '撤回', en: 'Withdrawn' },
    section: 'outcomes',
    weekly: true,
  },
  duplicatesLinked: {
    counter: 'duplicate',
    counts: (e) => e.action === 'complaint.linked-duplicate',
    label: { 'zh-CN': '并入重复投诉', en: 'Duplicates linked' },
    section: 'outcomes',
  },
  refusedOutOfScope: {
    counter: 'refused',
    counts: (e) => e.action === 'complaint.refused',
    label: { 'zh-CN': '不予受理（范围外）', en: 'Refused out of scope' },
    section: 'outcomes',
  },
  bansIssued: {
    counter: 'banned',
    counts: (e) => e.action === 'complainant.banned',
    label: { 'zh-CN': '限制投诉', en: 'Bans issued' },
    section: 'outcomes',
  },
  surveysSent: {
    counter: 'survey:sent',
    // Counted when the survey task is first given out (level 0), not when it is given out again.
    counts: (e) => e.action === 'task.assigned' && e.details?.step === 'survey' && (e.details?.level ?? 0) === 0,
    label: { 'zh-CN': '已发调查', en: 'Surveys sent' },
    section: 'satisfaction',
  },
  unanswered: {
    counter: 'survey:expired',
    counts: (e) => e.action === 'survey.expired',
    label: { 'zh-CN': '未回复的调查', en: 'Surveys unanswered' },
  },
  reviewsRequested: {
    counter: 'review:requested',
    counts: (e) => e.action === 'review.requested',
    label: { 'zh-CN': '申请复核', en: 'Reviews asked for' },
    section: 'satisfaction',
  },
  reviewsOverturned: {
    counter: 'review:overturned',
    counts: (e) => e.action === 'review.ruled' && isStage(e.details?.step) && e.details?.ruling === 'overturn',
    // An overturned review is charged to whoever sent the reply it overturned.
    person: (_e, prior) => replySenderOf(prior),
    label: { 'zh-CN': '复核撤销原结果', en: 'Reviews overturned' },
    section: 'satisfaction',
  },
} as const satisfies Record<string, CountedFigure>;

export type CountedFigureId = keyof typeof COUNTED_FIGURES;
export const COUNTED_FIGURE_IDS = Object.keys(COUNTED_FIGURES) as CountedFigureId[];

/** A counted figure over a range: its total and, for a figure counted by key, the count of each key. */
export interface CountedValue {
  total: number;
  byKey?: Record<string, number>;
}

/** The counters (`<counter>` or `<counter>:<key>`, and per person `…:by:<email>`) one event adds. */
export function countersOf(event: ComplaintEvent, prior: readonly ComplaintEvent[]): string[] {
  const out: string[] = [];
  for (const figure of Object.values(COUNTED_FIGURES) as CountedFigure[]) {
    const counted = figure.counts(event, prior);
    if (counted === false) continue;
    const counter = counted === true ? figure.counter : `${figure.counter}:${counted}`;
    out.push(counter);
    const person = figure.person?.(event, prior);
    if (person) out.push(`${counter}:by:${person}`);
  }
  return out;
}

/**
 * Every counted figure read back from summed counters (`count` of one counter, `keyed` the counts
 * under `<counter>:`): a figure counted by key totals its keys.
 */
export function countedValues(
  count: (counter: string) => number,
  keyed: (prefix: string) => Record<string, number>,
): Record<CountedFigureId, CountedValue> {
  return Object.fromEntries(
    COUNTED_FIGURE_IDS.map((id) => {
      const figure: CountedFigure = COUNTED_FIGURES[id];
      if (!figure.keys) return [id, { total: count(figure.counter) }];
      const byKey = keyed(`${figure.counter}:`);
      return [id, { total: Object.values(byKey).reduce((s, n) => s + n, 0), byKey }];
    }),
  ) as Record<CountedFigureId, CountedValue>;
}

/** The counted figures a section of the page and CSV shows, in order. */
export const countedIn = (section: NonNullable<CountedFigure['section']>): CountedFigureId[] =>
  COUNTED_FIGURE_IDS.filter((id) => (COUNTED_FIGURES[id] as CountedFigure).section === section);

/** The counted figures the weekly report lists, in order. */
export const weeklyFigures = (): CountedFigureId[] =>
  COUNTED_FIGURE_IDS.filter((id) => (COUNTED_FIGURES[id] as CountedFigure).weekly);
