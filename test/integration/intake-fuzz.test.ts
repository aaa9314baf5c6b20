import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { complainantKeyOf, idempotencyKeyHash } from '../../functions/domain/intake-rules';
import { idempotencyKey } from '../../functions/store/idempotency';
import { fixtures } from '../support/fixtures';
import { tokenOf } from '../support/evidence';
import { stack } from '../support/stack-client';
import { scanAll, TABLE, table } from '../support/table';

/**
 * Throws random and malformed requests at the intake routes. Seeded, so a failure reproduces:
 * FUZZ_SEED=<seed printed on failure> npx vitest run --project stack test/integration/intake-fuzz.test.ts
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2000);
const CONCURRENCY = 8;

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = ReturnType<typeof mulberry32>;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (random: Random, max: number) => Math.floor(random() * max);

const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u202e\u202d',
  '😀'.repeat(3000),
  '<script>alert(1)</script>',
  "'; DROP TABLE Complaints; --",
  '${jndi:ldap://x}',
  '../../etc/passwd',
  '\ud800',
  'a'.repeat(70_000),
  '1e309',
  '__proto__',
  'constructor',
  '13812345678',
  '11010519491231002X',
  'javascript:alert(1)',
  'http://',
  'https://例子.测试/路径?q=1#x',
  '线下聚餐',
  '傻逼',
];

function randomValue(random: Random, depth = 0): unknown {
  switch (int(random, depth > 2 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return pick(random, [0, -1, 1.5, 1e308, -0, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER]);
    case 3:
      return pick(random, NASTY_STRINGS);
    case 4:
      return Array.from({ length: int(random, 40) }, () => String.fromCharCode(int(random, 0xffff))).join('');
    case 5:
      return String(int(random, 1e9));
    case 6:
      return Array.from({ length: int(random, 4) }, () => randomValue(random, depth + 1));
    case 7:
      return Object.fromEntries(
        Array.from({ length: int(random, 4) }, () => [
          pick(random, ['a', '__proto__', 'constructor', 'name', 'email', 'type', 'ref']),
          randomValue(random, depth + 1),
        ]),
      );
    default:
      return { ...structuredClone(fixtures[int(random, fixtures.length)]!.body) };
  }
}

const PATHS = [
  'channel',
  'category',
  'description',
  'desiredOutcome',
  'occurredAt',
  'contactHistory',
  'complainant',
  'complainant.name',
  'complainant.email',
  'complainant.phone',
  'complainant.language',
  'subject',
  'subject.type',
  'subject.ref',
  'subject.name',
  'extra',
  '__proto__',
];

/** A fixture, mutated in 0–3 places: deleted, replaced, or given a field it does not have. */
function mutatedComplaint(random: Random, emails: string[]): unknown {
  const body = structuredClone(fixtures[int(random, fixtures.length)]!.body) as Record<string, any>;
  // A few shared complainants, so duplicates, idempotency and the pointer races come up too.
  body.complainant.email = random() < 0.3 ? pick(random, emails) : `fz-${int(random, 1e9)}@example.com`;
  const mutations = int(random, 4);
  for (let i = 0; i < mutations; i++) {
    const path = pick(random, PATHS).split('.');
    let target: any = body;
    for (const segment of path.slice(0, -1)) target = target?.[segment];
    if (target === null || typeof target !== 'object') continue;
    const key = path.at(-1)!;
    const roll = random();
    if (roll < 0.3) delete target[key];
    else
      Object.defineProperty(target, key, {
        value: randomValue(random),
        enumerable: true,
        configurable: true,
        writable: true,
      });
  }
  return body;
}

