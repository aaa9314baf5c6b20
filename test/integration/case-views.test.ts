import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { CapacityMeter, startCapacityMeterProxy } from '../../infra/local/capacity-meter';
import { seedCases, type SeededCase } from '../support/case-seed';
import { ownStack } from '../support/own-stack';
import { CaseDriver, expectStatus, SUBJECTS, stack, track, useStackSettingsInProcess } from '../support/stack-client';
import { signIn, staffJson, staffPost, type Staff } from '../support/staff-client';
import { complaintRecord, TABLE, table } from '../support/table';

/**
 * The case views (GET /staff/cases, .csv, POST /staff/views, POST /staff/cases/bulk, GET
 * /staff/board) on a stack of this file's own, with 200 cases seeded in the product's item shapes
 * (test/support/case-seed.ts) and real cases filed and moved through the workflow.
 */
ownStack();

const TEAMS = DEFAULT_DESK_CONFIG.teams;
const TRUST = TEAMS.trust!;
const NOW = new Date();
let seeded: SeededCase[] = [];
let manager: Staff;

const open = (c: SeededCase) => c.kind === 'staff' || c.kind.startsWith('waiting');

async function everyPage(staff: Staff, query: string, limit = 30): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const { json } = expectStatus(
      await staffJson(`/staff/cases?limit=${limit}&${query}${cursor ? `&cursor=${cursor}` : ''}`, staff.cookie),
      200,
      `cases ${query}`,
    );
    items.push(...json.items);
    cursor = json.nextCursor;
    if (!cursor) return items;
  }
  throw new Error(`more than 100 pages of ${query}`);
}

const mine = (items: any[]) => {
  const ids = new Set(seeded.map((c) => c.id));
  return items.filter((item) => ids.has(item.id));
};
const idsOf = (list: { id: string }[]) => list.map((c) => c.id);
const sortedIds = (list: SeededCase[], key: (c: SeededCase) => string, asc: boolean) =>
  idsOf([...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (asc ? 1 : -1)));

