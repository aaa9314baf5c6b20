import { describe, expect, it } from 'vitest';
import { dayOf, incrementsOfCases, previousRange, summarise } from '../../functions/domain/analytics';
import { ANALYTICS_STAGES, DECISION_ACTIONS, isStage } from '../../functions/domain/analytics-counts';
import { rangeFromIncrements } from '../../functions/domain/analytics-figures';
import {
  CLOSINGS,
  type FigureEvent,
  HOTSPOTS,
  RATINGS,
  RECEIVED,
  SERVICE_LEVELS,
  SHAPED_WRITERS,
  STATUSES,
  statusAfter,
  TIMES,
} from '../../functions/domain/analytics-shapes';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import type { ComplaintEvent } from '../../functions/domain/history';
import { workload } from '../support/analytics-workload';

/*
 * One definition per figure with a shape of its own (domain/analytics-shapes.ts): what its writer
 * puts for an event is what its reader gives back. The counters pinned here are the names stored
 * data has; the view is checked against the events themselves, counted here without the writers.
 */
const desk = DEFAULT_DESK_CONFIG;
const TZ = desk.timeZone;
const teams = Object.keys(desk.teams).sort();
const FROM = '2026-11-01';
const TO = '2026-12-31';

function synthetic(count: number, seed: number) {
  const w = workload(seed, { desk, from: new Date('2026-11-01T00:00:00Z'), days: 14, subjects: 30 });
  return Array.from({ length: count }, () => w.next());
}

function viewOver(cases: ReturnType<typeof synthetic>) {
  const range = { from: FROM, to: TO, groupBy: 'day' as const };
  const figures = rangeFromIncrements(incrementsOfCases(cases, TZ), {
    from: FROM,
    to: TO,
    previousFrom: previousRange(range).from,
    teams,
  });
  return summarise({ range, figures, teams, config: desk, openLoad: {} });
}

/** What one writer puts for an event: counters on the event's day, times, and counters on other days. */
function written(
  write: (on: FigureEvent, put: Parameters<(typeof SHAPED_WRITERS)[number]>[1]) => void,
  on: FigureEvent,
) {
  const counts: string[] = [];
  const times: string[] = [];
  const elsewhere: string[] = [];
  write(on, {
    count: (metric, n = 1) => counts.push(n === 1 ? metric : `${metric} ${n}`),
    time: (metric) => times.push(metric),
    countOn: (day, add) => elsewhere.push(...Object.entries(add).map(([m, n]) => `${day} ${m} ${n}`)),
  });
  return { counts, times, elsewhere };
}

const facts = { team: 'trust', category: 'content', receivedAt: '2026-12-01T02:00:00.000Z', subjectKey: 'S1' };
const at = (hour: number) => `2026-12-0${1 + Math.floor(hour / 24)}T${String(hour % 24).padStart(2, '0')}:00:00.000Z`;
const ev = (hour: number, action: string, details: Record<string, unknown> = {}) =>
  ({ at: at(hour), actor: 'system', action, details }) as unknown as ComplaintEvent;

