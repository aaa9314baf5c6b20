import { describe, expect, it } from 'vitest';
import {
  contributionsOf,
  dayOf,
  incrementsOfCases,
  nearestRank,
  previousRange,
  summarise,
  TIME_MEASURES,
  type AnalyticsRange,
  type AnalyticsView,
} from '../../functions/domain/analytics';
import {
  addContribution,
  emptyIncrements,
  foldIncrements,
  foldSnapshots,
  MemoryFigureStore,
  mergeIncrements,
  mergeTop,
  rangeFromIncrements,
  readRange,
  TOP_SUBJECTS,
  type Increments,
} from '../../functions/domain/analytics-figures';
import { ACKNOWLEDGEMENTS_PER_STAFF, DEFAULT_DESK_CONFIG, parseDeskConfig } from '../../functions/domain/config';
import {
  bucketOf,
  bucketValue,
  histogramOf,
  packHistogram,
  percentileOf,
  RELATIVE_ERROR,
  unpackHistogram,
} from '../../functions/domain/histogram';
import { acknowledgementShards } from '../../functions/store/rate-windows';
import { largeDesk, mulberry32, workload, type SyntheticCase } from '../support/analytics-workload';

const TZ = 'Asia/Shanghai';
const FROM = new Date('2026-11-01T00:00:00Z');

function generate(count: number, seed: number, desk = DEFAULT_DESK_CONFIG, days = 20): SyntheticCase[] {
  const w = workload(seed, { desk, from: FROM, days, subjects: 400 });
  return Array.from({ length: count }, () => w.next());
}

/** Every event of every case in the order they happened, each with the events before it in its case. */
function stream(cases: SyntheticCase[]) {
  return cases
    .flatMap((c) => c.events.map((event, i) => ({ c, event, prior: c.events.slice(0, i) })))
    .sort((a, b) => a.event.at.localeCompare(b.event.at));
}

/**
 * What the stream and the roll-up do, in memory: the events in stream batches of random sizes,
 * some batches delivered twice (the aggregator finds the first delivery and stores nothing new),
 * batches rolled up a few at a time, and now and then a roll-up stopped half-way and done again.
 */
async function storedFigures(cases: SyntheticCase[], seed: number): Promise<MemoryFigureStore> {
  const random = mulberry32(seed);
  const events = stream(cases);
  const stored = new Map<number, Increments>();
  for (let i = 0; i < events.length; ) {
    const size = 1 + Math.floor(random() * 60);
    const inc = emptyIncrements();
    for (const e of events.slice(i, i + size)) {
      for (const c of contributionsOf(e.event, e.prior, e.c.facts, TZ)) addContribution(inc, c);
      if (e.event.action === 'complaint.received' && e.c.facts.subjectLabel)
        inc.labels[e.c.facts.subjectKey!] = e.c.facts.subjectLabel;
    }
    // Keyed by its first record: delivered again, it is the same stored batch.
    stored.set(i, inc);
    if (random() < 0.1) stored.set(i, structuredClone(inc));
    i += size;
  }
  const store = new MemoryFigureStore();
  const waiting = [...stored.values()];
  let fold = 0;
  while (waiting.length) {
    const batch = waiting.splice(0, 1 + Math.floor(random() * 8));
    const inc = batch.reduce((into, b) => mergeIncrements(into, b), emptyIncrements());
    fold++;
    if (random() < 0.2) {
      // Stopped half-way: some items written, then the whole roll-up again under the same number.
      await foldIncrements(stoppingAfter(store, Math.floor(random() * 30)), inc, fold).catch(() => undefined);
      await foldIncrements(store, inc, fold);
    } else await foldIncrements(store, inc, fold);
  }
  return store;
}

/** The store, failing after `writes` writes (a roll-up stopped part-way). */
function stoppingAfter(store: MemoryFigureStore, writes: number): MemoryFigureStore {
  let left = writes;
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || !/^(add|put)/.test(String(name))) return value;
      return async (...args: unknown[]) => {
        if (left-- <= 0) throw new Error('stopped');
        return value.apply(target, args);
      };
    },
  });
}

