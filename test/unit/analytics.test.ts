import { describe, expect, it } from 'vitest';
import {
  analyticsRangeOf,
  analyticsTeams,
  contributionsOf,
  dayOf,
  incrementsOfCases,
  lastFullWeek,
  nearestRank,
  nextWeeklyReportAt,
  periodOf,
  previousRange,
  summarise,
  type AnalyticsRange,
  type CaseFacts,
} from '../../functions/domain/analytics';
import { rangeFromIncrements } from '../../functions/domain/analytics-figures';
import { bucketValue, bucketOf, RELATIVE_ERROR } from '../../functions/domain/histogram';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import type { ComplaintEvent } from '../../functions/domain/history';
import { expireCase } from '../../functions/app/expire-evidence';
import { addedEventOf } from '../../functions/app/analytics';
import { analyticsCsv, analyticsPageHtml, formatDuration } from '../../functions/pages/analytics-page';
import { staffMember } from '../../functions/domain/staff';
import { barChart, lineChart, textWidth } from '../../functions/pages/charts';

const TZ = 'Asia/Shanghai';
const desk = DEFAULT_DESK_CONFIG;
const HANDLER = 'trust.handler@example.org';
const SUPERVISOR = 'trust.supervisor@example.org';

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 1, 2, 0) + minutes * 60_000).toISOString();
const ev = (
  minutes: number,
  action: ComplaintEvent['action'],
  details: Record<string, unknown> = {},
  actor = 'system',
): ComplaintEvent => ({ at: at(minutes), actor, action, details });

/** A trust case: received, acceptance late (escalated), accepted by the supervisor, findings, reply, rated 4, closed. */
function lateCase(): { events: ComplaintEvent[]; facts: CaseFacts & { subjectLabel?: string } } {
  return {
    facts: { team: 'trust', category: 'account', receivedAt: at(0), subjectKey: 'subject-a', subjectLabel: 'uid-1' },
    events: [
      ev(0, 'complaint.received', { channel: 'web', category: 'account', priority: 4 }, 'complainant'),
      ev(1, 'task.assigned', { step: 'acceptance', level: 0, assignee: HANDLER }),
      ev(60, 'task.escalated', { step: 'acceptance', fromLevel: 0, toLevel: 1, breached: false }),
      ev(61, 'task.assigned', { step: 'acceptance', level: 1, assignee: SUPERVISOR }),
      ev(90, 'decision.recorded', { step: 'acceptance', decision: 'accept', decidedBy: SUPERVISOR }, 'handler'),
      ev(91, 'task.assigned', { step: 'investigation', level: 0, assignee: HANDLER }),
      ev(
        150,
        'findings.recorded',
        { step: 'investigation', decision: 'record-findings', decidedBy: HANDLER },
        'handler',
      ),
      ev(151, 'task.assigned', { step: 'reply', level: 0, assignee: HANDLER }),
      ev(200, 'reply.sent', { step: 'reply', decision: 'send-reply', decidedBy: HANDLER }, 'handler'),
      ev(201, 'task.assigned', { step: 'survey', level: 0, assignee: 'c@example.com' }),
      ev(300, 'survey.answered', { step: 'survey', decision: 'rate', rating: 4 }, 'complainant'),
      ev(300, 'complaint.closed', { outcome: 'resolved' }),
    ],
  };
}

/** A privacy case rejected on time, and a trust case withdrawn while under acceptance review. */
function otherCases(): { events: ComplaintEvent[]; facts: CaseFacts }[] {
  return [
    {
      facts: { team: 'privacy', category: 'privacy', receivedAt: at(10), subjectKey: 'subject-b' },
      events: [
        ev(10, 'complaint.received', { channel: 'hotline', category: 'privacy', priority: 2 }, 'complainant'),
        ev(11, 'task.assigned', { step: 'acceptance', level: 0 }),
        ev(
          40,
          'decision.recorded',
          { step: 'acceptance', decision: 'reject', reason: 'out-of-scope', decidedBy: 'privacy.handler@example.org' },
          'handler',
        ),
        ev(40, 'complaint.closed', { outcome: 'rejected' }),
      ],
    },
    {
      facts: { team: 'trust', category: 'content', receivedAt: at(20), subjectKey: 'subject-a' },
      events: [
        ev(20, 'complaint.received', { channel: 'web', category: 'content', priority: 4 }, 'complainant'),
        ev(21, 'task.assigned', { step: 'acceptance', level: 0 }),
        ev(30, 'complaint.withdrawn', { step: 'acceptance' }, 'complainant'),
        ev(30, 'complaint.closed', { outcome: 'withdrawn' }),
      ],
    },
  ];
}