interface Sent {
  route: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * What of the shared table is this test's: the complainants its bodies name and the
 * Idempotency-Keys it sent. Other files purge their own cases on the same table meanwhile (a
 * retention expiry leaves the filing's Idempotency-Key record until its own TTL, and a purge
 * under way has deleted some of a case's items), so only this test's items are checked.
 */
function ownedBy(requests: Sent[]): { complainants: Set<string>; idempotencyKeys: Set<string> } {
  const complainants = new Set<string>();
  const idempotencyKeys = new Set<string>();
  for (const request of requests) {
    const key = request.headers['idempotency-key'];
    if (key !== undefined) idempotencyKeys.add(idempotencyKey(idempotencyKeyHash(key)).pk);
    try {
      const complainant = JSON.parse(request.body ?? '')?.complainant;
      if (complainant && typeof complainant === 'object') complainants.add(complainantKeyOf(complainant));
    } catch {
      // Not JSON, or no complainant this test could have filed for.
    }
  }
  return { complainants, idempotencyKeys };
}

function complaintRequest(random: Random, emails: string[]): Sent {
  const headers: Record<string, string> = {
    'content-type':
      random() < 0.85
        ? 'application/json; charset=utf-8'
        : pick(random, [
            'application/problem+json',
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/jsonx',
            '',
          ]),
  };
  if (random() < 0.3)
    headers['idempotency-key'] = pick(random, [
      'fz-key-1',
      'fz-key-2',
      `fz-${int(random, 50)}`,
      'has space',
      'x'.repeat(300),
      '\u00e9t\u00e9',
      '',
    ]);
  if (random() < 0.3)
    headers['accept-language'] = pick(random, ['en', 'zh-CN', 'fr;q=0.1', '*', ';;;', 'en-GB,en;q=0.9']);
  let body: string;
  switch (int(random, 8)) {
    case 0:
      body = JSON.stringify(randomValue(random));
      break;
    case 1:
      body = JSON.stringify(mutatedComplaint(random, emails)).slice(0, int(random, 400));
      break;
    case 2:
      body = '['.repeat(20_000 + int(random, 20_000)) + ']'.repeat(int(random, 100));
      break;
    case 3:
      body = Buffer.from(Array.from({ length: int(random, 2000) }, () => int(random, 256))).toString('latin1');
      break;
    case 4:
      body = JSON.stringify({ ...(mutatedComplaint(random, emails) as object), pad: 'x'.repeat(70_000) });
      break;
    default:
      body = JSON.stringify(mutatedComplaint(random, emails));
  }
  for (const [name, value] of Object.entries(headers)) if (!value) delete headers[name];
  return { route: 'POST /complaints', method: 'POST', url: `${stack().api}/complaints`, headers, body };
}

function complaintIdFor(random: Random, known: { id: string; token: string }[]): { id: string; token?: string } {
  const known1 = pick(random, known);
  switch (int(random, 10)) {
    case 0:
      return { id: '01M80AJZCYZ8FCH3TCHF65ZPN7', token: known1.token };
    case 1: {
      const raw = pick(random, [
        ...NASTY_STRINGS.filter((s) => s && s.length < 100),
        '%E0%A4%A',
        '%',
        '..',
        known1.id.toLowerCase(),
        `${known1.id}X`,
      ]);
      let id: string;
      try {
        id = raw.startsWith('%') ? raw : encodeURIComponent(raw);
      } catch {
        id = 'x';
      }
      return { id, token: known1.token };
    }
    case 2:
      return { id: known1.id, token: known1.token.slice(0, int(random, 43)) };
    case 3:
      return { id: known1.id };
    default:
      return known1;
  }
}

function evidenceRequest(random: Random, known: { id: string; token: string }[]): Sent {
  const { id, token } = complaintIdFor(random, known);
  const how = int(random, 3);
  const headers: Record<string, string> = { 'content-type': random() < 0.9 ? 'application/json' : 'text/plain' };
  if (token && how === 0) headers.authorization = `Bearer ${token}`;
  if (token && how === 1) headers.authorization = pick(random, ['Basic abc', 'Bearer', `Bearer ${token} extra`, token]);
  const body =
    random() < 0.3
      ? {
          fileName: '截图.png',
          contentType: pick(random, ['image/png', 'video/mp4', 'text/plain', 'application/pdf']),
          size: 1 + int(random, 5_000_000),
        }
      : random() < 0.7
        ? {
            fileName: pick(random, ['a.png', '截图.png', '', '../x', 'a\u0000b', 'x'.repeat(300), 3]),
            contentType: pick(random, ['image/png', 'video/mp4', 'text/html', 'IMAGE/PNG', '', null]),
            size: pick(random, [1, 0, -5, 1.5, 1e12, '10', 200 * 1024 * 1024]),
          }
        : randomValue(random);
  const query = token && how === 2 ? `?token=${encodeURIComponent(token)}` : '';
  return {
    route: 'POST /complaints/{id}/evidence',
    method: 'POST',
    url: `${stack().api}/complaints/${id}/evidence${query}`,
    headers,
    body: random() < 0.1 ? '{not json' : JSON.stringify(body),
  };
}

function reminderRequest(random: Random, known: { id: string; token: string }[]): Sent {
  const { id, token } = complaintIdFor(random, known);
  const form = random() < 0.4;
  const headers: Record<string, string> = form
    ? { 'content-type': 'application/x-www-form-urlencoded' }
    : random() < 0.5
      ? { 'content-type': 'application/json' }
      : {};
  if (token && !form) headers.authorization = `Bearer ${token}`;
  const body = form
    ? new URLSearchParams({ token: token ?? '', ...(random() < 0.3 ? { token2: 'x' } : {}) }).toString() +
      (random() < 0.2 ? `&token=${token}` : '')
    : random() < 0.5
      ? undefined
      : JSON.stringify(randomValue(random));
  return {
    route: 'POST /complaints/{id}/reminders',
    method: 'POST',
    url: `${stack().api}/complaints/${id}/reminders${random() < 0.2 ? '?lang=en' : ''}`,
    headers,
    body,
  };
}

describe('intake fuzz', () => {
  it(`answers ${REQUESTS} random and malformed requests with 4xx problem+json or success, never 5xx, and leaves nothing half-written`, async () => {
    const random = mulberry32(SEED);
    const started = Date.now();
    const emails = Array.from({ length: 5 }, (_, i) => `fz-shared-${SEED}-${i}@example.com`);

    // The cases this test filed (a new filing's answer names it), for the checks at the end.
    const filed = new Set<string>();
    // A few real complaints whose ids and tokens the evidence and reminder requests can use.
    const known: { id: string; token: string }[] = [];
    for (const index of [0, 2, 6]) {
      const body = structuredClone(fixtures[index]!.body);
      body.complainant.email = `fz-known-${SEED}-${index}@example.com`;
      const answer = (await (
        await fetch(`${stack().api}/complaints`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json()) as any;
      known.push({ id: answer.id, token: tokenOf(answer.trackingUrl) });
      filed.add(`COMPLAINT#${answer.id}`);
    }

    const requests: Sent[] = Array.from({ length: REQUESTS }, () => {
      const roll = random();
      return roll < 0.6
        ? complaintRequest(random, emails)
        : roll < 0.8
          ? evidenceRequest(random, known)
          : reminderRequest(random, known);
    });

    const failures: string[] = [];
    const statuses = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const index = next++;
        const request = requests[index]!;
        let status = 0;
        let detail = '';
        try {
          const response = await fetch(request.url, {
            method: request.method,
            headers: request.headers,
            body: request.body,
            redirect: 'manual',
          });
          status = response.status;
          const type = response.headers.get('content-type') ?? '';
          const text = await response.text();
          if (status >= 500) detail = `5xx: ${text.slice(0, 300)}`;
          else if (status >= 400) {
            const problem = type.startsWith('application/problem+json') ? JSON.parse(text) : undefined;
            if (!problem || typeof problem.type !== 'string' || problem.status !== status)
              detail = `not problem+json: ${type} ${text.slice(0, 200)}`;
          } else if (status === 303) {
            if (
              !/x-www-form-urlencoded/.test(request.headers['content-type'] ?? '') ||
              !request.route.endsWith('reminders')
            )
              detail = 'unexpected redirect';
          } else if (![200, 201].includes(status)) detail = `unexpected status`;
          else {
            const answer = JSON.parse(text);
            if (request.route === 'POST /complaints' && status === 201 && typeof answer.id === 'string')
              filed.add(`COMPLAINT#${answer.id}`);
          }
        } catch (error) {
          detail = `request failed: ${(error as Error).message}`;
        }
        statuses.set(`${request.route} ${status}`, (statuses.get(`${request.route} ${status}`) ?? 0) + 1);
        if (detail)
          failures.push(
            `#${index} ${request.route} → ${status} ${detail}\n   ${JSON.stringify({ ...request, body: request.body?.slice(0, 300) })}`,
          );
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const sentIn = Date.now() - started;

    // Nothing half-written: every complaint has its number and its first event; nothing points
    // at a complaint that is not there. A scan is not a snapshot, so whatever looks broken is
    // read again, consistently, before it counts.
    const items = await scanAll();
    const byKey = new Map(items.map((item) => [`${item.pk}|${item.sk}`, item]));
    const exists = async (pk: string, sk: string) =>
      byKey.has(`${pk}|${sk}`) ||
      !!(await table().send(new GetCommand({ TableName: TABLE, Key: { pk, sk }, ConsistentRead: true }))).Item;
    const broken: string[] = [];
    const own = ownedBy(requests);
    const metas = items.filter(
      (item) =>
        String(item.pk).startsWith('COMPLAINT#') && item.sk === 'META' && own.complainants.has(item.complainantKey),
    );
    const ownCases = new Set([...filed, ...metas.map((meta) => String(meta.pk))]);
    const receivedFor = new Set(items.filter((item) => item.action === 'complaint.received').map((item) => item.pk));
    for (const meta of metas) {
      const number =
        byKey.get(`NUMBER#${meta.number}|META`) ??
        (
          await table().send(
            new GetCommand({
              TableName: TABLE,
              Key: { pk: `NUMBER#${meta.number}`, sk: 'META' },
              ConsistentRead: true,
            }),
          )
        ).Item;
      if (!number || number.complaintId !== meta.id) broken.push(`${meta.pk}: no NUMBER#${meta.number}`);
      if (!receivedFor.has(meta.pk)) broken.push(`${meta.pk}: no complaint.received event`);
    }
    for (const item of items) {
      const pk = String(item.pk);
      if (ownCases.has(pk) && item.sk !== 'META' && !(await exists(pk, 'META')))
        broken.push(`${pk}|${item.sk}: no META`);
      if (
        pk.startsWith('NUMBER#') &&
        ownCases.has(`COMPLAINT#${item.complaintId}`) &&
        !(await exists(`COMPLAINT#${item.complaintId}`, 'META'))
      )
        broken.push(`${pk}: points at a missing complaint`);
      if (
        own.complainants.has(pk.slice('COMPLAINANT#'.length)) &&
        String(item.sk).startsWith('SUBJECT#') &&
        !(await exists(`COMPLAINT#${item.complaintId}`, 'META'))
      )
        broken.push(`${pk}|${item.sk}: points at a missing complaint`);
      if (
        own.idempotencyKeys.has(pk) &&
        item.response?.complaintId &&
        !(await exists(`COMPLAINT#${item.response.complaintId}`, 'META'))
      )
        broken.push(`${pk}: replays a missing complaint`);
    }

    const summary = [...statuses.entries()]
      .sort()
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n');
    console.log(
      `fuzz seed ${SEED}: ${REQUESTS} requests in ${sentIn} ms (${CONCURRENCY} at a time); table checked: ${items.length} items, ${metas.length} complaints\n${summary}`,
    );
    expect(failures.slice(0, 10), `seed ${SEED}`).toEqual([]);
    expect(broken.slice(0, 10), `seed ${SEED}`).toEqual([]);
  });
});