async function viewsOf(all: Increments, store: MemoryFigureStore, range: AnalyticsRange, teams: string[]) {
  const before = previousRange(range);
  const input = { from: range.from, to: range.to, previousFrom: before.from, teams };
  const config = DEFAULT_DESK_CONFIG;
  const expected = summarise({
    range,
    figures: rangeFromIncrements(all, input),
    teams,
    config,
    openLoad: {},
  });
  const actual = summarise({
    range,
    figures: await readRange(store, { ...input, pick: 30 }),
    teams,
    config,
    openLoad: {},
  });
  return { expected, actual };
}

/** The exact times (seconds from receipt) to a measure, from the events themselves. */
function exactTimes(cases: SyntheticCase[], range: AnalyticsRange, teams: string[], by?: string) {
  const out: Record<string, number[]> = { accept: [], findings: [], reply: [] };
  for (const c of cases) {
    if (!teams.includes(c.facts.team)) continue;
    for (const e of c.events) {
      const day = dayOf(e.at, TZ);
      if (day < range.from || day > range.to) continue;
      if (by && e.details?.decidedBy !== by) continue;
      const seconds = Math.round((Date.parse(e.at) - Date.parse(c.facts.receivedAt)) / 1000);
      if (e.action === 'decision.recorded' && e.details?.decision === 'accept') out.accept!.push(seconds);
      if (e.action === 'findings.recorded') out.findings!.push(seconds);
      if (e.action === 'reply.sent') out.reply!.push(seconds);
    }
  }
  for (const list of Object.values(out)) list.sort((a, b) => a - b);
  return out;
}

function expectWithinError(view: AnalyticsView, exact: Record<string, number[]>, where: string) {
  for (const m of TIME_MEASURES) {
    const figure = view.serviceLevels.times[m];
    const values = exact[m]!;
    expect(figure.count, `${where} ${m} count`).toBe(values.length);
    for (const [p, got] of [
      [50, figure.medianSeconds],
      [90, figure.p90Seconds],
    ] as const) {
      const want = nearestRank(values, p);
      if (want === undefined) expect(got).toBeNull();
      else
        expect(Math.abs(got! - want), `${where} ${m} p${p}: ${got} vs ${want}`).toBeLessThanOrEqual(
          want * RELATIVE_ERROR,
        );
    }
  }
}

/**
 * Hotspots come from the teams' daily lists of their most complained-about subjects: every count
 * shown is exact, and the lists rank as the exact counts do (a tie at the end may name another
 * subject with the same count).
 */
function expectHotspots(actual: AnalyticsView, expected: AnalyticsView, where: string) {
  for (const list of ['hotspots', 'rising'] as const) {
    const exact = new Map(expected[list].map((h) => [`${h.kind}|${h.key}`, h]));
    const all = new Map([...expected.hotspots, ...expected.rising].map((h) => [`${h.kind}|${h.key}`, h] as const));
    for (const h of actual[list]) {
      const want = exact.get(`${h.kind}|${h.key}`) ?? all.get(`${h.kind}|${h.key}`);
      if (want) expect(h, `${where} ${list} ${h.key}`).toEqual(want);
    }
    const figure = list === 'hotspots' ? 'count' : 'change';
    expect(
      actual[list].map((h) => `${h.kind} ${h[figure]}`),
      `${where} ${list}`,
    ).toEqual(expected[list].map((h) => `${h.kind} ${h[figure]}`));
  }
}

