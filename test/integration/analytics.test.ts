import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { ownStack } from '../support/own-stack';
import {
  CaseDriver,
  complaintBody,
  expectStatus,
  fileComplaint,
  linkIn,
  moveClock,
  nonceOf,
  postFields,
  stack,
  stackNow,
  SUBJECTS,
  useStackSettingsInProcess,
} from '../support/stack-client';
import { signIn, staffJson, staffPost } from '../support/staff-client';

/**
 * A handful of cases through HTTP and email, one on each path the figures tell apart: rated 5
 * and 2, rejected, withdrawn, filed twice (the second joins the first), late (the clock moves: the
 * supervisor accepts it) and reviewed (overturned). Then GET /staff/analytics must equal a recount
 * of the events in the table (the same arithmetic, none of the stream, the stored batches or the
 * roll-up): every count exactly, and each median and 90th percentile within the stated 2 % of the
 * times themselves. A stream that delivers every batch twice, or longer, and a roll-up that stops
 * half-way count nothing twice; a rebuild gives the same figures. Many cases and their volume are
 * the unit tests' (test/unit/analytics-figures.test.ts) and the bench's (test/bench/scale/analytics.ts).
 *
 * The stack's own roll-up waits an hour here (`analytics.refreshSeconds`), so every roll-up is
 * the test's own, run in this process when it wants the figures.
 */
const OPERATOR = 'desk.operator@example.org';
const desk = { ...DEFAULT_DESK_CONFIG, admins: [OPERATOR], analytics: { refreshSeconds: 3600 } };
const configDir = mkdtempSync(path.join(os.tmpdir(), 'redress-analytics-'));
const configFile = path.join(configDir, 'redress.config.json');
writeFileSync(configFile, JSON.stringify({ mailFrom: 'complaints@redress.test', desk }));
ownStack({ REDRESS_CONFIG_FILE: configFile });
afterAll(() => rmSync(configDir, { recursive: true, force: true }));

const HOUR = 3600;

