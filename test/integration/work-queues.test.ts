import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { newComplaintId, newComplaintNumber } from '../../functions/domain/ids';
import { STEP_STATUS, type HumanStep } from '../../functions/domain/lifecycle';
import type { StaffMember } from '../../functions/domain/staff';
import { CapacityMeter, startCapacityMeterProxy } from '../../infra/local/capacity-meter';
import { ownStack } from '../support/own-stack';
import { CaseDriver, moveClock, SUBJECTS, stack, track, useStackSettingsInProcess } from '../support/stack-client';
import { complaintRecord, TABLE, table } from '../support/table';

/**
 * The work queues (byTeam per team partition, byAssignee per holder): which writes put a case in
 * them and where, on a stack of this file's own (its clock moves); and what a page costs, read
 * through the product's use case in this process behind a capacity meter of its own, with open
 * work seeded in the product's own item shapes.
 */
ownStack();

const TEAMS = DEFAULT_DESK_CONFIG.teams;
const TRUST = TEAMS.trust!;

async function inQueue(index: 'byTeam' | 'byAssignee', key: string): Promise<string[]> {
  const partition = index === 'byTeam' ? 'teamKey' : 'assignee';
  const { Items } = await table().send(
    new QueryCommand({
      TableName: TABLE,
      IndexName: index,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': partition },
      ExpressionAttributeValues: { ':p': key },
    }),
  );
  return (Items ?? []).map((item) => item.id as string);
}

