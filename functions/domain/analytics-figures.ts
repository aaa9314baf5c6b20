import { bucketOf, countOf, histogramFromRecord, mergeInto, type Histogram } from './histogram';

/**
 * How the desk's figures are kept, in items of bounded size, and read back over a range. Pure:
 * the store (store/analytics.ts) and an in-memory table (tests, the bench) implement
 * `FigureStore`; `foldIncrements` and `readRange` are the one way figures are written and read.
 *
 * What a batch of history events adds (`Increments`) is split by where it is kept:
 *
 * - a team's day: counters of that day (received by category, channel, priority; where the cases
 *   received that day stand now; decisions, escalations, outcomes, ratings, surveys): one item
 *   per team and day, its counters bounded by the desk's configuration (categories, steps,
 *   outcomes), never by the number of cases;
 * - a matter's day: how many complaints about one subject each team received (one small item per
 *   subject and day), and per team and day the `TOP_SUBJECTS` subjects with most complaints (a
 *   bounded list), from which the hotspots of a range are picked;
 * - a team's times and each person's figures (decisions, on time, ratings of the cases they
 *   replied to, overturned reviews, times): running totals, one snapshot per day with activity
 *   holding the totals up to that day, so a range is the difference of two snapshots (the one at
 *   its end and the one before its start), two items however long the range. Times are fixed-size
 *   histograms (histogram.ts), so a snapshot is bounded too.
 *
 * Every write carries the number of the roll-up (`fold`) that made it and is refused if that
 * roll-up already wrote the item, so a roll-up that stops half-way and runs again changes each
 * item once.
 */

/** One day's share of one event: counters to add and times (seconds) to count. */
export interface Contribution {
  day: string;
  add: Record<string, number>;
  durations: Record<string, number[]>;
}

/** The subjects kept per team and day as hotspot candidates. */
export const TOP_SUBJECTS = 20;

export interface PersonIncrement {
  /** Counters: `decided:<stage>`, `onTime:<stage>`, `rating:<n>`, `review:overturned`. */
  n: Record<string, number>;
  /** Times by measure: bucket → count. */
  h: Record<string, Record<string, number>>;
}

/** What some history events add, by where it is kept. JSON: a stream batch stores it as it is. */
export interface Increments {
  /** day → team → metric → n. */
  team: Record<string, Record<string, Record<string, number>>>;
  /** day → subject key → team → n. */
  subject: Record<string, Record<string, Record<string, number>>>;
  /** subject key → its label (a name or reference a person recognises). */
  labels: Record<string, string>;
  /** team → day → measure → bucket → n. */
  times: Record<string, Record<string, Record<string, Record<string, number>>>>;
  /** team → email → day → counters and times. */
  people: Record<string, Record<string, Record<string, PersonIncrement>>>;
}

export const emptyIncrements = (): Increments => ({ team: {}, subject: {}, labels: {}, times: {}, people: {} });

const slot = <T>(record: Record<string, T>, key: string, make: () => NoInfer<T>): T => (record[key] ??= make());
const bump = (record: Record<string, number>, key: string, n: number) => {
  const next = (record[key] ?? 0) + n;
  if (next) record[key] = next;
  else delete record[key];
};

const SUBJECT = 'received:subject:';
const BY = /^(.*):by:(.+)$/;

/** Adds one event's contribution: each `<team>|<metric>` goes where that figure is kept. */
export function addContribution(inc: Increments, c: Contribution): Increments {
  for (const [key, n] of Object.entries(c.add)) {
    if (!n) continue;
    const bar = key.indexOf('|');
    const team = key.slice(0, bar);
    const metric = key.slice(bar + 1);
    const by = BY.exec(metric);
    if (metric.startsWith(SUBJECT))
      bump(
        slot(
          slot(inc.subject, c.day, () => ({})),
          metric.slice(SUBJECT.length),
          () => ({}),
        ),
        team,
        n,
      );
    else if (by) bump(personDay(inc, team, by[2]!, c.day).n, by[1]!, n);
    else
      bump(
        slot(
          slot(inc.team, c.day, () => ({})),
          team,
          () => ({}),
        ),
        metric,
        n,
      );
  }
  for (const [key, values] of Object.entries(c.durations)) {
    const bar = key.indexOf('|');
    const team = key.slice(0, bar);
    const metric = key.slice(bar + 1);
    const by = BY.exec(metric);
    const measure = (by ? by[1]! : metric).replace(/^time:/, '');
    const into = by
      ? slot(personDay(inc, team, by[2]!, c.day).h, measure, () => ({}))
      : slot(
          slot(
            slot(inc.times, team, () => ({})),
            c.day,
            () => ({}),
          ),
          measure,
          () => ({}),
        );
    for (const v of values) bump(into, String(bucketOf(v)), 1);
  }
  return inc;
}

