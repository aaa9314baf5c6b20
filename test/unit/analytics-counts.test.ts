import { describe, expect, it } from 'vitest';
import { incrementsOfCases, previousRange, summarise } from '../../functions/domain/analytics';
import {
  COUNTED_FIGURE_IDS,
  COUNTED_FIGURES,
  type CountedFigure,
  countersOf,
  countedIn,
  weeklyFigures,
} from '../../functions/domain/analytics-counts';
import { rangeFromIncrements } from '../../functions/domain/analytics-figures';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import type { StaffMember } from '../../functions/domain/staff';
import { analyticsCsv, analyticsPageHtml } from '../../functions/pages/analytics-page';
import { weeklyReportEmail } from '../../functions/pages/emails';
import { workload } from '../support/analytics-workload';

/*
 * One definition per counted figure (domain/analytics-counts.ts): what the stream writes for it is
 * what the view reads back, and the page, its CSV and the weekly report take its label and value
 * from the same entry. These tests run over every entry, so a new figure is tested by being added.
 */
const desk = DEFAULT_DESK_CONFIG;
const TZ = desk.timeZone;
const teams = Object.keys(desk.teams).sort();
const figure = (id: (typeof COUNTED_FIGURE_IDS)[number]): CountedFigure => COUNTED_FIGURES[id];

function synthetic(count: number, seed: number) {
  const w = workload(seed, { desk, from: new Date('2026-11-01T00:00:00Z'), days: 14, subjects: 30 });
  return Array.from({ length: count }, () => w.next());
}

function viewOver(cases: ReturnType<typeof synthetic>, from: string, to: string) {
  const range = { from, to, groupBy: 'day' as const };
  const figures = rangeFromIncrements(incrementsOfCases(cases, TZ), {
    from,
    to,
    previousFrom: previousRange(range).from,
    teams,
  });
  return summarise({ range, figures, teams, config: desk, openLoad: {} });
}

describe('counted analytics figures', () => {
  it('keeps every figure under the counter name its stored data has (renaming one would drop that data)', () => {
    expect(Object.fromEntries(COUNTED_FIGURE_IDS.map((id) => [id, COUNTED_FIGURES[id].counter]))).toEqual({
      received: 'received',
      accepted: 'accepted',
      rejected: 'rejected',
      withdrawn: 'withdrawn',
      duplicatesLinked: 'duplicate',
      refusedOutOfScope: 'refused',
      bansIssued: 'banned',
      surveysSent: 'survey:sent',
      unanswered: 'survey:expired',
      reviewsRequested: 'review:requested',
      reviewsOverturned: 'review:overturned',
    });
  });

  it('gives every figure a counter of its own and a label in both languages', () => {
    const counters = COUNTED_FIGURE_IDS.map((id) => COUNTED_FIGURES[id].counter);
    expect(new Set(counters).size).toBe(counters.length);
    for (const id of COUNTED_FIGURE_IDS) {
      expect(figure(id).label['zh-CN'], id).toMatch(/\S/);
      expect(figure(id).label.en, id).toMatch(/\S/);
      expect(figure(id).label['zh-CN'], id).not.toBe(figure(id).label.en);
    }
  });

  it('reads back, for every figure, what its definition counts in the events (the writer and the reader agree)', () => {
    const cases = synthetic(600, 3);
    const view = viewOver(cases, '2026-11-01', '2026-12-31');
    for (const id of COUNTED_FIGURE_IDS) {
      const expected = { total: 0, byKey: {} as Record<string, number> };
      for (const c of cases)
        c.events.forEach((event, i) => {
          const counted = figure(id).counts(event, c.events.slice(0, i));
          if (counted === false) return;
          expected.total += 1;
          if (typeof counted === 'string') expected.byKey[counted] = (expected.byKey[counted] ?? 0) + 1;
        });
      expect(view.counts[id].total, id).toBe(expected.total);
      if (figure(id).keys) expect(view.counts[id].byKey, id).toEqual(expected.byKey);
    }
    // The workload exercises the figures, so the agreement above is not all zeros.
    for (const id of ['received', 'accepted', 'rejected', 'withdrawn', 'surveysSent', 'reviewsOverturned'] as const)
      expect(view.counts[id].total, id).toBeGreaterThan(0);
  });

  it('repeats the counted figures under the names the view had before them', () => {
    const view = viewOver(synthetic(300, 5), '2026-11-01', '2026-12-31');
    expect(view.received.total).toBe(view.counts.received.total);
    expect(view.outcomes).toMatchObject({
      accepted: view.counts.accepted.total,
      rejected: { total: view.counts.rejected.total, byReason: view.counts.rejected.byKey },
      withdrawn: view.counts.withdrawn.total,
      duplicatesLinked: view.counts.duplicatesLinked.total,
      refusedOutOfScope: view.counts.refusedOutOfScope.total,
      bansIssued: view.counts.bansIssued.total,
    });
    expect(view.satisfaction).toMatchObject({
      surveysSent: view.counts.surveysSent.total,
      unanswered: view.counts.unanswered.total,
      reviews: { requested: view.counts.reviewsRequested.total, overturned: view.counts.reviewsOverturned.total },
    });
  });

  it('charges an overturned review to whoever sent the reply, as a person’s counter', () => {
    const prior = [
      { at: '2026-12-01T00:00:00Z', actor: 'handler', action: 'reply.sent', details: { decidedBy: 'h@example.org' } },
    ] as const;
    const ruled = {
      at: '2026-12-02T00:00:00Z',
      actor: 'supervisor',
      action: 'review.ruled',
      details: { step: 'review', ruling: 'overturn' },
    } as const;
    expect(countersOf(ruled, prior)).toEqual(['review:overturned', 'review:overturned:by:h@example.org']);
    expect(countersOf({ ...ruled, details: { step: 'review', ruling: 'uphold' } }, prior)).toEqual([]);
  });

  it('shows each figure where its definition says: the page and CSV by section, the weekly report when weekly', () => {
    const cases = synthetic(300, 9);
    const view = viewOver(cases, '2026-11-08', '2026-11-14');
    const before = viewOver(cases, '2026-11-01', '2026-11-07');
    const member = { email: 'm@example.org', role: 'manager', teams: {} } as unknown as StaffMember;
    for (const language of ['zh-CN', 'en'] as const) {
      const page = analyticsPageHtml({ view, member, language, nonce: 'n', config: desk, query: '' });
      const csv = analyticsCsv(view, language, desk);
      for (const id of [...countedIn('outcomes'), ...countedIn('satisfaction')]) {
        expect(page, id).toContain(figure(id).label[language]);
        if (!figure(id).keys) expect(csv, id).toContain(`${figure(id).label[language]},${view.counts[id].total}`);
      }
    }
    const mail = weeklyReportEmail({ to: 'x@example.org', view, before, late: [], config: desk, analyticsUrl: 'u' });
    expect(weeklyFigures()).toEqual(['received', 'accepted', 'rejected', 'withdrawn']);
    for (const id of weeklyFigures()) {
      const { label } = figure(id);
      expect(mail.text, id).toContain(
        `${label['zh-CN']} / ${label.en}: ${view.counts[id].total} (前一周 / Week before: ${before.counts[id].total})`,
      );
    }
  });
});