describe('the desk figures in bounded items', () => {
  const cases = generate(3000, 20261202);
  const teams = Object.keys(DEFAULT_DESK_CONFIG.teams).sort();
  let store: MemoryFigureStore;

  it('rolled up from 3,000 random cases in stream batches, some delivered twice and some roll-ups redone, equal a recount: counts exact, percentiles within 2 %', async () => {
    store = await storedFigures(cases, 7);
    const all = incrementsOfCases(cases, TZ);
    const ranges: AnalyticsRange[] = [
      { from: '2026-11-01', to: '2026-11-30', groupBy: 'day' },
      { from: '2026-11-09', to: '2026-11-15', groupBy: 'day' },
      { from: '2026-11-12', to: '2026-11-12', groupBy: 'day' },
      { from: '2026-10-01', to: '2026-12-31', groupBy: 'month' },
    ];
    for (const range of ranges)
      for (const scope of [teams, ['privacy']]) {
        const { expected, actual } = await viewsOf(all, store, range, scope);
        const where = `${range.from}..${range.to} ${scope}`;
        expect({ ...actual, hotspots: [], rising: [] }, where).toEqual({ ...expected, hotspots: [], rising: [] });
        expectHotspots(actual, expected, where);
        expectWithinError(actual, exactTimes(cases, range, scope), `${range.from}..${range.to}`);
      }
    const range = { from: '2026-11-01', to: '2026-11-30', groupBy: 'week' as const };
    const { actual } = await viewsOf(all, store, range, teams);
    expect(actual.received.total).toBe(cases.filter((c) => c.facts.receivedAt < '2026-11-30T16:00:00Z').length);
    // Each person's times too.
    for (const h of actual.handlers.filter((x) => x.decided > 0).slice(0, 5)) {
      const exact = exactTimes(cases, range, teams, h.email);
      expectWithinError({ serviceLevels: { times: h.times } } as unknown as AnalyticsView, exact, h.email);
    }
    expect(actual.hotspots.filter((h) => h.kind === 'subject').length).toBe(10);
  }, 120_000);

  it('keeps every item bounded: ten times the cases in a day fill no item more', async () => {
    const sizes = (s: MemoryFigureStore) => ({
      teamDay: Math.max(...[...s.teamDays.values()].map((t) => Object.keys(t.counters).length)),
      top: Math.max(...[...s.tops.values()].map((t) => t.top.length)),
      snapshotBuckets: Math.max(
        ...[...s.chains.values()].flatMap((chain) =>
          [...chain.values()].map((snap) => Object.values(snap.h).reduce((n, h) => n + h.size, 0)),
        ),
      ),
      snapshotBytes: Math.max(
        ...[...s.chains.values()].flatMap((chain) =>
          [...chain.values()].map((snap) =>
            Object.values(snap.h).reduce((n, h) => n + packHistogram(h).length, JSON.stringify(snap.n).length),
          ),
        ),
      ),
    });
    const small = await storedFigures(generate(1000, 5, DEFAULT_DESK_CONFIG, 1), 1);
    const large = await storedFigures(generate(10000, 5, DEFAULT_DESK_CONFIG, 1), 1);
    const a = sizes(small);
    const b = sizes(large);
    expect(b.top).toBe(TOP_SUBJECTS);
    // A team's day has as many counters as the desk has categories, channels, steps and outcomes.
    expect(b.teamDay).toBeLessThanOrEqual(100);
    expect(b.teamDay).toBeLessThan(a.teamDay * 1.5);
    // A histogram has at most one bucket per 3 % of a year in seconds.
    expect(b.snapshotBuckets).toBeLessThanOrEqual(3 * 530);
    expect(b.snapshotBytes).toBeLessThan(8 * 1024);
  }, 120_000);

  it('picks hotspots from the teams’ daily lists: a matter that tops no day is left out only when its total is under what the lists hold', () => {
    let top = mergeTop([], { a: 5, b: 3 }, 2);
    top = mergeTop(top, { c: 4 }, 2);
    expect(top).toEqual([
      ['a', 5],
      ['c', 4],
    ]);
    expect(mergeTop(top, { b: 9 }, 2)).toEqual([
      ['b', 9],
      ['a', 5],
    ]);
  });
});