function personDay(inc: Increments, team: string, email: string, day: string): PersonIncrement {
  return slot(
    slot(
      slot(inc.people, team, () => ({})),
      email,
      () => ({}),
    ),
    day,
    () => ({ n: {}, h: {} }),
  );
}

/** `into` += `from`: increments add up (the events of several batches, in any order). */
export function mergeIncrements(into: Increments, from: Increments): Increments {
  const deep = (a: Record<string, unknown>, b: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(b)) {
      if (typeof v === 'number') bump(a as Record<string, number>, k, v);
      else
        deep(
          slot(a as Record<string, Record<string, unknown>>, k, () => ({})),
          v as Record<string, unknown>,
        );
    }
  };
  deep(into.team, from.team);
  deep(into.subject, from.subject);
  deep(into.times, from.times);
  deep(into.people as Record<string, unknown>, from.people as Record<string, unknown>);
  Object.assign(into.labels, from.labels);
  return into;
}

export const isEmpty = (inc: Increments) =>
  !Object.keys(inc.team).length &&
  !Object.keys(inc.subject).length &&
  !Object.keys(inc.times).length &&
  !Object.keys(inc.people).length;

// ---- Running totals (snapshots)

/** A team's times, or one person's figures for one team's cases. */
export type Chain = { kind: 'times'; team: string } | { kind: 'person'; team: string; email: string };

/** Totals from the first day up to and including `day`. */
export interface Snapshot {
  day: string;
  /** The roll-up that last wrote it. */
  fold: number;
  n: Record<string, number>;
  h: Record<string, Histogram>;
}

const emptySnapshot = (day: string, fold: number): Snapshot => ({ day, fold, n: {}, h: {} });
function plus(s: Snapshot, inc: { n: Record<string, number>; h: Record<string, Histogram> }): Snapshot {
  const n = { ...s.n };
  for (const [k, v] of Object.entries(inc.n)) bump(n, k, v);
  const h: Record<string, Histogram> = {};
  for (const [m, hist] of Object.entries(s.h)) h[m] = new Map(hist);
  for (const [m, hist] of Object.entries(inc.h)) mergeInto((h[m] ??= new Map()), hist);
  return { ...s, n, h };
}

/**
 * The snapshots a roll-up writes to add `incs` (by day) to a chain: each snapshot from the
 * earliest day on gets the increments of its day and of the days before it, and a day with
 * increments but no snapshot gets one, made from the snapshot before it. `base` is the latest
 * snapshot before the earliest day; `existing` those from that day on, in order. A snapshot this
 * roll-up already wrote (a roll-up run again) is left as it is.
 */
export function foldSnapshots(
  base: Snapshot | undefined,
  existing: readonly Snapshot[],
  incs: Record<string, { n: Record<string, number>; h: Record<string, Histogram> }>,
  fold: number,
): Snapshot[] {
  const incDays = Object.keys(incs).sort();
  const byDay = new Map(existing.map((s) => [s.day, s]));
  const days = [...new Set([...incDays, ...existing.map((s) => s.day)])].sort();
  const out: Snapshot[] = [];
  let previous: Snapshot = base ?? emptySnapshot('', 0);
  let applied = 0; // increments up to `previous` are in it
  for (const day of days) {
    const stored = byDay.get(day);
    let next: Snapshot;
    if (stored && stored.fold === fold) next = stored;
    else {
      // From the stored snapshot (increments of earlier days still to add) or from the one before (only the new days).
      let from = stored ?? previous;
      const pending = incDays.filter((d) => d <= day && (stored ? true : incDays.indexOf(d) >= applied));
      for (const d of pending) from = plus(from, incs[d]!);
      next = { ...from, day, fold };
      out.push(next);
    }
    previous = next;
    applied = incDays.filter((d) => d <= day).length;
  }
  return out;
}