describe('case views over 200 cases', () => {
  beforeAll(async () => {
    useStackSettingsInProcess();
    seeded = await seedCases(200, NOW);
    manager = await signIn(TRUST.manager);
  });

  it('list every case in scope in any status, once each, in each order, page after page', async () => {
    const updated = mine(await everyPage(manager, 'sort=updated'));
    expect(idsOf(updated)).toEqual(sortedIds(seeded, (c) => c.updatedAt, false));
    const received = mine(await everyPage(manager, 'sort=received&dir=asc', 40));
    expect(idsOf(received)).toEqual(sortedIds(seeded, (c) => c.receivedAt, true));
    // Due: the cases that have a deadline (open ones), soonest first.
    const due = mine(await everyPage(manager, 'sort=due', 25));
    expect(idsOf(due)).toEqual(sortedIds(seeded.filter(open), (c) => c.deadlineAt!, true));
    const priority = mine(await everyPage(manager, 'sort=priority'));
    expect(idsOf(priority)).toEqual(sortedIds(seeded, (c) => `${c.priority}#${c.receivedAt}`, true));
    // Each row says what the table shows.
    const row = updated.find((item) => item.id === seeded[1]!.id);
    expect(row).toMatchObject({
      number: seeded[1]!.number,
      summary: expect.stringContaining('Seeded case 1'),
      complainant: { name: seeded[1]!.name, email: seeded[1]!.email },
      holder: seeded[1]!.holder,
      due: { state: expect.stringMatching(/late|due-soon|on-time/) },
    });
  });

  it('filter by status, category, team, holder, channel, priority, late, breached and due within hours', async () => {
    const expectSet = async (query: string, keep: (c: SeededCase) => boolean) => {
      const found = mine(await everyPage(manager, query, 50));
      expect(new Set(idsOf(found)), query).toEqual(new Set(idsOf(seeded.filter(keep))));
      return found;
    };
    await expectSet('status=closed', (c) => !open(c));
    await expectSet('status=withdrawn', (c) => c.kind === 'withdrawn');
    await expectSet('status=rejected', (c) => c.kind === 'rejected');
    await expectSet('status=open', open);
    await expectSet('status=waiting', (c) => c.kind.startsWith('waiting'));
    await expectSet('status=waiting-complainant', (c) => c.kind === 'waiting-complainant');
    await expectSet('category=privacy', (c) => c.category === 'privacy');
    await expectSet('team=operations&sort=due', (c) => c.team === 'operations' && open(c));
    await expectSet(`holder=${encodeURIComponent(TRUST.supervisor)}`, (c) => c.holder === TRUST.supervisor);
    await expectSet('channel=hotline', (c) => c.channel === 'hotline');
    await expectSet('priority=1&sort=received', (c) => c.priority === 1);
    await expectSet('breached=1', (c) => c.breached);
    const late = await expectSet('late=1&sort=due', (c) => open(c) && new Date(c.deadlineAt!).getTime() <= Date.now());
    expect(late.every((item) => item.due.state === 'late')).toBe(true);
    // The same set whatever the order: on the due index it is a key range, elsewhere a filter.
    expect(new Set(idsOf(mine(await everyPage(manager, 'late=1&sort=updated', 50))))).toEqual(new Set(idsOf(late)));
    const soon = Date.now() + 4 * 3600_000;
    await expectSet(
      'due=4',
      (c) => open(c) && new Date(c.deadlineAt!).getTime() > Date.now() && new Date(c.deadlineAt!).getTime() <= soon,
    );
  });

  it('keep a handler to their team, and answer a bad filter with a problem naming each parameter', async () => {
    const handler = await signIn(TRUST.handlers[0]!);
    const theirs = mine(await everyPage(handler, 'sort=updated', 100));
    expect(new Set(idsOf(theirs))).toEqual(new Set(idsOf(seeded.filter((c) => c.team === 'trust'))));
    const bad = await staffJson('/staff/cases?status=lost&sort=colour&due=0', handler.cookie);
    expect(bad.response.status).toBe(400);
    expect(bad.response.headers.get('content-type')).toMatch(/problem\+json/);
    expect(bad.json.errors.map((e: any) => e.path).sort()).toEqual(['due', 'sort', 'status']);
  });

  it('search by part of a number, a whole number, an email and a name; say when nothing matches', async () => {
    const target = seeded[17]!;
    const part = target.number.slice(-5, -1);
    const byPart = expectStatus(
      await staffJson(`/staff/cases?q=${part.toLowerCase()}`, manager.cookie),
      200,
      'part',
    ).json;
    expect(byPart.search).toBe('number-part');
    expect(byPart.items.map((i: any) => i.number)).toContain(target.number);
    expect(byPart.items.every((i: any) => i.number.includes(part))).toBe(true);
    const whole = (await staffJson(`/staff/cases?q=${target.number}`, manager.cookie)).json;
    expect(whole.items.map((i: any) => i.id)).toEqual([target.id]);
    const byEmail = (await staffJson(`/staff/cases?q=${encodeURIComponent(seeded[3]!.email)}`, manager.cookie)).json;
    expect(byEmail).toMatchObject({ search: 'email' });
    const byName = (
      await staffJson(`/staff/cases?q=${encodeURIComponent(seeded[4]!.name.toUpperCase())}`, manager.cookie)
    ).json;
    expect(byName.items.map((i: any) => i.id)).toEqual([seeded[4]!.id]);
    const none = await fetch(`${stack().api}/staff/cases?q=nobody-at-all&lang=en`, {
      headers: { cookie: manager.cookie },
    });
    expect(await none.text()).toContain('No case matches.');
  });

  it('give the same view as CSV, formulas made inert', async () => {
    const response = await fetch(`${stack().api}/staff/cases.csv?status=closed&sort=updated&limit=100&lang=en`, {
      headers: { cookie: manager.cookie },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await response.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^"Number","Summary","Complainant"/);
    expect(lines.length - 1).toBe(seeded.filter((c) => !open(c)).length);
  });

  it('cost one bounded query per view partition, whatever the desk holds', async () => {
    const meter = new CapacityMeter();
    const proxy = await startCapacityMeterProxy(stack().dynamodb, meter);
    try {
      Object.assign(process.env, { AWS_ENDPOINT_URL_DYNAMODB: proxy.url, REDRESS_LOG_LEVEL: 'silent' });
      const { listCases } = await import('../../functions/app/case-views');
      const { caseViewFiltersOf } = await import('../../functions/domain/case-views');
      const { staffMember } = await import('../../functions/domain/staff');
      const member = staffMember(DEFAULT_DESK_CONFIG, TRUST.manager)!;
      const page = async (query: Record<string, string>) => {
        const parsed = caseViewFiltersOf(query, DEFAULT_DESK_CONFIG);
        if (!parsed.ok) throw new Error('bad query');
        const before = meter.reading();
        const result = await listCases(member, parsed.filters);
        const after = meter.reading();
        return { result, queries: after.readRequests - before.readRequests, units: after.readUnits - before.readUnits };
      };
      const partitions = Object.keys(TEAMS).length * 2;
      // One Query per partition, then the page's rows by key (one BatchGetItem).
      const small = await page({ limit: '20' });
      expect(small.queries).toBe(partitions + 1);
      expect(small.result.items).toHaveLength(20);
      seeded.push(...(await seedCases(200, NOW, 'more')));
      const large = await page({ limit: '20' });
      expect(large.queries).toBe(partitions + 1);
      // Twice the cases, the same cost: a page per partition of small index entries, and 20 records.
      expect(large.units).toBeLessThanOrEqual(small.units + 1);
      const openOnly = await page({ limit: '20', status: 'open', sort: 'due' });
      expect(openOnly.queries).toBe(Object.keys(TEAMS).length + 1);
    } finally {
      await proxy.close();
      Object.assign(process.env, { AWS_ENDPOINT_URL_DYNAMODB: stack().dynamodb });
    }
  });

  it('save views for oneself and for a team one supervises, listed with their counts beside the defaults', async () => {
    const supervisor = await signIn(TRUST.supervisor);
    const post = (fields: Record<string, string>) =>
      staffPost('/staff/views', supervisor, { nonce: supervisor.nonce, ...fields }, 'application/json');
    const personal = await post({ name: 'Closed', scope: 'personal', query: 'status=closed' });
    expect(personal.response.status).toBe(201);
    expect((await post({ name: 'Trust late', scope: 'team:trust', query: 'late=1&sort=due' })).response.status).toBe(
      201,
    );
    const refused = await post({ name: 'Other team', scope: 'team:privacy', query: 'status=lost' });
    expect(refused.response.status).toBe(400);
    expect(
      JSON.parse(refused.text)
        .errors.map((e: any) => e.path)
        .sort(),
    ).toEqual(['query', 'scope']);
    const { views } = expectStatus(await staffJson('/staff/views', supervisor.cookie), 200, 'views').json;
    const byName = Object.fromEntries(views.map((v: any) => [v.name, v]));
    expect(byName.Closed).toMatchObject({
      scope: 'personal',
      count: seeded.filter((c) => c.team === 'trust' && !open(c)).length,
    });
    expect(byName['Trust late']).toMatchObject({ scope: 'team', team: 'trust' });
    expect(views.filter((v: any) => v.scope === 'default').map((v: any) => v.id)).toEqual([
      'mine',
      'breached',
      'due-4h',
      'waiting-complainant',
      'escalated-from-me',
      'recently-closed',
    ]);
    const breached = views.find((v: any) => v.id === 'breached');
    expect(breached.count).toBe(seeded.filter((c) => c.team === 'trust' && c.breached).length);
    // The handler of the team sees the team's view too, not the supervisor's own.
    const handler = await signIn(TRUST.handlers[0]!);
    const theirs = (await staffJson('/staff/views', handler.cookie)).json.views.map((v: any) => v.name);
    expect(theirs).toContain('Trust late');
    expect(theirs).not.toContain('Closed');
  });

  it('board: per team breached, late, due within 4 h and waiting, each with its view', async () => {
    const board = expectStatus(await staffJson('/staff/board', manager.cookie), 200, 'board').json;
    const inSeed = (team: string, keep: (c: SeededCase) => boolean) =>
      seeded.filter((c) => c.team === team && keep(c)).length;
    for (const t of board.teams) {
      expect(t.figures.breached.count).toBe(inSeed(t.team, (c) => c.breached));
      expect(t.figures.waiting.count).toBe(
        inSeed(t.team, (c) => c.kind.startsWith('waiting')) + (t.team === 'trust' ? 0 : 0),
      );
      expect(t.figures.late.query).toBe(`team=${t.team}&late=1&sort=due&dir=asc`);
      expect(t.oldestBreached.every((row: any) => row.breached)).toBe(true);
      expect(t.oldestBreached).toHaveLength(
        Math.min(
          5,
          inSeed(t.team, (c) => c.breached),
        ),
      );
    }
  });
});

describe('a real case in the views', () => {
  it('is in its team’s open partition from intake, findable by part of its number, and moves to closed when withdrawn', async () => {
    const c = await CaseDriver.file(1);
    await c.taskLink(SUBJECTS.acceptance, TRUST.handlers[0]);
    const id = (await track(c.trackingUrl)).json.id as string;
    const record = (await complaintRecord(id))!;
    expect(record).toMatchObject({
      caseView: 'TEAM#trust#0#open',
      closedView: 'TEAM#trust#0#closed',
      summary: expect.any(String),
      priorityOrder: expect.stringMatching(/^\d#/),
    });
    const tail = c.number.slice(-6);
    const { Items } = await table().send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `NUMBER#~${tail.slice(1, 4)}` },
      }),
    );
    expect(Items?.map((i) => i.sk)).toContain(c.number);
    const found = (await staffJson(`/staff/cases?q=${tail.slice(2)}`, manager.cookie)).json;
    expect(found.items.map((i: any) => i.number)).toContain(c.number);

    const url = new URL(c.trackingUrl);
    const withdrawn = await fetch(`${url.origin}${url.pathname}/withdrawal${url.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(withdrawn.status).toBe(200);
    await c.status((x) => x.status === 'closed');
    expect((await complaintRecord(id))!.caseView).toBe('TEAM#trust#0#closed');
    const closed =
      mine([]).length +
      (await everyPage(manager, 'status=withdrawn&team=trust', 100)).filter((i) => i.id === id).length;
    expect(closed).toBe(1);
  });

  it('bulk: reassigns each picked case through the one-case use case, and says which row failed and why', async () => {
    const cases = [await CaseDriver.file(1), await CaseDriver.file(1)];
    for (const c of cases) await c.taskLink(SUBJECTS.acceptance, TRUST.handlers[0]);
    const ids = await Promise.all(cases.map(async (c) => (await track(c.trackingUrl)).json.id as string));
    // A seeded case waiting on its complainant: no staff task to reassign.
    const waiting = seeded.find((c) => c.team === 'trust' && c.kind === 'waiting-complainant')!;
    const supervisor = await signIn(TRUST.supervisor);
    const response = await fetch(`${stack().api}/staff/cases/bulk?lang=en`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: supervisor.cookie,
        accept: 'application/json',
      },
      body: new URLSearchParams([
        ['nonce', supervisor.nonce],
        ['action', 'reassign'],
        ['to', TRUST.supervisor],
        ['text', 'Bulk: covering the handler’s leave'],
        ...[...ids, waiting.id].map((id) => ['ids', id]),
      ]).toString(),
    });
    expect(response.status).toBe(200);
    const { outcomes } = (await response.json()) as { outcomes: any[] };
    expect(
      outcomes
        .filter((o) => o.ok)
        .map((o) => o.id)
        .sort(),
    ).toEqual([...ids].sort());
    expect(outcomes.find((o) => o.id === waiting.id)).toMatchObject({
      ok: false,
      number: waiting.number,
      type: 'urn:redress:problem:no-open-staff-task',
      message: expect.stringContaining('no open staff task'),
    });
    for (const id of ids) expect((await complaintRecord(id))!.assignee).toBe(TRUST.supervisor);
    // The page says it too, in Chinese.
    const page = await fetch(`${stack().api}/staff/cases/bulk?lang=zh-CN`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: supervisor.cookie },
      body: new URLSearchParams([
        ['nonce', supervisor.nonce],
        ['action', 'note'],
        ['text', '批量备注'],
        ...[ids[0]!, 'no-such-case'].map((id) => ['ids', id]),
      ]).toString(),
    });
    const text = await page.text();
    expect(text).toContain('完成 1 件，失败 1 件。');
  });
});

describe('a bulk canned reply', () => {
  it('sends each picked case’s complainant the reply filled for their case and language, and says which row failed', async () => {
    const zh = await CaseDriver.file(1);
    const en = await CaseDriver.file(0);
    for (const c of [zh, en]) await c.taskLink(SUBJECTS.acceptance, TRUST.handlers[0]);
    const ids = await Promise.all([zh, en].map(async (c) => (await track(c.trackingUrl)).json.id as string));
    const supervisor = await signIn(TRUST.supervisor);
    const response = await fetch(`${stack().api}/staff/cases/bulk?lang=en`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: supervisor.cookie,
        accept: 'application/json',
      },
      body: new URLSearchParams([
        ['nonce', supervisor.nonce],
        ['action', 'reply'],
        ['reply', 'seed-1'],
        ...[...ids, 'no-such-case'].map((id) => ['ids', id]),
      ]).toString(),
    });
    expect(response.status).toBe(200);
    const { outcomes } = (await response.json()) as { outcomes: { id: string; ok: boolean }[] };
    expect(outcomes.map((o) => [o.id, o.ok])).toEqual([...ids.map((id) => [id, true]), ['no-such-case', false]]);
    for (const c of [zh, en]) {
      const mail = await c.email(/message|消息/i, c.complainantEmail);
      expect(mail.body.text).toContain(c.number);
      expect(mail.body.text).not.toContain('{');
    }
  });
});

afterAll(() => {
  // Nothing to stop: the stack is this file's own and stops with it.
});