describe('running totals', () => {
  const inc = (n: number) => ({ n: { decided: n }, h: { accept: histogramOf([n * 100]) } });
  it('adds a late day to every snapshot after it, and a roll-up done again changes nothing twice', () => {
    const first = foldSnapshots(undefined, [], { '2026-11-02': inc(1), '2026-11-04': inc(2) }, 1);
    expect(first.map((s) => [s.day, s.n.decided])).toEqual([
      ['2026-11-02', 1],
      ['2026-11-04', 3],
    ]);
    const late = foldSnapshots(first[0], [first[1]!], { '2026-11-03': inc(5) }, 2);
    expect(late.map((s) => [s.day, s.n.decided])).toEqual([
      ['2026-11-03', 6],
      ['2026-11-04', 8],
    ]);
    // Roll-up 2 again after it wrote 2026-11-03 only: 2026-11-04 gets the late day once.
    const again = foldSnapshots(first[0], [late[0]!, first[1]!], { '2026-11-03': inc(5) }, 2);
    expect(again.map((s) => [s.day, s.n.decided])).toEqual([['2026-11-04', 8]]);
  });
});

describe('time histograms', () => {
  it('read every value back within 2 % (whole seconds below 100 s exactly), in about 520 buckets for a year', () => {
    for (let v = 0; v < 40_000_000; v += v < 2000 ? 1 : Math.ceil(v / 1500)) {
      const back = bucketValue(bucketOf(v));
      expect(Math.abs(back - v)).toBeLessThanOrEqual(v < 100 ? 0 : v * RELATIVE_ERROR);
    }
    expect(bucketOf(365 * 86400)).toBeLessThan(530);
  });

  it('give nearest-rank percentiles within 2 %, stored in a few bytes a bucket', () => {
    const random = mulberry32(3);
    for (let t = 0; t < 500; t++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 400) }, () => Math.floor(Math.exp(random() * 15)));
      const h = unpackHistogram(packHistogram(histogramOf(values)));
      const sorted = [...values].sort((a, b) => a - b);
      for (const p of [50, 90]) {
        const exact = nearestRank(sorted, p)!;
        expect(Math.abs(percentileOf(h, p)! - exact)).toBeLessThanOrEqual(exact * RELATIVE_ERROR);
      }
      expect(packHistogram(h).length).toBeLessThanOrEqual(4 * h.size);
    }
  });
});

describe('acknowledgements to unproven addresses', () => {
  it('are capped per hour in shards of at most 100, which add up to the cap', () => {
    for (const cap of [1, 2, 99, 100, 101, 300, 6400, 1_000_001]) {
      const { shards, capOf } = acknowledgementShards(cap);
      const caps = Array.from({ length: shards }, (_, i) => capOf(i));
      expect(caps.reduce((a, b) => a + b, 0)).toBe(cap);
      expect(Math.max(...caps) - Math.min(...caps)).toBeLessThanOrEqual(1);
      if (cap <= 6400) expect(Math.max(...caps)).toBeLessThanOrEqual(100);
    }
    expect(acknowledgementShards(2).shards).toBe(1);
  });

  it('are capped by default in proportion to the staff, and a desk may set its own cap within bounds', () => {
    const staff = new Set(
      Object.values(DEFAULT_DESK_CONFIG.teams).flatMap((t) => [...t.handlers, t.supervisor, t.manager]),
    ).size;
    expect(DEFAULT_DESK_CONFIG.intake.newAddressAcknowledgementsPerHour).toBe(
      Math.max(300, staff * ACKNOWLEDGEMENTS_PER_STAFF),
    );
    expect(largeDesk(40, 50).intake.newAddressAcknowledgementsPerHour).toBe(2041 * ACKNOWLEDGEMENTS_PER_STAFF);
    const { intake: _intake, ...rest } = DEFAULT_DESK_CONFIG;
    expect(parseDeskConfig({ ...rest, intake: { newAddressAcknowledgementsPerHour: 50 } }).intake).toMatchObject({
      newAddressAcknowledgementsPerHour: 50,
    });
    expect(() => parseDeskConfig({ ...rest, intake: { newAddressAcknowledgementsPerHour: 0 } })).toThrow(
      /intake\.newAddressAcknowledgementsPerHour/,
    );
  });
});