describe('analytics figures with a shape of their own', () => {
  const received = ev(2, 'complaint.received', { channel: 'web', priority: 2 });
  const assigned = ev(3, 'task.assigned', { step: 'acceptance', level: 0 });
  const escalated = ev(30, 'task.escalated', { step: 'acceptance', fromLevel: 0, breached: true });
  const accepted = ev(31, 'decision.recorded', { step: 'acceptance', decision: 'accept', decidedBy: 'H@example.org' });
  const reply = ev(40, 'reply.sent', { step: 'reply', decidedBy: 'h@example.org' });
  const rated = ev(50, 'survey.answered', { rating: 4 });
  const closed = ev(51, 'complaint.closed', { outcome: 'resolved' });
  const history = [received, assigned, escalated, accepted, reply, rated, closed];
  const on = (event: ComplaintEvent): FigureEvent => ({
    event,
    prior: history.slice(0, history.indexOf(event)),
    facts,
    timeZone: TZ,
  });

  it('keeps every figure under the counter names its stored data has (renaming one would drop that data)', () => {
    expect(written(RECEIVED.write, on(received)).counts).toEqual([
      'received:category:content',
      'received:channel:web',
      'received:priority:2',
    ]);
    expect(written(HOTSPOTS.write, on(received)).counts).toEqual(['received:subject:S1']);
    expect(written(STATUSES.write, on(received)).counts).toEqual(['status:received']);
    expect(written(STATUSES.write, on(assigned)).elsewhere).toEqual([
      '2026-12-01 status:received -1',
      '2026-12-01 status:acceptance-review 1',
    ]);
    expect(written(SERVICE_LEVELS.write, on(escalated)).counts).toEqual([
      'escalated:acceptance',
      'lateOpen:acceptance',
      'breached:acceptance',
    ]);
    expect(written(SERVICE_LEVELS.write, on(accepted))).toEqual({
      counts: ['decided:acceptance', 'decided:acceptance:by:h@example.org'],
      times: [],
      elsewhere: [`${dayOf(escalated.at, TZ)} lateOpen:acceptance -1`],
    });
    expect(written(TIMES.write, on(accepted)).times).toEqual(['time:accept', 'time:accept:by:h@example.org']);
    expect(written(TIMES.write, on(reply)).times).toEqual(['time:reply', 'time:reply:by:h@example.org']);
    expect(written(RATINGS.write, on(rated)).counts).toEqual([
      'rating:4',
      'rating:4:category:content',
      'rating:4:by:h@example.org',
    ]);
    expect(written(CLOSINGS.write, on(closed)).counts).toEqual(['closed:resolved']);
  });

  it('writes nothing for an event that is not theirs', () => {
    const noted = ev(5, 'note.added', { text: 'x' });
    for (const write of SHAPED_WRITERS)
      expect(written(write, { event: noted, prior: [received], facts, timeZone: TZ })).toEqual({
        counts: [],
        times: [],
        elsewhere: [],
      });
  });

  it('reads back what the events say: statuses, closings, service levels, times and ratings (the writers and the readers agree)', () => {
    const cases = synthetic(600, 11);
    const view = viewOver(cases);
    const status: Record<string, number> = {};
    const closings: Record<string, number> = {};
    const ratings = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } as Record<string, number>;
    const decided = Object.fromEntries(ANALYTICS_STAGES.map((s) => [s, 0])) as Record<string, number>;
    const times = { accept: 0, findings: 0, reply: 0 };
    for (const c of cases) {
      const s = statusAfter(c.events);
      status[s] = (status[s] ?? 0) + 1;
      const last = [...c.events].reverse().find((e) => e.action === 'complaint.closed');
      if (last) closings[String(last.details?.outcome)] = (closings[String(last.details?.outcome)] ?? 0) + 1;
      for (const e of c.events) {
        if (e.action === 'survey.answered') ratings[String(e.details?.rating)]! += 1;
        const step = e.details?.step;
        if (!DECISION_ACTIONS.has(e.action) || !isStage(step)) continue;
        decided[step]! += 1;
        if (step === 'acceptance' && e.details?.decision === 'accept') times.accept += 1;
        if (e.action === 'findings.recorded') times.findings += 1;
        if (e.action === 'reply.sent') times.reply += 1;
      }
    }
    expect(view.received.byStatus).toEqual(status);
    expect(view.outcomes.closed).toEqual(closings);
    expect(view.satisfaction.distribution).toEqual(ratings);
    for (const stage of ANALYTICS_STAGES) expect(view.serviceLevels.byStage[stage].decided, stage).toBe(decided[stage]);
    for (const measure of ['accept', 'findings', 'reply'] as const)
      expect(view.serviceLevels.times[measure].count, measure).toBe(times[measure]);
    // The workload exercises the figures, so the agreement above is not all zeros.
    // Every case moved through its statuses, each move counted on its day of receipt: it stands once, where it ended.
    expect(Object.values(view.received.byStatus).reduce((a, b) => a + b, 0)).toBe(cases.length);
    expect(Object.keys(closings).length).toBeGreaterThan(1);
    expect(view.satisfaction.responses).toBeGreaterThan(0);
    expect(times.reply).toBeGreaterThan(0);
  });

  it('ranks hotspots by count and rising ones by change, and has nothing rising without a range before', () => {
    const read = (previous: number) =>
      HOTSPOTS.read({
        subjects: [
          { key: 'a', label: 'A', count: 3, previous },
          { key: 'b', count: 5, previous: 0 },
        ],
        categories: new Map([['content', 8]]),
        previousCategories: new Map(),
        config: desk,
        top: 10,
      });
    expect(read(0).hotspots.map((h) => `${h.kind}:${h.key}:${h.count}`)).toEqual([
      'subject:b:5',
      'subject:a:3',
      'category:content:8',
    ]);
    expect(read(0).rising).toEqual([]);
    expect(read(1).rising.map((h) => `${h.key}:${h.change}`)).toEqual(['b:5', 'a:2', 'content:8']);
  });
});