async function selfService(trackingUrl: string, action: 'withdrawal' | 'review-request', body: Record<string, string>) {
  const url = new URL(trackingUrl);
  const response = await fetch(`${url.origin}${url.pathname}/${action}${url.search}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

async function acted(c: CaseDriver, subject: RegExp, fields: Record<string, string>, to?: string) {
  const { response, text } = await c.act((await c.taskLink(subject, to)).url, fields);
  if (response.status !== 200)
    throw new Error(`${c.number}: ${subject} answered ${response.status}: ${text.slice(0, 300)}`);
}

async function throughReply(c: CaseDriver) {
  await acted(c, SUBJECTS.acceptance, { decision: 'accept' });
  await acted(c, SUBJECTS.investigation, {
    decision: 'record-findings',
    findings: '经核实，情况属实。',
    actions: 'other',
  });
  await acted(c, SUBJECTS.reply, { reply: '已处理。', grounds: '社区规则第3条' });
}

describe('the desk figures of a handful of cases', () => {
  it('equal a recount from the events (counts exactly, percentiles within 2 %), and a stream delivered twice, a roll-up stopped half-way and a rebuild change nothing', async () => {
    const started = Date.now();
    const phases: string[] = [];
    const phase = (name: string) => phases.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // ---- The cases, each on its path.
    const rated5 = await CaseDriver.file(1);
    const rated2 = await CaseDriver.file(2);
    const rejected = await CaseDriver.file(6);
    const withdrawn = await CaseDriver.file(7);
    const twiceBody = complaintBody(10);
    const first = await fileComplaint(twiceBody, {}, stack().api);
    const twice = new CaseDriver(first.json.number, first.json.trackingUrl, twiceBody.complainant.email);
    const late = await CaseDriver.file(2);
    const reviewed = await CaseDriver.file(1);
    // The same matter by the same complainant while the case is open joins it.
    const again = await fileComplaint(twiceBody, {}, stack().api);
    await Promise.all([
      (async () => {
        await throughReply(rated5);
        await acted(rated5, SUBJECTS.outcome, { rating: '5', comment: '谢谢' }, rated5.complainantEmail);
      })(),
      (async () => {
        await throughReply(rated2);
        await acted(rated2, SUBJECTS.outcome, { rating: '2', comment: '太慢' }, rated2.complainantEmail);
      })(),
      acted(rejected, SUBJECTS.acceptance, { decision: 'reject', reason: 'out-of-scope' }),
      (async () => {
        await withdrawn.taskLink(SUBJECTS.acceptance);
        expect((await selfService(withdrawn.trackingUrl, 'withdrawal', { reason: '问题已自行解决' })).status).toBe(200);
      })(),
      acted(twice, SUBJECTS.acceptance, { decision: 'accept' }),
      late.taskLink(SUBJECTS.acceptance),
      (async () => {
        await throughReply(reviewed);
        await acted(
          reviewed,
          SUBJECTS.outcome,
          { decision: 'request-review', reason: '结果不合理，请复核。' },
          reviewed.complainantEmail,
        );
        await acted(reviewed, SUBJECTS.review, {
          decision: 'overturn',
          reason: '原结论依据不足。',
          reply: '撤销原结果，恢复账号。',
        });
      })(),
    ]);
    expect(again.response.status).toBeLessThan(300);

    phase('driven');
    // The late case's acceptance deadline passes: it goes to the supervisor, who accepts it.
    await moveClock(25 * HOUR);
    const escalated = linkIn(await late.email(/Escalated/), '/tasks/');
    const page = await (await fetch(escalated)).text();
    expect((await postFields(escalated, { nonce: nonceOf(page), decision: 'accept' })).response.status).toBe(200);
    await late.taskLink(SUBJECTS.investigation);
    phase('escalated');

    // ---- The recount: every case's events, read from the table, through the same arithmetic.
    useStackSettingsInProcess();
    process.env.REDRESS_CONFIG = JSON.stringify(desk);
    // This process judges time (the roll-up's lease, the rebuild's cut-off) by the stack's clock.
    const { moveClockForward } = await import('../../functions/lib/clock');
    moveClockForward(Math.max(0, (await stackNow()).getTime() - Date.now()));
    const { incrementsOfCases, summarise, previousRange, nearestRank, dayOf } = await import(
      '../../functions/domain/analytics'
    );
    const { rangeFromIncrements, mergeIncrements } = await import('../../functions/domain/analytics-figures');
    const { RELATIVE_ERROR } = await import('../../functions/domain/histogram');
    const { caseHistory, everyComplaint, factsOf, tableFigures } = await import('../../functions/store/analytics');
    const { aggregateStream, rollUpAnalytics } = await import('../../functions/app/analytics');
    const { handler } = await import('../../functions/stream/aggregate-analytics');
    const { teamOfCategory } = await import('../../functions/domain/staff');
    const recount = async () => {
      const cases = [];
      for await (const record of everyComplaint()) {
        const history = await caseHistory(record.id);
        const facts = factsOf(record, (c) => teamOfCategory(desk, c) ?? 'unassigned', history);
        cases.push({ id: record.id, keyed: history, events: history.map((h) => h.event), facts });
      }
      return cases;
    };
    const manager = await signIn(desk.teams.trust!.manager);
    const figures = async () =>
      expectStatus(await staffJson('/staff/analytics', manager.cookie), 200, 'analytics').json;
    const expectedOf = (view: any, inc: ReturnType<typeof incrementsOfCases>) => {
      const range = { from: view.range.from, to: view.range.to, groupBy: view.range.groupBy };
      return JSON.parse(
        JSON.stringify(
          summarise({
            range,
            figures: rangeFromIncrements(inc, {
              from: range.from,
              to: range.to,
              previousFrom: previousRange(range).from,
              teams: view.range.teams,
            }),
            teams: view.range.teams,
            config: { ...DEFAULT_DESK_CONFIG, ...desk },
            openLoad: Object.fromEntries(view.handlers.map((h: any) => [h.email, h.openLoad])),
            top: 10,
          }),
        ),
      );
    };
    // Rolls up what the stream stored until the figures are the recount's (a guard only: the
    // stream follows the events within seconds; each turn runs the roll-up itself).
    const settled = async (inc: ReturnType<typeof incrementsOfCases>) => {
      let view = await figures();
      let turn = 0;
      for (; turn < 120 && !isDeepStrictEqual(view, expectedOf(view, inc)); turn++) {
        await rollUpAnalytics({ force: true });
        view = await figures();
        if (!isDeepStrictEqual(view, expectedOf(view, inc))) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      phases.push(`(${turn} roll-up turns)`);
      return view;
    };

    const cases = await recount();
    const once = incrementsOfCases(cases, desk.timeZone);
    const view = await settled(once);
    expect(view).toEqual(expectedOf(view, once));
    phase('figures');

    // ---- The headline figures, straight from the events.
    const all = cases.flatMap((c) => c.events.map((e) => ({ e, c })));
    const countOf = (action: string, where: (e: any) => boolean = () => true) =>
      all.filter(({ e }) => e.action === action && where(e)).length;
    expect(view.received.total).toBe(cases.length);
    expect(cases.length).toBe(again.json.number ? 8 : 7);
    expect(view.outcomes).toMatchObject({
      accepted: countOf('decision.recorded', (e) => e.details?.decision === 'accept'),
      rejected: { total: 1, byReason: { 'out-of-scope': 1 } },
      withdrawn: 1,
      duplicatesLinked: again.json.number ? 0 : 1,
    });
    expect(view.satisfaction).toMatchObject({
      responses: 2,
      mean: 3.5,
      distribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 },
      reviews: { requested: 1, overturned: 1 },
    });
    expect(view.serviceLevels.escalations).toBe(countOf('task.escalated'));
    expect(view.serviceLevels.escalations).toBeGreaterThanOrEqual(1);
    expect(view.serviceLevels.byStage.acceptance.onTime).toBe(view.serviceLevels.byStage.acceptance.decided - 1);
    // Each time figure: the count exact, the median and 90th percentile within 2 % of the times themselves.
    const seconds = (measure: (e: any) => boolean, by?: string) =>
      all
        .filter(({ e }) => measure(e) && (!by || e.details?.decidedBy === by))
        .filter(({ e }) => dayOf(e.at, desk.timeZone) >= view.range.from && dayOf(e.at, desk.timeZone) <= view.range.to)
        .map(({ e, c }) => Math.round((Date.parse(e.at) - Date.parse(c.facts.receivedAt)) / 1000))
        .sort((a, b) => a - b);
    const measures = {
      accept: (e: any) => e.action === 'decision.recorded' && e.details?.decision === 'accept',
      findings: (e: any) => e.action === 'findings.recorded',
      reply: (e: any) => e.action === 'reply.sent',
    };
    const within = (figure: any, exact: number[], where: string) => {
      expect(figure.count, where).toBe(exact.length);
      expect(figure.approximate, where).toEqual({ relativeError: RELATIVE_ERROR });
      for (const [p, got] of [
        [50, figure.medianSeconds],
        [90, figure.p90Seconds],
      ] as const) {
        const want = nearestRank(exact, p)!;
        expect(Math.abs(got - want), `${where} p${p}: ${got} vs ${want}`).toBeLessThanOrEqual(want * RELATIVE_ERROR);
      }
    };
    for (const [m, measure] of Object.entries(measures)) {
      within(view.serviceLevels.times[m], seconds(measure), m);
      const handler = desk.teams.trust!.handlers[0]!;
      const theirs = view.handlers.find((h: any) => h.email === handler);
      if (seconds(measure, handler).length) within(theirs.times[m], seconds(measure, handler), `${handler} ${m}`);
    }
    // The late case was accepted a day after it came in.
    expect(view.serviceLevels.times.accept.p90Seconds).toBeGreaterThan(24 * HOUR);

    // ---- The stream again: every event delivered in batches, each batch twice, then once more
    // and longer (the records after it too), as a stream delivers a batch again after a failure,
    // the next batch starting after the longest. They are counted once: exactly one more copy of
    // every event, whatever the deliveries.
    let sequence = 0;
    const records = cases.flatMap((c) =>
      c.keyed.map((h) => ({
        eventID: `replay-${sequence}`,
        eventName: 'INSERT' as const,
        dynamodb: {
          Keys: marshall({ pk: `COMPLAINT#${c.id}`, sk: h.sk }) as any,
          NewImage: marshall({ pk: `COMPLAINT#${c.id}`, sk: h.sk, ...h.event }, { removeUndefinedValues: true }) as any,
          SequenceNumber: `9${String(++sequence).padStart(39, '0')}`,
        },
      })),
    );
    const deliver = async (batch: typeof records) => {
      const answer = await aggregateStream({ Records: batch } as DynamoDBStreamEvent);
      expect(answer.batchItemFailures).toEqual([]);
    };
    for (let i = 0; i < records.length; i += 12) {
      const batch = records.slice(i, i + 7);
      await deliver(batch);
      await deliver(batch);
      await deliver(records.slice(i, i + 12));
    }
    // A roll-up stops after a few writes; the next does it again, to the same effect.
    let writes = 3;
    const stopping = new Proxy(tableFigures, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        if (typeof value !== 'function' || !/^(add|put)/.test(String(name))) return value;
        return async (...args: unknown[]) => {
          if (writes-- <= 0) throw new Error('the roll-up stopped');
          return value.apply(target, args);
        };
      },
    });
    let stopped = false;
    for (let turn = 0; turn < 60 && !stopped; turn++) {
      const result = await rollUpAnalytics({ force: true, store: stopping }).catch((error) => {
        stopped = /stopped/.test(String(error));
        return undefined;
      });
      if (result && !result.busy) throw new Error('the roll-up did not stop');
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(stopped).toBe(true);
    phase('delivered again');
    const twiceCounted = mergeIncrements(structuredClone(once), once);
    const replayed = await settled(twiceCounted);
    expect(replayed).toEqual(expectedOf(replayed, twiceCounted));
    phase('rolled up again');

    // ---- A rebuild from the history gives the recount's figures again (one copy of each event).
    const rebuilt = (await handler({ rebuild: true }, {} as never)) as { cases: number };
    expect(rebuilt.cases).toBe(cases.length);
    expect(await figures()).toEqual(view);
    phase('rebuilt');
    // The stream delivering events the rebuild counted leaves them out.
    await deliver(
      records
        .slice(0, 5)
        .map((r) => ({ ...r, dynamodb: { ...r.dynamodb, SequenceNumber: `8${r.dynamodb.SequenceNumber.slice(1)}` } })),
    );
    await rollUpAnalytics({ force: true });
    expect(await figures()).toEqual(view);

    // The CSV says the same, for a spreadsheet, and says the times are approximate.
    const csv = await (
      await fetch(`${stack().api}/staff/analytics.csv?lang=en`, { headers: { cookie: manager.cookie } })
    ).text();
    expect(csv).toContain(`received,total,,Total,${cases.length}`);
    expect(csv).toContain(`serviceLevels.times,approximate.relativeError,accept,`);

    // A supervisor sees their team only; a handler has no analytics; a bad range is named.
    const supervisor = await signIn(desk.teams.privacy!.supervisor);
    const theirs = expectStatus(await staffJson('/staff/analytics', supervisor.cookie), 200, 'supervisor').json;
    expect(theirs.range.teams).toEqual(['privacy']);
    expect(theirs.received.total).toBe(view.received.byTeam.privacy ?? 0);
    const handlerStaff = await signIn(desk.teams.privacy!.handlers[0]!);
    expect((await staffJson('/staff/analytics', handlerStaff.cookie)).response.status).toBe(403);
    expect((await staffJson('/staff/analytics?from=2026-13-01', manager.cookie)).json.errors[0].path).toBe('from');
    // An operator or a manager (for their own teams: weekly-report-now.test.ts) sends the report now; a supervisor does not.
    expect(
      (await staffPost('/staff/analytics/weekly-report', supervisor, { nonce: supervisor.nonce }, 'application/json'))
        .response.status,
    ).toBe(403);
    phase('done');
    console.log(`analytics: ${cases.length} cases; ${phases.join(', ')}`);
  });
});