const range = { from: '2026-12-01', to: '2026-12-01', groupBy: 'day' as const };
/** The view of these cases' events over a range (the recount: straight from the events). */
const viewOf = (
  cases: { events: ComplaintEvent[]; facts: CaseFacts }[],
  teams: string[],
  r: AnalyticsRange = range,
  openLoad: Record<string, number> = {},
) =>
  summarise({
    range: r,
    figures: rangeFromIncrements(incrementsOfCases(cases, TZ), {
      from: r.from,
      to: r.to,
      previousFrom: previousRange(r).from,
      teams,
    }),
    teams,
    config: desk,
    openLoad,
  });
const view = (teams = Object.keys(desk.teams), cases = [lateCase(), ...otherCases()]) =>
  viewOf(cases, teams, range, { [HANDLER]: 2 });
/** A time as the figures give it: its histogram bucket's value, within 2 %. */
const approx = (seconds: number) => {
  const value = bucketValue(bucketOf(seconds));
  expect(Math.abs(value - seconds)).toBeLessThanOrEqual(seconds * RELATIVE_ERROR);
  return value;
};
const timeOf = (seconds: number) => ({
  count: 1,
  medianSeconds: approx(seconds),
  p90Seconds: approx(seconds),
  approximate: { relativeError: RELATIVE_ERROR },
});