/** The figures between two snapshots: what happened after `start` up to `end`. */
export function between(end: Snapshot | undefined, start: Snapshot | undefined) {
  const n: Record<string, number> = { ...(end?.n ?? {}) };
  for (const [k, v] of Object.entries(start?.n ?? {})) bump(n, k, -v);
  const h: Record<string, Histogram> = {};
  for (const [m, hist] of Object.entries(end?.h ?? {})) h[m] = new Map(hist);
  for (const [m, hist] of Object.entries(start?.h ?? {})) mergeInto((h[m] ??= new Map()), hist, -1);
  for (const [m, hist] of Object.entries(h)) if (!countOf(hist)) delete h[m];
  return { n, h };
}

// ---- Hotspot candidates

export type TopList = [key: string, count: number][];

/** The list with these subjects' new counts, the `k` largest kept (ties: the key first in order). */
export function mergeTop(list: TopList, counts: Record<string, number>, k = TOP_SUBJECTS): TopList {
  const merged = new Map(list);
  for (const [key, n] of Object.entries(counts)) merged.set(key, n);
  return [...merged.entries()]
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, k);
}

// ---- Where figures are kept, and how a roll-up writes them

export interface TeamDayItem {
  day: string;
  team: string;
  counters: Record<string, number>;
  /** Who has figures on this team's cases that day (their snapshots are read for the range). */
  people: string[];
}

export interface SubjectCounts {
  key: string;
  label?: string;
  /** day → team → n. */
  counts: Record<string, Record<string, number>>;
}

/** The items the figures live in (store/analytics.ts on the table; tests and the bench in memory). */
export interface FigureStore {
  /** Adds to a team's day (once per roll-up). */
  addTeamDay(
    day: string,
    team: string,
    counters: Record<string, number>,
    people: string[],
    fold: number,
  ): Promise<void>;
  /** Adds to subjects' days (once per roll-up) and answers their counts per team after it. */
  addSubjects(
    day: string,
    entries: { key: string; add: Record<string, number>; label?: string }[],
    fold: number,
  ): Promise<Record<string, Record<string, number>>>;
  getTop(day: string, team: string): Promise<{ top: TopList; fold: number } | undefined>;
  putTop(day: string, team: string, top: TopList, fold: number): Promise<void>;
  /** The latest snapshot before `from`, and those from `from` on, in order. */
  readChain(chain: Chain, from: string): Promise<{ base?: Snapshot; existing: Snapshot[] }>;
  putSnapshots(chain: Chain, snapshots: Snapshot[]): Promise<void>;
  /** Reading: every team day and hotspot list of these days. */
  readDays(
    days: readonly string[],
  ): Promise<{ teamDays: TeamDayItem[]; tops: { day: string; team: string; top: TopList }[] }>;
  /** Reading: the latest snapshot on or before `day`. */
  snapshotAt(chain: Chain, day: string): Promise<Snapshot | undefined>;
  /** Reading: these subjects' counts on these days. */
  readSubjects(days: readonly string[], keys: readonly string[]): Promise<SubjectCounts[]>;
}

