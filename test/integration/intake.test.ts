import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../functions/domain/complaint';
import { complainantKeyOf } from '../../functions/domain/intake-rules';
import { banKey } from '../../functions/store/bans';
import { filingRateKey } from '../../functions/store/rate-windows';
import { ensureComplaintsTable } from '../../infra/local/bootstrap';
import { fixtures } from '../support/fixtures';
import {
  complaintBody,
  emailsTo,
  fileComplaint,
  stack,
  track,
  waitForEmail,
  waitForStatus,
} from '../support/stack-client';
import { nextEmail } from '../support/staff-client';
import { complaintRecord, complaintsBy, eventsOf, rawDynamoDb, setOnComplaint, TABLE, table } from '../support/table';

const byName = (pattern: RegExp) => fixtures.findIndex((f) => pattern.test(f.name));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}

describe('intake: every field checked, unknown fields refused', () => {
  it('names each field over its limit', async () => {
    const long = (n: number) => '长'.repeat(n + 1);
    const body = complaintBody(0, {
      subject: {
        type: 'post',
        ref: `https://bbs.example.org/${'x'.repeat(LIMITS.ref)}`,
        name: long(LIMITS.subjectName),
      },
      description: long(LIMITS.description.max),
      desiredOutcome: long(LIMITS.desiredOutcome),
      contactHistory: long(LIMITS.contactHistory),
      occurredAt: Array.from({ length: LIMITS.occurredAt + 1 }, () => '2026-11-20T21:05:00+08:00'),
      complainant: { name: long(LIMITS.name), phone: '1'.repeat(LIMITS.phone + 1) },
    });
    const { response, json } = await fileComplaint(body);
    expectProblem(response, 400);
    expect(json.type).toBe('urn:redress:problem:validation-failed');
    expect(json.errors.map((e: any) => e.path).sort()).toEqual(
      [
        'complainant.name',
        'complainant.phone',
        'contactHistory',
        'description',
        'desiredOutcome',
        'occurredAt',
        'subject.name',
        'subject.ref',
      ].sort(),
    );
    expect(await complaintsBy(body.complainant.email)).toEqual([]);
  });

  it('refuses unknown fields at every level, and says which', async () => {
    const body = complaintBody(0, { priority: 1, complainant: { age: 30 } });
    body.subject.owner = 'x';
    const { response, json } = await fileComplaint(body);
    expectProblem(response, 400);
    expect(json.errors.map((e: any) => e.path).sort()).toEqual(['complainant.age', 'priority', 'subject.owner']);
  });

  it('checks emails and links: anything that looks like a link must be http(s)', async () => {
    for (const ref of [
      'javascript:alert(1)',
      'ftp://files.example.org/a',
      'www.example.org/thread-1',
      'http://',
      'data:text/html,hi',
    ]) {
      const { response, json } = await fileComplaint(complaintBody(2, { subject: { type: 'user', ref } }));
      expectProblem(response, 400);
      expect(json.errors, ref).toEqual([
        { path: 'subject.ref', message: '链接必须是以 http:// 或 https:// 开头的有效网址' },
      ]);
    }
    for (const email of ['a@b', 'no-at-sign.example.com', 'two@@example.com', `${'x'.repeat(250)}@example.com`]) {
      const { response, json } = await fileComplaint(complaintBody(2, { complainant: { email } }));
      expectProblem(response, 400);
      expect(
        json.errors.map((e: any) => e.path),
        email,
      ).toEqual(['complainant.email']);
    }
    const ok = await fileComplaint(complaintBody(2, { subject: { type: 'user', ref: 'uid-55102' } }));
    expect(ok.response.status).toBe(201);
  });

  it('answers in the complainant’s language: title and every message', async () => {
    const body = complaintBody(10, { complainant: { email: 'not-an-email' }, description: 'short' });
    const { response, json } = await fileComplaint(body);
    expectProblem(response, 400);
    expect(response.headers.get('content-language')).toBe('en');
    expect(json.title).toBe('The request has invalid fields');
    expect(Object.fromEntries(json.errors.map((e: any) => [e.path, e.message]))).toEqual({
      'complainant.email': 'is not a valid email address',
      description: 'must be at least 10 characters',
    });
  });

  it('refuses a malformed Idempotency-Key as a bad field', async () => {
    const { response, json } = await fileComplaint(complaintBody(0), { 'idempotency-key': 'has spaces in it' });
    expectProblem(response, 400);
    expect(json.errors[0].path).toBe('headers.Idempotency-Key');
  });
});