describe('the desk figures, from history events', () => {
  it('counts dates in the desk time zone: 23:30 UTC is the next day in Shanghai', () => {
    expect(dayOf('2026-12-01T15:59:59Z', TZ)).toBe('2026-12-01');
    expect(dayOf('2026-12-01T16:00:00Z', TZ)).toBe('2026-12-02');
  });

  it('takes percentiles by nearest rank, without interpolation', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(nearestRank(ten, 50)).toBe(5);
    expect(nearestRank(ten, 90)).toBe(9);
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([1, 2, 3, 4], 50)).toBe(2);
    expect(nearestRank([], 50)).toBeUndefined();
  });

  it('adds up received, outcomes, service levels, times and satisfaction of three cases', () => {
    const v = view();
    expect(v.received).toMatchObject({
      total: 3,
      byCategory: { account: 1, content: 1, privacy: 1 },
      byChannel: { hotline: 1, web: 2 },
      byTeam: { privacy: 1, trust: 2 },
      byPriority: { '2': 1, '4': 2 },
      byStatus: { closed: 3 },
    });
    expect(v.received.series).toEqual([
      { period: '2026-12-01', total: 3, byCategory: { account: 1, content: 1, privacy: 1 } },
    ]);
    expect(v.outcomes).toEqual({
      accepted: 1,
      rejected: { total: 1, byReason: { 'out-of-scope': 1 } },
      withdrawn: 1,
      duplicatesLinked: 0,
      refusedOutOfScope: 0,
      bansIssued: 0,
      closed: { rejected: 1, resolved: 1, withdrawn: 1 },
    });
    // Acceptance: the trust case was escalated before its decision (late), the privacy one not.
    expect(v.serviceLevels.byStage.acceptance).toEqual({
      decided: 2,
      onTime: 1,
      onTimeShare: 0.5,
      escalations: 1,
      breaches: 0,
      lateOpen: 0,
    });
    expect(v.serviceLevels.byStage.investigation).toEqual({
      decided: 1,
      onTime: 1,
      onTimeShare: 1,
      escalations: 0,
      breaches: 0,
      lateOpen: 0,
    });
    expect(v.serviceLevels.times).toEqual({
      accept: timeOf(90 * 60),
      findings: timeOf(150 * 60),
      reply: timeOf(200 * 60),
    });
    expect(v.satisfaction).toMatchObject({
      surveysSent: 1,
      responses: 1,
      mean: 4,
      responseRate: 1,
      distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 0 },
      reviews: { requested: 0, overturned: 0 },
    });
    expect(v.satisfaction.byCategory).toEqual({
      account: { responses: 1, mean: 4, distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 0 } },
    });
    const handler = v.handlers.find((h) => h.email === HANDLER)!;
    // The handler decided findings and reply on time; the case's rating is theirs (they sent the reply).
    expect(handler).toMatchObject({
      decided: 2,
      onTime: 2,
      onTimeShare: 1,
      satisfaction: { responses: 1, mean: 4 },
      reviewsOverturned: 0,
      openLoad: 2,
      teams: ['trust'],
    });
    expect(v.handlers.find((h) => h.email === SUPERVISOR)).toMatchObject({ decided: 1, onTime: 0, onTimeShare: 0 });
    expect(v.hotspots.filter((h) => h.kind === 'subject')).toEqual([
      { kind: 'subject', key: 'subject-a', label: 'uid-1', count: 2, previous: 0, change: 2 },
      { kind: 'subject', key: 'subject-b', label: 'subject-b', count: 1, previous: 0, change: 1 },
    ]);
  });

  it('moves a case between statuses on the day it was received, so byStatus is where the range’s cases stand now', () => {
    const c = lateCase();
    const firstThree = viewOf([{ ...c, events: c.events.slice(0, 6) }], ['trust']);
    expect(firstThree.received.byStatus).toEqual({ investigation: 1 });
  });

  it('writes one contribution per day, so an event touches each day item once', () => {
    const c = lateCase();
    const moved = contributionsOf(c.events[1]!, c.events.slice(0, 1), c.facts, TZ);
    expect(moved).toEqual([
      { day: '2026-12-01', add: { 'trust|status:received': -1, 'trust|status:acceptance-review': 1 }, durations: {} },
    ]);
    const closing = contributionsOf(c.events[11]!, c.events.slice(0, 11), c.facts, TZ);
    expect(closing).toHaveLength(1);
    expect(closing[0]!.add).toEqual({
      'trust|closed:resolved': 1,
      'trust|status:survey': -1,
      'trust|status:closed': 1,
    });
  });

  it('gives a supervisor only their teams’ figures', () => {
    const teams = analyticsTeams({ role: 'supervisor', teams: { privacy: 'supervisor' } }, desk)!;
    expect(teams).toEqual(['privacy']);
    const v = view(teams);
    expect(v.received).toMatchObject({ total: 1, byCategory: { privacy: 1 }, byTeam: { privacy: 1 } });
    expect(v.outcomes.withdrawn).toBe(0);
    expect(analyticsTeams({ role: 'handler', teams: { trust: 'handler' } }, desk)).toBeUndefined();
  });

  it('counts a breach once per case, at its first breached escalation', () => {
    const prior = [
      ev(0, 'complaint.received', { category: 'account' }),
      ev(1, 'task.escalated', { step: 'acceptance', fromLevel: 2, breached: true }),
    ];
    const facts: CaseFacts = { team: 'trust', category: 'account', receivedAt: at(0) };
    expect(contributionsOf(prior[1]!, prior.slice(0, 1), facts, TZ)[0]!.add).toMatchObject({
      'trust|escalated:acceptance': 1,
      'trust|breached:acceptance': 1,
    });
    expect(
      contributionsOf(
        ev(2, 'task.escalated', { step: 'acceptance', fromLevel: 3, breached: true }),
        prior,
        facts,
        TZ,
      )[0]!.add,
    ).toEqual({ 'trust|escalated:acceptance': 1 });
  });

  it('charges an overturned review to whoever sent the reply', () => {
    const c = lateCase();
    const events = [
      ...c.events.slice(0, 9),
      ev(210, 'review.requested', { step: 'survey', decidedBy: 'c@example.com' }),
      ev(220, 'review.ruled', { step: 'review', ruling: 'overturn', decidedBy: SUPERVISOR }, 'supervisor'),
      ev(220, 'complaint.closed', { outcome: 'resolved' }),
    ];
    const v = view(['trust'], [{ ...c, events }]);
    expect(v.satisfaction.reviews).toEqual({ requested: 1, overturned: 1 });
    expect(v.handlers.find((h) => h.email === HANDLER)!.reviewsOverturned).toBe(1);
  });

  it('finds what rose against the previous range', () => {
    // The other cases a day earlier: the range before this one-day range.
    const dayBefore = (iso: string) => new Date(Date.parse(iso) - 86_400_000).toISOString();
    const earlier = otherCases().map((c) => ({
      facts: { ...c.facts, receivedAt: dayBefore(c.facts.receivedAt) },
      events: c.events.map((e) => ({ ...e, at: dayBefore(e.at) })),
    }));
    const v = viewOf([lateCase(), ...earlier], Object.keys(desk.teams));
    expect(v.rising.filter((h) => h.kind === 'category').map((h) => [h.key, h.change])).toEqual([['account', 1]]);
    expect(v.hotspots.find((h) => h.key === 'subject-a')).toMatchObject({ count: 1, previous: 1, change: 0 });
  });
});