describe('the work queues', () => {
  it('hold a case while staff hold its step: by deadline, first once escalated, at each step’s deadline; not while another party answers, nor once closed', async () => {
    const c = await CaseDriver.file(1);
    await c.taskLink(SUBJECTS.acceptance, TRUST.handlers[0]);
    const id = (await track(c.trackingUrl)).json.id as string;
    let record = (await complaintRecord(id))!;
    expect(record.teamKey).toBe('TEAM#trust#0');
    expect(record.queuePosition).toBe(`1#${record.deadlineAt}#${id}`);
    expect(await inQueue('byTeam', 'TEAM#trust#0')).toContain(id);
    expect(await inQueue('byAssignee', TRUST.handlers[0]!)).toContain(id);

    // Escalated: first in the queues, held by the supervisor.
    await moveClock(25 * 3600);
    const escalated = await c.taskLink(/Escalated/, TRUST.supervisor);
    record = (await complaintRecord(id))!;
    expect(record).toMatchObject({ level: 1, assignee: TRUST.supervisor });
    expect(record.queuePosition).toBe(`0#${record.deadlineAt}#${id}`);
    expect(await inQueue('byAssignee', TRUST.supervisor)).toContain(id);
    expect(await inQueue('byAssignee', TRUST.handlers[0]!)).not.toContain(id);

    // Accepted: the investigation's deadline, level 0 again.
    await c.act(escalated.url, { decision: 'accept' });
    const investigation = await c.taskLink(SUBJECTS.investigation);
    record = (await complaintRecord(id))!;
    expect(record).toMatchObject({ currentStep: 'investigation', level: 0 });
    expect(record.queuePosition).toBe(`1#${record.deadlineAt}#${id}`);
    expect(await inQueue('byTeam', 'TEAM#trust#0')).toContain(id);

    // The respondent answers now: no staff work, in no work queue.
    const respondent = `respondent-${c.number.toLowerCase()}@example.net`;
    await c.act(investigation.url, {
      decision: 'request-statement',
      respondentEmail: respondent,
      question: '请说明情况。',
    });
    await c.taskLink(SUBJECTS.statement, respondent);
    record = (await complaintRecord(id))!;
    expect(record.currentStep).toBe('statement');
    expect(record.queuePosition).toBeUndefined();
    expect(await inQueue('byTeam', 'TEAM#trust#0')).not.toContain(id);

    // Withdrawn: closed, out of every queue; it keeps its team for views of every case.
    const url = new URL(c.trackingUrl);
    const withdrawn = await fetch(`${url.origin}${url.pathname}/withdrawal${url.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(withdrawn.status).toBe(200);
    await c.status((x) => x.status === 'closed');
    record = (await complaintRecord(id))!;
    expect(record.queuePosition).toBeUndefined();
    expect(record.teamKey).toBe('TEAM#trust#0');
  });

  describe('a page', () => {
    const meter = new CapacityMeter();
    let proxy: Awaited<ReturnType<typeof startCapacityMeterProxy>> | undefined;
    afterAll(async () => proxy?.close());

    const desk = DEFAULT_DESK_CONFIG;
    const categories = desk.categories.map((category) => category.id);
    const seeded: { id: string; position: string; holder: string }[] = [];
    /**
     * Open tasks in the product's item shapes, as intake and the step's writes leave them: spread
     * over the teams (escalated one in ten), or all on one holder in `category`; `deadlineOf` gives
     * the i-th task's deadline.
     */
    const seed = async (
      count: number,
      holder?: { email: string; category: string },
      deadlineOf = (i: number) => new Date(Date.now() + (((i * 104_729) % 5) - 1) * 86_400_000 + i).toISOString(),
    ) => {
      const { putComplaint, withQueuePosition } = await import('../../functions/store/complaints');
      for (let i = 0; i < count; i++) {
        const received = new Date(Date.now() - ((i * 7919) % 86_400_000));
        const id = newComplaintId(received);
        const category = holder?.category ?? categories[i % categories.length]!;
        const team = desk.categories.find((x) => x.id === category)!.team;
        const escalated = !holder && i % 10 === 0;
        const step: HumanStep = (['acceptance', 'investigation', 'reply'] as const)[i % 3]!;
        const changes = withQueuePosition(id, {
          currentStep: step,
          level: escalated ? 1 : 0,
          deadlineAt: deadlineOf(i),
        });
        const item = {
          ...putComplaint({
            id,
            number: newComplaintNumber(received, desk.timeZone),
            channel: 'web',
            complainant: { name: 'Seeded', email: `seeded-${i}@example.com` },
            category,
            subject: { type: 'service', name: `seeded ${i}` },
            description: 'An open task seeded for the queue test.',
            language: 'zh-CN',
            trackingSalt: 'seeded',
            receivedAt: received.toISOString(),
            updatedAt: received.toISOString(),
            acceptanceDeadlineAt: received.toISOString(),
            complainantKey: `seeded-${id}`,
            subjectKey: `seeded-${id}`,
            status: 'received',
          }).Put.Item,
          ...changes,
          // Not the sweep's to move: no workflow runs for a seeded case (this stack's clock is a
          // day ahead, and the sweep would resume one for it and move it in the queue).
          sweepDue: undefined,
          sweepDueAt: undefined,
          status: STEP_STATUS[step],
          assignee: holder?.email ?? (escalated ? TEAMS[team]!.supervisor : TEAMS[team]!.handlers[0]),
        };
        await table().send(new PutCommand({ TableName: TABLE, Item: item }));
        seeded.push({ id, position: changes.queuePosition as string, holder: item.assignee! });
      }
    };
    const page = async (member: StaffMember, query: Record<string, string> = {}) => {
      const { staffQueue } = await import('../../functions/app/staff-queue');
      const { queueFiltersOf } = await import('../../functions/domain/staff');
      const before = meter.reading();
      const result = await staffQueue(member, queueFiltersOf({ limit: '50', ...query }));
      const after = meter.reading();
      return { result, queries: after.readRequests - before.readRequests, units: after.readUnits - before.readUnits };
    };
    const inOrder = (list: typeof seeded) =>
      [...list].sort((a, b) => (a.position < b.position ? -1 : 1)).map((s) => s.id);

    it('costs one query per team partition with a Limit, whatever the open work; the cursor visits every task once, escalated first, then by deadline', async () => {
      useStackSettingsInProcess();
      proxy = await startCapacityMeterProxy(stack().dynamodb, meter);
      Object.assign(process.env, { AWS_ENDPOINT_URL_DYNAMODB: proxy.url, REDRESS_LOG_LEVEL: 'silent' });
      const { staffMember } = await import('../../functions/domain/staff');
      const manager = staffMember(desk, TRUST.manager)!;
      const handler = staffMember(desk, TRUST.handlers[0]!)!;
      await seed(300);
      const small = await page(manager);
      expect(small.queries).toBe(Object.keys(TEAMS).length);
      expect(small.result.items).toHaveLength(50);
      // Three times the open work, 600 more of it on one handler: the same page costs the same.
      await seed(600, { email: TRUST.handlers[0]!, category: 'account' });
      const large = await page(manager);
      expect(large.queries).toBe(Object.keys(TEAMS).length);
      expect(large.units).toBeLessThanOrEqual(small.units);
      // A handler's first page: their own tasks, and what escalated away from them (one bounded query each).
      const own = await page(handler);
      expect(own.queries).toBe(2);
      expect(own.units).toBeLessThanOrEqual(small.units / Object.keys(TEAMS).length + 0.5);

      // Late only: a key range, one query per team.
      const late = await page(manager, { late: '1' });
      expect(late.queries).toBe(Object.keys(TEAMS).length);
      expect(late.result.items.length).toBeGreaterThan(0);
      expect(late.result.items.every((item) => item.deadlineState === 'late')).toBe(true);

      // Every page, cursor after cursor: each seeded task once, in queue order.
      const shown: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 40; pages++) {
        const next = await page(manager, cursor ? { cursor } : {});
        expect(next.queries).toBeLessThanOrEqual(Object.keys(TEAMS).length);
        shown.push(...next.result.items.map((item) => item.id));
        cursor = next.result.nextCursor;
        if (!cursor) break;
      }
      const mine = new Set(seeded.map((s) => s.id));
      expect(shown.filter((id) => mine.has(id))).toEqual(inOrder(seeded));
      expect(new Set(shown).size).toBe(shown.length);

      // A handler's own queue (byAssignee, by deadline), page after page: theirs, once each, in order.
      const handlerShown: string[] = [];
      cursor = undefined;
      for (let pages = 0; pages < 40; pages++) {
        const next = await page(handler, cursor ? { cursor } : {});
        // A holder's queue is keyed by deadline alone: a page that starts on a deadline it shares
        // with the cursor's task reads it again and drops it, and may take one more read to fill.
        // The first page also reads what escalated away from the handler.
        expect(next.queries).toBeLessThanOrEqual(pages === 0 ? 3 : 2);
        handlerShown.push(...next.result.items.map((item) => item.id));
        cursor = next.result.nextCursor;
        if (!cursor) break;
      }
      expect(handlerShown.filter((id) => mine.has(id))).toEqual(
        inOrder(seeded.filter((s) => s.holder === TRUST.handlers[0])),
      );

      // One holder who may hold escalated work, picked out of the team's queue: escalated first.
      const bySupervisor = await page(manager, { assignee: TRUST.supervisor });
      expect(bySupervisor.queries).toBeLessThanOrEqual(3);
      expect(bySupervisor.result.items.map((item) => item.id)).toEqual(
        inOrder(seeded.filter((s) => s.holder === TRUST.supervisor)).slice(0, 50),
      );
    });

    it('shows every task of a holder once, in order, when many share one deadline (as a weekend’s filings do under a working calendar) and a page ends inside them', async () => {
      const { staffMember } = await import('../../functions/domain/staff');
      const privacy = desk.teams.privacy!;
      const holder = staffMember(desk, privacy.handlers[0]!)!;
      const category = desk.categories.find((c) => c.team === 'privacy')!.id;
      const monday = new Date(Date.now() + 3 * 86_400_000).toISOString();
      // 10 before it, 130 on it (ids in no order of their writing), 10 after it.
      const at = (i: number) =>
        i < 10
          ? new Date(Date.now() + 86_400_000 + i).toISOString()
          : i < 140
            ? monday
            : new Date(Date.now() + 4 * 86_400_000 + i).toISOString();
      const before = seeded.filter((s) => s.holder === holder.email).length;
      await seed(150, { email: holder.email, category }, at);
      // With what the test before seeded on them, spread over the days around.
      const theirs = seeded.filter((s) => s.holder === holder.email);
      expect(theirs).toHaveLength(before + 150);

      for (const limit of ['50', '7']) {
        const shown: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 100 && (pages === 0 || cursor); pages++) {
          const next = await page(holder, { limit, ...(cursor ? { cursor } : {}) });
          shown.push(...next.result.items.map((item) => item.id));
          cursor = next.result.nextCursor;
        }
        expect(cursor).toBeUndefined();
        expect(shown).toEqual(inOrder(theirs));
      }
    });

    it('shows a case written before the work queues once the one-off backfill has placed it', async () => {
      const { staffQueue } = await import('../../functions/app/staff-queue');
      const { backfillWorkQueues } = await import('../../functions/app/backfill-work-queues');
      const { queueFiltersOf, staffMember } = await import('../../functions/domain/staff');
      const manager = staffMember(DEFAULT_DESK_CONFIG, TRUST.manager)!;
      const firstPage = async () => (await staffQueue(manager, queueFiltersOf({ limit: '1' }))).items[0]!;
      const first = await firstPage();
      // As an older release left it: no team partition, no position.
      await table().send(
        new UpdateCommand({
          TableName: TABLE,
          Key: { pk: `COMPLAINT#${first.id}`, sk: 'META' },
          UpdateExpression: 'REMOVE teamKey, queuePosition',
        }),
      );
      expect((await firstPage()).id).not.toBe(first.id);
      const result = await backfillWorkQueues();
      expect(result).toMatchObject({ placed: 1, changed: 0 });
      expect((await firstPage()).id).toBe(first.id);
      expect(await backfillWorkQueues()).toMatchObject({ placed: 0, changed: 0 });
    });
  });
});