describe('Idempotency-Key', () => {
  it('answers a retried request with the first response and creates nothing new', async () => {
    const body = complaintBody(5);
    const key = `retry-${Date.now()}`;
    const first = await fileComplaint(body, { 'idempotency-key': key });
    expect(first.response.status).toBe(201);
    const [again, concurrent1, concurrent2] = await Promise.all(
      [1, 2, 3].map(() => fileComplaint(body, { 'idempotency-key': key })),
    );
    for (const retry of [again!, concurrent1!, concurrent2!]) {
      expect(retry.response.status).toBe(201);
      expect(retry.json).toEqual(first.json);
      expect(retry.response.headers.get('idempotent-replayed')).toBe('true');
    }
    await waitForEmail(body.complainant.email, /收到您的投诉/);
    await pause(1500);
    expect((await emailsTo(body.complainant.email)).filter((e) => /收到您的投诉/.test(e.subject))).toHaveLength(1);
    expect(await complaintsBy(body.complainant.email)).toHaveLength(1);
    const started = (await eventsOf(first.json.id)).filter((e) => e.action === 'workflow.started');
    expect(started).toHaveLength(1);
  });

  it('refuses the same key with a different body (422) and stores nothing for it', async () => {
    const body = complaintBody(6);
    const key = `reuse-${Date.now()}`;
    expect((await fileComplaint(body, { 'idempotency-key': key })).response.status).toBe(201);
    const other = complaintBody(7);
    const { response, json } = await fileComplaint(other, { 'idempotency-key': key });
    expectProblem(response, 422);
    expect(json.type).toBe('urn:redress:problem:idempotency-key-reused');
    expect(await complaintsBy(other.complainant.email)).toEqual([]);
  });

  it('treats the same body with its keys in another order as the same request', async () => {
    const body = complaintBody(6);
    const key = `order-${Date.now()}`;
    const first = await fileComplaint(body, { 'idempotency-key': key });
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const again = await fileComplaint(reordered, { 'idempotency-key': key });
    expect(again.response.status).toBe(201);
    expect(again.json.id).toBe(first.json.id);
  });
});