describe('ranges and the weekly schedule', () => {
  const now = new Date('2026-12-02T03:00:00Z'); // Wednesday 11:00 in Shanghai
  it('defaults to the last 30 days by day, and names each bad field', () => {
    expect(analyticsRangeOf({}, now, TZ)).toEqual({
      ok: true,
      range: { from: '2026-11-03', to: '2026-12-02', groupBy: 'day' },
    });
    const bad = analyticsRangeOf({ from: '2026-02-30', groupBy: 'year' }, now, TZ);
    expect(analyticsRangeOf({ to: '2026-13-01' }, now, TZ).ok).toBe(false);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((e) => e.path)).toEqual(['from', 'groupBy']);
    const reversed = analyticsRangeOf({ from: '2026-12-05', to: '2026-12-01' }, now, TZ);
    expect(!reversed.ok && reversed.errors[0]!.message.en).toBe('from must not be after to');
    expect(previousRange({ from: '2026-12-01', to: '2026-12-07', groupBy: 'week' })).toEqual({
      from: '2026-11-24',
      to: '2026-11-30',
      groupBy: 'week',
    });
  });

  it('groups days into weeks from Monday and into months', () => {
    expect(periodOf('2026-12-06', 'week')).toBe('2026-11-30');
    expect(periodOf('2026-12-07', 'week')).toBe('2026-12-07');
    expect(periodOf('2026-12-07', 'month')).toBe('2026-12');
  });

  it('reports on last Monday-to-Sunday week, next on Monday 09:00 in the desk zone', () => {
    expect(lastFullWeek(now, TZ)).toEqual({ from: '2026-11-23', to: '2026-11-29', groupBy: 'day' });
    expect(nextWeeklyReportAt(now, { day: 'monday', time: '09:00' }, TZ).toISOString()).toBe(
      '2026-12-07T01:00:00.000Z',
    );
    expect(
      nextWeeklyReportAt(new Date('2026-12-07T01:00:00Z'), { day: 'monday', time: '09:00' }, TZ).toISOString(),
    ).toBe('2026-12-14T01:00:00.000Z');
    expect(nextWeeklyReportAt(now, { day: 'wednesday', time: '12:30' }, 'America/New_York').toISOString()).toBe(
      '2026-12-02T17:30:00.000Z',
    );
  });
});