/** At most this many writes at once from one roll-up. */
const PARALLEL = 16;
async function each<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Writes increments into the figures' items as roll-up `fold` (run again, it changes nothing twice). */
export async function foldIncrements(store: FigureStore, inc: Increments, fold: number): Promise<void> {
  const teamDays = Object.entries(inc.team).flatMap(([day, teams]) =>
    Object.entries(teams).map(([team, counters]) => ({ day, team, counters })),
  );
  // Whose snapshots a team day points to: everyone with figures on its cases that day.
  const peopleOf = new Map<string, Set<string>>();
  for (const [team, emails] of Object.entries(inc.people))
    for (const [email, days] of Object.entries(emails))
      for (const day of Object.keys(days)) {
        const key = `${day}|${team}`;
        (peopleOf.get(key) ?? peopleOf.set(key, new Set()).get(key)!).add(email);
        if (!teamDays.some((t) => t.day === day && t.team === team)) teamDays.push({ day, team, counters: {} });
      }
  await each(teamDays, (t) =>
    store.addTeamDay(t.day, t.team, t.counters, [...(peopleOf.get(`${t.day}|${t.team}`) ?? [])].sort(), fold),
  );

  await each(Object.entries(inc.subject), async ([day, subjects]) => {
    const entries = Object.entries(subjects).map(([key, add]) => ({
      key,
      add,
      ...(inc.labels[key] ? { label: inc.labels[key] } : {}),
    }));
    const now = await store.addSubjects(day, entries, fold);
    const byTeam = new Map<string, Record<string, number>>();
    for (const [key, teams] of Object.entries(now))
      for (const [team, n] of Object.entries(teams))
        if (subjects[key]?.[team]) (byTeam.get(team) ?? byTeam.set(team, {}).get(team)!)[key] = n;
    for (const [team, counts] of byTeam) {
      const stored = await store.getTop(day, team);
      if (stored?.fold === fold) continue;
      await store.putTop(day, team, mergeTop(stored?.top ?? [], counts), fold);
    }
  });

  const chains: { chain: Chain; incs: Record<string, { n: Record<string, number>; h: Record<string, Histogram> }> }[] =
    [];
  for (const [team, days] of Object.entries(inc.times))
    chains.push({
      chain: { kind: 'times', team },
      incs: Object.fromEntries(
        Object.entries(days).map(([day, measures]) => [day, { n: {}, h: histogramsOf(measures) }]),
      ),
    });
  for (const [team, emails] of Object.entries(inc.people))
    for (const [email, days] of Object.entries(emails))
      chains.push({
        chain: { kind: 'person', team, email },
        incs: Object.fromEntries(Object.entries(days).map(([day, p]) => [day, { n: p.n, h: histogramsOf(p.h) }])),
      });
  await each(chains, async ({ chain, incs }) => {
    const from = Object.keys(incs).sort()[0]!;
    const { base, existing } = await store.readChain(chain, from);
    const write = foldSnapshots(base, existing, incs, fold);
    if (write.length) await store.putSnapshots(chain, write);
  });
}

const histogramsOf = (measures: Record<string, Record<string, number>>): Record<string, Histogram> =>
  Object.fromEntries(Object.entries(measures).map(([m, r]) => [m, histogramFromRecord(r)]));

// ---- Reading a range

/** What the view of a range is made from (domain/analytics.ts `summarise`). */
export interface RangeFigures {
  /** day → team → metric → n, for the days of the range and of the range before. */
  days: Record<string, Record<string, Record<string, number>>>;
  /** team → measure → times over the range. */
  times: Record<string, Record<string, Histogram>>;
  /** team → email → figures over the range. */
  people: Record<string, Record<string, { n: Record<string, number>; h: Record<string, Histogram> }>>;
  /** Subjects that may be hotspots, with their complaints in the range and the range before (teams in scope). */
  subjects: { key: string; label?: string; count: number; previous: number }[];
}

const DAY_MS = 86_400_000;
const shiftDay = (day: string, n: number) =>
  new Date(new Date(`${day}T00:00:00Z`).getTime() + n * DAY_MS).toISOString().slice(0, 10);
const dayList = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = shiftDay(d, 1)) out.push(d);
  return out;
};

/**
 * The figures of a range for these teams: the team days of the range and the range before, two
 * snapshots per team and per person, and the exact counts of the subjects that were on some
 * day's list of a team's most complained-about subjects (`pick` of them for each of the two lists
 * the view shows). Items read: the days, twice the teams and people, and pick × days subjects.
 */