describe('the desk’s intake rules', () => {
  it('refuses an offline dispute at once with the reason and where else to go, storing nothing', async () => {
    const body = complaintBody(byName(/neighbourhood dinner/));
    const { response, json } = await fileComplaint(body);
    expectProblem(response, 422);
    expect(json).toMatchObject({ type: 'urn:redress:problem:out-of-scope', status: 422, rule: 'offline-dispute' });
    expect(json.detail).toContain('线下');
    expect(json.whereElse).toContain('人民调解委员会');
    await pause(300);
    expect(await complaintsBy(body.complainant.email)).toEqual([]);
    expect(await emailsTo(body.complainant.email)).toEqual([]);
  });

  it('refuses normal moderation with stated grounds, in English for an English complainant', async () => {
    const body = complaintBody(byName(/moderator deleted/), {
      complainant: { language: 'en' },
      description:
        'The moderator closed my thread under the forum rules, saying it was a duplicate thread. I think that is too strict.',
    });
    const { response, json } = await fileComplaint(body);
    expectProblem(response, 422);
    expect(json.rule).toBe('moderation-with-grounds');
    expect(json.title).toBe('This is not something this desk handles');
    expect(json.whereElse).toMatch(/suggest a change/);
  });

  it('holds a complaint that exposes private data for review: flagged on the record, staff-only event', async () => {
    const { response, json } = await fileComplaint(complaintBody(byName(/exposes a third party/)));
    expect(response.status).toBe(201);
    const record = await complaintRecord(json.id);
    expect(record).toMatchObject({ flagged: true });
    expect(record!.flagReasons.sort()).toEqual(['home-address', 'personal-attack', 'phone-number']);
    expect((await eventsOf(json.id)).map((e) => e.action)).toContain('complaint.flagged');
    const tracked = await track(json.trackingUrl);
    expect(tracked.json.history.map((h: any) => h.action)).not.toContain('complaint.flagged');
  });

  it('sets priority: privacy with prior contact first, then privacy, then prior contact, then the rest', async () => {
    const privacy = byName(/home address/);
    const cases = [
      { body: complaintBody(privacy, { contactHistory: '已向客服举报两次，未处理。' }), priority: 1 },
      { body: complaintBody(privacy), priority: 2 },
      { body: complaintBody(0), priority: 3 },
      { body: complaintBody(2), priority: 4 },
    ];
    for (const { body, priority } of cases) {
      const { json } = await fileComplaint(body);
      expect(json.priority).toBe(priority);
      expect((await complaintRecord(json.id))!.priority).toBe(priority);
    }
  });

  it('links a repeat by the same complainant on the same open case, and tells them which case it joined', async () => {
    const first = complaintBody(0);
    const filed = await fileComplaint(first);
    expect(filed.response.status).toBe(201);
    const repeat: Record<string, any> = {
      ...structuredClone(fixtures[byName(/two days later/)]!.body),
      complainant: { ...first.complainant, email: first.complainant.email.toUpperCase() },
    };
    repeat.subject.ref = 'https://BBS.example.org/thread-88231-1-1.html#pid3';
    const { response, json } = await fileComplaint(repeat);
    // Answered like a filing, with nothing of the case: an address and a subject open nothing.
    expect(response.status).toBe(201);
    expect(json).toEqual({ status: 'received', message: expect.any(String) });
    expect(JSON.stringify(json)).not.toContain(filed.json.number);
    const email = await waitForEmail(first.complainant.email, /并入/);
    expect(email.body.text).toContain(filed.json.number);
    expect(email.body.text).toContain(filed.json.trackingUrl);
    expect(await complaintsBy(first.complainant.email)).toHaveLength(1);
    const linked = (await eventsOf(filed.json.id)).find((e) => e.action === 'complaint.linked-duplicate');
    expect(linked!.details.description).toContain('再次投诉');
    expect(linked!.details.verified).toBe(false);
    expect((await complaintRecord(filed.json.id))!.duplicateCount).toBe(1);
    expect((await track(filed.json.trackingUrl)).json.history.map((h: any) => h.action)).toContain(
      'complaint.linked-duplicate',
    );
  });

  it('links two identical submissions minutes apart without an Idempotency-Key', async () => {
    const body = complaintBody(6);
    const [a, b] = await Promise.all([fileComplaint(body), fileComplaint(body)]);
    expect([a!.response.status, b!.response.status]).toEqual([201, 201]);
    const created = a!.json.id ? a! : b!;
    const linked = a!.json.id ? b! : a!;
    expect(linked.json.id).toBeUndefined();
    expect(await complaintsBy(body.complainant.email)).toHaveLength(1);
    expect((await eventsOf(created.json.id)).filter((e) => e.action === 'complaint.linked-duplicate')).toHaveLength(1);
  });

  it('files a new case when the earlier one on the same subject is closed', async () => {
    const body = complaintBody(7);
    const first = await fileComplaint(body);
    await waitForStatus(first.json.trackingUrl, (c) => c.status === 'acceptance-review');
    await setOnComplaint(first.json.id, { status: 'closed', outcome: 'resolved', closedAt: new Date().toISOString() });
    const second = await fileComplaint(body);
    expect(second.response.status).toBe(201);
    expect(second.json.id).not.toBe(first.json.id);
  });

  // The final ruling is set by the review step; here the test writes it on the record.
  it('bans a complainant who complains again about a ruled matter, once they confirm it from their mailbox: 3, 7, 30 days, then for good, each ban recorded', async () => {
    const body = complaintBody(2);
    const ruled = await fileComplaint(body);
    expect(ruled.response.status).toBe(201);
    await setOnComplaint(ruled.json.id, {
      status: 'closed',
      outcome: 'resolved',
      finalRulingAt: new Date().toISOString(),
    });
    const banItemKey = banKey(complainantKeyOf(body.complainant.email));
    const expected = [3, 7, 30];
    for (let rung = 0; rung < 4; rung++) {
      const before = Date.now();
      // Held, not banned, until the address's owner confirms it was them.
      const seen = new Set((await emailsTo(body.complainant.email)).map((e) => e.messageId));
      const held = await fileComplaint(body);
      expect(held.response.status).toBe(202);
      expect(held.json.status).toBe('held');
      const confirmation = await nextEmail(body.complainant.email, /请确认/, seen);
      const link = /https?:\/\/\S+\/held-filings\/\S+/.exec(confirmation.body.text)![0];
      expect((await fetch(link)).status).toBe(200);
      expect((await fetch(link, { method: 'POST' })).status).toBe(200);
      const { response, json } = await fileComplaint(body);
      expectProblem(response, 403);
      expect(json.type).toBe('urn:redress:problem:complainant-banned');
      expect(json.detail).toContain('恶意投诉');
      if (rung < 3) {
        expect(json.permanent).toBe(false);
        const days = (new Date(json.bannedUntil).getTime() - before) / 86_400_000;
        expect(days).toBeGreaterThan(expected[rung]! - 0.01);
        expect(days).toBeLessThan(expected[rung]! + 0.01);
        // While banned, anything they file is refused with the same end.
        const other = await fileComplaint(complaintBody(6, { complainant: { email: body.complainant.email } }));
        expectProblem(other.response, 403);
        expect(other.json.bannedUntil).toBe(json.bannedUntil);
        // Let the ban run out (the test moves its end into the past), and the hour's filings with it.
        await table().send(
          new PutCommand({
            TableName: TABLE,
            Item: {
              ...(await table().send(new GetCommand({ TableName: TABLE, Key: banItemKey }))).Item,
              bannedUntil: new Date(Date.now() - 1000).toISOString(),
            },
          }),
        );
        await table().send(
          new DeleteCommand({
            TableName: TABLE,
            Key: filingRateKey(complainantKeyOf(body.complainant.email), new Date().toISOString().slice(0, 13)),
          }),
        );
      } else {
        expect(json).toMatchObject({ permanent: true, bannedUntil: null });
      }
    }
    const ban = (await table().send(new GetCommand({ TableName: TABLE, Key: banItemKey, ConsistentRead: true }))).Item!;
    expect(ban.banCount).toBe(4);
    expect(ban.bans.map((b: any) => b.level)).toEqual([1, 2, 3, 4]);
    expect(ban.bans.every((b: any) => /final ruling/.test(b.reason) && b.complaintId === ruled.json.id)).toBe(true);
    const banned = (await eventsOf(ruled.json.id)).filter((e) => e.action === 'complainant.banned');
    expect(banned.map((e) => e.details.level)).toEqual([1, 2, 3, 4]);
    expect(await complaintsBy(body.complainant.email)).toHaveLength(1);
  });

  it('bans nobody on someone else’s word: a repeat of a ruled matter filed with another person’s address is held, and unconfirmed changes nothing', async () => {
    const victim = complaintBody(2);
    const ruled = await fileComplaint(victim);
    await setOnComplaint(ruled.json.id, {
      status: 'closed',
      outcome: 'resolved',
      finalRulingAt: new Date().toISOString(),
    });
    for (let i = 0; i < 3; i++)
      expect((await fileComplaint({ ...complaintBody(2), complainant: victim.complainant })).response.status).toBe(202);
    expect(
      (
        await table().send(
          new GetCommand({
            TableName: TABLE,
            Key: banKey(complainantKeyOf(victim.complainant.email)),
            ConsistentRead: true,
          }),
        )
      ).Item,
    ).toBeUndefined();
    // The address's owner files on another matter as usual.
    expect(
      (await fileComplaint(complaintBody(6, { complainant: { email: victim.complainant.email } }))).response.status,
    ).toBe(201);
  });
});