describe('stream records, CSV and charts', () => {
  const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', sk: string, extra: Record<string, unknown> = {}) =>
    ({
      eventName,
      dynamodb: {
        Keys: { pk: { S: 'COMPLAINT#01ABC' }, sk: { S: sk } },
        NewImage: {
          pk: { S: 'COMPLAINT#01ABC' },
          sk: { S: sk },
          at: { S: at(0) },
          action: { S: 'complaint.received' },
          actor: { S: 'complainant' },
          details: { M: { channel: { S: 'web' }, priority: { N: '4' } } },
        },
        OldImage: { pk: { S: 'COMPLAINT#01ABC' }, sk: { S: sk }, number: { S: 'TS-1' } },
        SequenceNumber: '1',
      },
      ...extra,
    }) as any;

  it('counts only history events the stream added, never a record changed or removed', () => {
    expect(addedEventOf(record('INSERT', 'EVENT#2026-12-01T02:00:00.000Z#00001'))).toMatchObject({
      complaintId: '01ABC',
      item: { action: 'complaint.received', details: { channel: 'web', priority: 4 } },
    });
    expect(addedEventOf(record('INSERT', 'META'))).toBeUndefined();
    expect(addedEventOf(record('MODIFY', 'EVENT#x'))).toBeUndefined();
    expect(addedEventOf(record('REMOVE', 'EVENT#x'))).toBeUndefined();
  });

  it('leaves expiry alone on a stream with both images: inserts, changes and removals by a person purge nothing', async () => {
    const result = await expireCase({
      Records: [
        record('INSERT', 'META'),
        record('MODIFY', 'META'),
        record('REMOVE', 'META', { userIdentity: { type: 'User', principalId: 'someone' } }),
        record('REMOVE', 'EVENT#x', { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } }),
      ],
    });
    expect(result).toEqual({ purged: 0, items: 0 });
  });

  it('writes CSV with a BOM, quotes what needs it and never lets a cell run as a formula', () => {
    const csv = analyticsCsv(
      {
        ...view(),
        hotspots: [{ kind: 'subject', key: 'k', label: '=HYPERLINK("x")', count: 1, previous: 0, change: 1 }],
      },
      'zh-CN',
      desk,
    );
    expect(csv.startsWith('\uFEFF部分,指标,键,名称,数值\r\n')).toBe(true);
    expect(csv).toContain('received,total,,合计,3');
    // Medians and 90th percentiles come from histograms: the CSV says how close they are.
    expect(csv).toContain(`serviceLevels.times,approximate.relativeError,accept,受理,${RELATIVE_ERROR}`);
    expect(csv).not.toContain('[object Object]');
    expect(csv).toContain(`hotspots,subject,k,"'=HYPERLINK(""x"")",1`);
  });

  it('draws bars an assistive reader can name, with the numbers as a table', () => {
    const svg = barChart({ id: 'c', title: 'By category', data: [{ label: '<b>', value: 3 }], language: 'en' }).value;
    expect(svg).toContain('role="img"');
    expect(svg).toContain('<title id="c-t">By category</title>');
    expect(svg).toContain('&lt;b&gt;: 3');
    expect(svg).toContain('<table class="figures">');
    expect(formatDuration(5400, 'en')).toBe('1 h 30 min');
    expect(formatDuration(90000, 'zh-CN')).toBe('1 天 1 小时');
  });
});