export async function readRange(
  store: FigureStore,
  input: { from: string; to: string; previousFrom: string; teams: readonly string[]; pick: number },
): Promise<RangeFigures> {
  const scope = new Set(input.teams);
  const allDays = dayList(input.previousFrom, input.to);
  const { teamDays, tops } = await store.readDays(allDays);
  const days: RangeFigures['days'] = {};
  const peopleIn = new Map<string, Set<string>>();
  for (const t of teamDays) {
    if (!scope.has(t.team)) continue;
    slot(days, t.day, () => ({}))[t.team] = t.counters;
    if (t.day >= input.from)
      for (const email of t.people) (peopleIn.get(t.team) ?? peopleIn.set(t.team, new Set()).get(t.team)!).add(email);
  }

  const before = shiftDay(input.from, -1);
  const range = async (chain: Chain) => {
    const [end, start] = await Promise.all([store.snapshotAt(chain, input.to), store.snapshotAt(chain, before)]);
    return between(end, start);
  };
  const times: RangeFigures['times'] = {};
  const people: RangeFigures['people'] = {};
  const reads: { chain: Chain; put: (r: ReturnType<typeof between>) => void }[] = [];
  for (const team of input.teams) reads.push({ chain: { kind: 'times', team }, put: (r) => (times[team] = r.h) });
  for (const [team, emails] of peopleIn)
    for (const email of emails)
      reads.push({
        chain: { kind: 'person', team, email },
        put: (r) => {
          if (Object.keys(r.n).length || Object.keys(r.h).length) slot(people, team, () => ({}))[email] = r;
        },
      });
  await each(reads, async ({ chain, put }) => put(await range(chain)));

  // Hotspot candidates: the subjects on the teams' daily lists, ranked by what the lists show.
  const listed = (fromDay: string, toDay: string) => {
    const sum = new Map<string, number>();
    for (const t of tops)
      if (scope.has(t.team) && t.day >= fromDay && t.day <= toDay)
        for (const [key, n] of t.top) sum.set(key, (sum.get(key) ?? 0) + n);
    return sum;
  };
  const now = listed(input.from, input.to);
  const then = listed(input.previousFrom, before);
  const ranked = (score: (key: string) => number) =>
    [...new Set([...now.keys(), ...then.keys()])]
      .filter((key) => score(key) > 0)
      .sort((a, b) => score(b) - score(a) || a.localeCompare(b))
      .slice(0, input.pick);
  const candidates = [
    ...new Set([...ranked((key) => now.get(key) ?? 0), ...ranked((key) => (now.get(key) ?? 0) - (then.get(key) ?? 0))]),
  ];
  const counted = candidates.length ? await store.readSubjects(allDays, candidates) : [];
  const subjects = counted.map((s) => {
    let count = 0;
    let previous = 0;
    for (const [day, teams] of Object.entries(s.counts))
      for (const [team, n] of Object.entries(teams)) {
        if (!scope.has(team)) continue;
        if (day >= input.from) count += n;
        else previous += n;
      }
    return { key: s.key, ...(s.label ? { label: s.label } : {}), count, previous };
  });
  return { days, times, people, subjects };
}

// ---- The same figures straight from increments (the recount, and tests)

/** The figures of a range from increments holding every event: what `readRange` must answer. */
export function rangeFromIncrements(
  inc: Increments,
  input: { from: string; to: string; previousFrom: string; teams: readonly string[] },
): RangeFigures {
  const scope = new Set(input.teams);
  const inRange = (day: string) => day >= input.from && day <= input.to;
  const days: RangeFigures['days'] = {};
  for (const [day, teams] of Object.entries(inc.team))
    if (day >= input.previousFrom && day <= input.to)
      for (const [team, counters] of Object.entries(teams))
        if (scope.has(team)) slot(days, day, () => ({}))[team] = { ...counters };
  const times: RangeFigures['times'] = {};
  for (const [team, byDay] of Object.entries(inc.times)) {
    if (!scope.has(team)) continue;
    const t = slot(times, team, () => ({}));
    for (const [day, measures] of Object.entries(byDay))
      if (inRange(day))
        for (const [m, r] of Object.entries(measures)) mergeInto((t[m] ??= new Map()), histogramFromRecord(r));
  }
  const people: RangeFigures['people'] = {};
  for (const [team, emails] of Object.entries(inc.people)) {
    if (!scope.has(team)) continue;
    for (const [email, byDay] of Object.entries(emails))
      for (const [day, p] of Object.entries(byDay)) {
        if (!inRange(day)) continue;
        const into = slot(
          slot(people, team, () => ({})),
          email,
          () => ({ n: {}, h: {} }),
        );
        for (const [k, v] of Object.entries(p.n)) bump(into.n, k, v);
        for (const [m, r] of Object.entries(p.h)) mergeInto((into.h[m] ??= new Map()), histogramFromRecord(r));
      }
  }
  const counts = new Map<string, { count: number; previous: number }>();
  for (const [day, subjects] of Object.entries(inc.subject)) {
    if (day < input.previousFrom || day > input.to) continue;
    for (const [key, teams] of Object.entries(subjects))
      for (const [team, n] of Object.entries(teams)) {
        if (!scope.has(team)) continue;
        const c = counts.get(key) ?? counts.set(key, { count: 0, previous: 0 }).get(key)!;
        if (day >= input.from) c.count += n;
        else c.previous += n;
      }
  }
  const subjects = [...counts.entries()].map(([key, c]) => ({
    key,
    ...(inc.labels[key] ? { label: inc.labels[key] } : {}),
    ...c,
  }));
  return { days, times, people, subjects };
}