describe('the table', () => {
  it('has the byComplainant and bySubject indexes, and the record carries their keys', async () => {
    const { Table } = await rawDynamoDb().send(new DescribeTableCommand({ TableName: TABLE }));
    expect(Table!.GlobalSecondaryIndexes!.map((i) => i.IndexName).sort()).toEqual(
      expect.arrayContaining(['byComplainant', 'bySubject']),
    );
    const body = complaintBody(1);
    const { json } = await fileComplaint(body);
    const record = await complaintRecord(json.id);
    expect(record!.complainantKey).toBe(complainantKeyOf(body.complainant.email));
    expect(record!.subjectKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('adds missing indexes to a table kept from an older version, keeping its items', async () => {
    const client = rawDynamoDb();
    const name = `Older${Date.now()}`;
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ['pk', 'sk', 'workflowPending', 'receivedAt'].map((n) => ({
          AttributeName: n,
          AttributeType: 'S' as const,
        })),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byWorkflowPending',
            KeySchema: [
              { AttributeName: 'workflowPending', KeyType: 'HASH' },
              { AttributeName: 'receivedAt', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    await table().send(
      new PutCommand({ TableName: name, Item: { pk: 'COMPLAINT#X', sk: 'META', number: 'TS-20261121-AAAAAA' } }),
    );
    await ensureComplaintsTable(client, name);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    expect(Table!.GlobalSecondaryIndexes!.map((i) => i.IndexName).sort()).toEqual([
      'byAssignee',
      'byComplainant',
      'byEscalatedFrom',
      'byMailDue',
      'byName',
      'byPurgeDue',
      'bySubject',
      'bySweepDue',
      'byTeam',
      'byViewDue',
      'byViewPriority',
      'byViewReceived',
      'byViewUpdated',
      'byWorkflowPending',
    ]);
    expect(
      (await table().send(new GetCommand({ TableName: name, Key: { pk: 'COMPLAINT#X', sk: 'META' } }))).Item!.number,
    ).toBe('TS-20261121-AAAAAA');
    await client.send(new DeleteTableCommand({ TableName: name }));
  });
});

void stack;