describe('counting a case once, and late work still open', () => {
  /** The late case, then reopened for review (复核), upheld and closed again the same day. */
  const reviewedCase = () => {
    const c = lateCase();
    c.events.push(
      ev(400, 'review.requested', { reason: 'I disagree' }, 'complainant'),
      ev(401, 'task.assigned', { step: 'review', level: 0, assignee: SUPERVISOR }),
      ev(450, 'review.ruled', { step: 'review', ruling: 'uphold', decidedBy: SUPERVISOR }, 'supervisor'),
      ev(450, 'complaint.closed', { outcome: 'resolved' }),
    );
    return c;
  };

  it('counts a case closed, reopened for review and closed again as one closing, matching the status breakdown', () => {
    const v = viewOf([reviewedCase(), ...otherCases()], Object.keys(desk.teams));
    const closed = Object.values(v.outcomes.closed).reduce((a, b) => a + b, 0);
    expect(closed).toBe(3);
    expect(closed).toBe(v.received.byStatus.closed);
    expect(v.outcomes.closed.resolved).toBe(1);
  });

  it('counts a closing on the day of the last one when the review closes it on another day', () => {
    const c = reviewedCase();
    // The review closes it two days later.
    for (const e of c.events.slice(-4)) e.at = new Date(Date.parse(e.at) + 2 * 86_400_000).toISOString();
    const days = incrementsOfCases([c], TZ);
    const closedOn = (day: string) => days.team[day]?.trust?.['closed:resolved'] ?? 0;
    expect(closedOn('2026-12-01')).toBe(0);
    expect(closedOn('2026-12-03')).toBe(1);
  });

  it('counts an open late task against the on-time share: two breached cases open are not 100 %', () => {
    const breachedOpen = (n: number) => ({
      facts: { team: 'privacy', category: 'privacy', receivedAt: at(n) },
      events: [
        ev(n, 'complaint.received', { channel: 'web', category: 'privacy', priority: 2 }, 'complainant'),
        ev(n + 1, 'task.assigned', { step: 'acceptance', level: 0 }),
        ev(n + 60, 'task.escalated', { step: 'acceptance', fromLevel: 0, toLevel: 1, breached: false }),
        ev(n + 61, 'task.assigned', { step: 'acceptance', level: 1 }),
        ev(n + 120, 'task.escalated', { step: 'acceptance', fromLevel: 1, toLevel: 3, breached: true }),
        ev(n + 121, 'task.assigned', { step: 'acceptance', level: 3 }),
      ],
    });
    const v = viewOf([...otherCases(), breachedOpen(100), breachedOpen(110)], ['privacy']);
    // One on-time rejection decided, two late tasks open: 1 of 3.
    expect(v.serviceLevels.byStage.acceptance).toMatchObject({ decided: 1, onTime: 1, lateOpen: 2 });
    expect(v.serviceLevels.byStage.acceptance.onTimeShare).toBeCloseTo(1 / 3);
    // Once decided, a late task is counted as decided late, and no longer as open.
    const decided = breachedOpen(100);
    decided.events.push(
      ev(300, 'decision.recorded', { step: 'acceptance', decision: 'accept', decidedBy: 'desk.manager@example.org' }),
    );
    const after = viewOf([...otherCases(), decided], ['privacy']);
    expect(after.serviceLevels.byStage.acceptance).toMatchObject({ decided: 2, onTime: 1, lateOpen: 0 });
    // Closed while late (withdrawn): no longer open either.
    const withdrawn = breachedOpen(100);
    withdrawn.events.push(ev(300, 'complaint.closed', { outcome: 'withdrawn' }));
    expect(viewOf([withdrawn], ['privacy']).serviceLevels.byStage.acceptance.lateOpen).toBe(0);
  });

  it('lists nothing as rising when the range before holds nothing', () => {
    const v = viewOf([lateCase(), ...otherCases()], Object.keys(desk.teams));
    expect(v.hotspots.length).toBeGreaterThan(0);
    expect(v.rising).toEqual([]);
  });
});

describe('charts sized to their text', () => {
  const labelX = (svg: string) => Number(/<text x="(\d+(?:\.\d+)?)" y="\d+" text-anchor="end"/.exec(svg)![1]);
  it('gives Chinese bar labels room for every character, and Latin ones theirs', () => {
    const zh = barChart({
      id: 'c',
      title: 't',
      data: [{ label: '服务中断与性能问题', value: 12 }],
      language: 'zh-CN',
    }).value;
    // Nine full-width characters at 12 px: at least 108 px left of the bars, nothing cut.
    expect(labelX(zh)).toBeGreaterThanOrEqual(9 * 12);
    expect(zh).toContain('>服务中断与性能问题<');
    const en = barChart({ id: 'c', title: 't', data: [{ label: 'Service outage', value: 3 }], language: 'en' }).value;
    expect(labelX(en)).toBeLessThan(labelX(zh));
    expect(textWidth('服务', 12)).toBe(24);
  });

  it('keeps the last axis label of a line inside the chart', () => {
    const data = Array.from({ length: 14 }, (_, i) => ({
      label: `2026-12-${String(i + 1).padStart(2, '0')}`,
      value: i,
    }));
    const svg = lineChart({ id: 'l', title: 't', data, language: 'en' }).value;
    expect(svg).toMatch(/<text x="628\.0" y="192" text-anchor="end" fill="#5b6472">2026-12-14<\/text>/);
  });

  it('never breaks a table header inside a word', () => {
    const page = analyticsPageHtml({
      view: view(),
      member: staffMember(desk, 'desk.manager@example.org')!,
      language: 'en',
      nonce: 'n',
      config: desk,
      query: '',
    });
    expect(page).toMatch(/table\.figures thead th\{overflow-wrap:normal;word-break:keep-all/);
  });
});