// ---- An in-memory FigureStore (tests, and the bench's simulated day)

const chainKey = (c: Chain) => (c.kind === 'times' ? `times|${c.team}` : `person|${c.team}|${c.email}`);

export class MemoryFigureStore implements FigureStore {
  readonly teamDays = new Map<string, TeamDayItem & { fold: number }>();
  readonly subjects = new Map<
    string,
    { day: string; key: string; label?: string; teams: Record<string, number>; fold: number }
  >();
  readonly tops = new Map<string, { day: string; team: string; top: TopList; fold: number }>();
  readonly chains = new Map<string, Map<string, Snapshot>>();

  async addTeamDay(day: string, team: string, counters: Record<string, number>, people: string[], fold: number) {
    const key = `${day}|${team}`;
    const item = this.teamDays.get(key) ?? { day, team, counters: {}, people: [], fold: 0 };
    if (item.fold >= fold) return;
    for (const [k, n] of Object.entries(counters)) bump(item.counters, k, n);
    item.people = [...new Set([...item.people, ...people])].sort();
    item.fold = fold;
    this.teamDays.set(key, item);
  }

  async addSubjects(
    day: string,
    entries: { key: string; add: Record<string, number>; label?: string }[],
    fold: number,
  ) {
    const out: Record<string, Record<string, number>> = {};
    for (const e of entries) {
      const id = `${day}|${e.key}`;
      const item = this.subjects.get(id) ?? { day, key: e.key, teams: {}, fold: 0 };
      if (item.fold < fold) {
        for (const [team, n] of Object.entries(e.add)) bump(item.teams, team, n);
        if (e.label && !item.label) item.label = e.label;
        item.fold = fold;
        this.subjects.set(id, item);
      }
      out[e.key] = { ...item.teams };
    }
    return out;
  }

  async getTop(day: string, team: string) {
    const t = this.tops.get(`${day}|${team}`);
    return t && { top: t.top, fold: t.fold };
  }

  async putTop(day: string, team: string, top: TopList, fold: number) {
    this.tops.set(`${day}|${team}`, { day, team, top, fold });
  }

  async readChain(chain: Chain, from: string) {
    const all = [...(this.chains.get(chainKey(chain))?.values() ?? [])].sort((a, b) => a.day.localeCompare(b.day));
    return { base: all.filter((s) => s.day < from).at(-1), existing: all.filter((s) => s.day >= from) };
  }

  async putSnapshots(chain: Chain, snapshots: Snapshot[]) {
    const key = chainKey(chain);
    const chainMap = this.chains.get(key) ?? this.chains.set(key, new Map()).get(key)!;
    for (const s of snapshots) chainMap.set(s.day, s);
  }

  async readDays(days: readonly string[]) {
    const wanted = new Set(days);
    return {
      teamDays: [...this.teamDays.values()]
        .filter((t) => wanted.has(t.day))
        .map(({ fold: _fold, ...t }) => ({ ...t, counters: { ...t.counters } })),
      tops: [...this.tops.values()].filter((t) => wanted.has(t.day)).map(({ fold: _fold, ...t }) => t),
    };
  }

  async snapshotAt(chain: Chain, day: string) {
    return [...(this.chains.get(chainKey(chain))?.values() ?? [])]
      .filter((s) => s.day <= day)
      .sort((a, b) => a.day.localeCompare(b.day))
      .at(-1);
  }

  async readSubjects(days: readonly string[], keys: readonly string[]) {
    return keys.map((key) => {
      const counts: Record<string, Record<string, number>> = {};
      let label: string | undefined;
      for (const day of days) {
        const item = this.subjects.get(`${day}|${key}`);
        if (!item) continue;
        counts[day] = { ...item.teams };
        label ??= item.label;
      }
      return { key, ...(label ? { label } : {}), counts };
    });
  }
}
