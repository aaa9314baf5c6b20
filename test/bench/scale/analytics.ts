/**
 * The desk's figures at a million complaints a day, and the hottest partition key at a 500/s
 * intake peak. Three measurements, each with the product's own code:
 *
 * 1. A day in memory: 1,000,000 synthetic complaints received in one day (a desk of 40 teams of 50
 *    handlers, each case on a random path: test/support/analytics-workload.ts), every event of
 *    their histories counted by `contributionsOf` and rolled up by `foldIncrements` into the
 *    items the store keeps (an in-memory FigureStore), each item then encoded as the store writes
 *    it: the largest is the bound that matters (DynamoDB takes 400 KB; the design keeps ≤ 16 KB).
 * 2. Five minutes of that day through the real store, on DynamoDB Local behind the metering proxy
 *    (infra/local/capacity-meter.ts): the stream's batches as a table of a year at this volume
 *    delivers them (SHARDS shards, a batching window of WINDOW seconds: one batch per shard),
 *    each stored by `aggregateStream`, then one roll-up (`rollUpAnalytics`) of what they stored,
 *    into items seeded with the simulated day's running totals (so each write is of its real
 *    size). In steady state a five-minute window holds events of cases received over the past
 *    days: each sampled case is one of its events (chosen in proportion to the events a path
 *    has) and the events written with it, at a moment in the window, with its history before it.
 *    Write units per complaint: the window's analytics write units over the complaints whose
 *    events it holds (its events over a complaint's mean).
 * 3. The intake at the local stack (npm start's own entry, metered): FILINGS filings over HTTP,
 *    acknowledged; write units by partition key per filing (the figures' keys excepted: 2. gives
 *    theirs). Both scaled to 500 complaints a second: the busiest key's share of all writes and
 *    its write units a second against one partition's 1,000.
 */
import { readFileSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { CapacityMeter, itemSize, startCapacityMeterProxy } from '../../../infra/local/capacity-meter';
import { ensureComplaintsTable } from '../../../infra/local/bootstrap';
import { LocalDynamoDb } from '../../../infra/local/dynamodb-local';
import { freePort } from '../../../infra/local/prerequisites';
import type { Increments } from '../../../functions/domain/analytics-figures';
import { largeDesk, mulberry32, workload, type SyntheticCase } from '../../support/analytics-workload';
import { startStackProcess, stopStackProcess } from '../../support/local-stack-setup';

const PER_DAY = Number(process.env.BENCH_ANALYTICS_PER_DAY ?? 1_000_000);
const TEAMS = 40;
const HANDLERS = 50;
/** Stream shards: about one per 10 GB partition of a year's table at this volume. */
const SHARDS = Number(process.env.BENCH_ANALYTICS_SHARDS ?? 365);
/** The event source's batching window (infra/redress-stack.ts) and the roll-up's wait (desk.analytics.refreshSeconds). */
const WINDOW = 300;
const PEAK = 500;
const FILINGS = Number(process.env.BENCH_HOTKEY_FILINGS ?? 200);
const TABLE = 'Complaints';
const DAY = '2026-11-02';
const DAY_START = new Date('2026-11-01T16:00:00Z'); // midnight in Asia/Shanghai

/** Keys of one case, one address or one link: written by that filing only. */
const OWN_KEY = /^(COMPLAINT|NUMBER|TASK|COMPLAINANT|IDEMPOTENCY|FILINGRATE|HELD|SUPPRESSED|INBOUND|SENDER)#/;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const fixed = (n: number, digits = 1) => n.toFixed(digits);

export default async function benchAnalytics(): Promise<string[]> {
  const lines: string[] = [];
  const intake = await intakeWritesPerFiling();
  const analytics = await analyticsAtVolume();
  lines.push(...analytics.lines);
  // Write units a second on each key at PEAK complaints a second. A key shared by the filings
  // (a window, a figure) takes PEAK times its share per complaint; a key of one case or address
  // takes only that case's writes, all of them in the same second at worst.
  const rates = new Map<string, number>();
  const add = (pk: string, rate: number) => rates.set(pk, (rates.get(pk) ?? 0) + rate);
  for (const [pk, units] of Object.entries(intake.byKey))
    add(pk, OWN_KEY.test(pk) ? units * intake.filings : PEAK * units);
  for (const [pk, units] of Object.entries(analytics.byKey)) add(pk, PEAK * units);
  const total = [...rates.values()].reduce((a, b) => a + b, 0);
  const [busiest, rate] = [...rates.entries()].sort((a, b) => b[1] - a[1])[0]!;
  lines.push(
    `hot keys: busiest partition key took ${fixed(rate / 10)} % of writes at ${PEAK} complaints/s (${fixed(rate, 0)} WCU/s of 1,000)`,
  );
  const shared = [...rates.entries()].filter(([pk]) => !OWN_KEY.test(pk)).sort((a, b) => b[1] - a[1]);
  const top = [...rates.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([pk, r]) => `${pk.replace(/#[0-9A-Za-z-]{16,}$/, '#…')} ${fixed(r)}`)
    .join(', ');
  lines.push(
    `hot keys, detail: busiest ${busiest.replace(/#[0-9A-Za-z-]{16,}$/, '#…')}${OWN_KEY.test(busiest) ? " (one case's own writes, all in one second)" : ''}; busiest shared keys (WCU/s) ${shared
      .slice(0, 4)
      .map(([pk, r]) => `${pk} ${fixed(r)}`)
      .join(
        ', ',
      )}; top ${top}; all keys ${fixed(total, 0)} WCU/s (intake ${fixed(intake.perFiling)} WRU per filing over ${intake.filings} filings at the local stack, figures ${fixed(analytics.perComplaint)} WRU per complaint)`,
  );
  return lines;
}

// ---- 3. The intake, at the local stack

async function intakeWritesPerFiling(): Promise<{ byKey: Record<string, number>; perFiling: number; filings: number }> {
  const fixtures = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../fixtures/complaints.json'), 'utf8'))
    .complaints as { body: any }[];
  const stack = await startStackProcess({
    REDRESS_METER: '1',
    REDRESS_CLOCK_SCALE: '1',
    REDRESS_RECONCILE_EVERY_MS: '3600000',
  });
  try {
    const meter = async () =>
      (
        (await (await fetch(`${stack.urls.stepFunctions}/local/meter`)).json()) as {
          dynamodb: { writeUnitsByPartitionKey: Record<string, number> };
        }
      ).dynamodb.writeUnitsByPartitionKey;
    const acknowledged = async () =>
      ((await (await fetch(`${stack.urls.mailbox}/store`)).json()) as { emails: { subject: string }[] }).emails.filter(
        (e) => /我们已收到您的投诉|received your complaint/.test(e.subject),
      ).length;
    const before = await meter();
    const mailBefore = await acknowledged();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < FILINGS) {
          const i = next++;
          const body = structuredClone(fixtures[[1, 2, 6, 7, 10][i % 5]!]!.body);
          body.complainant.email = `hot-${i}-${Date.now()}@example.com`;
          body.subject = { ...body.subject, ref: `uid-hot-${i}` };
          for (let attempt = 0; ; attempt++) {
            const response = await fetch(`${stack.urls.api}/complaints`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(body),
            });
            await response.arrayBuffer();
            if (response.status < 300) break;
            if (response.status !== 503 || attempt > 20) throw new Error(`filing answered ${response.status}`);
            await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
          }
        }
      }),
    );
    // Each filing is acknowledged by its workflow's first step (and its first task given out).
    for (let i = 0; i < 600 && (await acknowledged()) - mailBefore < FILINGS; i++)
      await new Promise((resolve) => setTimeout(resolve, 500));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const after = await meter();
    const byKey: Record<string, number> = {};
    for (const [pk, units] of Object.entries(after)) {
      const d = units - (before[pk] ?? 0);
      // The figures' writes at the stack follow its local stream's small batches: part 2 measures them at volume.
      if (d > 0 && !pk.startsWith('ANALYTICS')) byKey[pk] = d / FILINGS;
    }
    return { byKey, perFiling: Object.values(byKey).reduce((a, b) => a + b, 0), filings: FILINGS };
  } finally {
    await stopStackProcess(stack.child);
    rmSync(stack.dataDir, { recursive: true, force: true });
  }
}

// ---- 1. and 2. The figures at volume

async function analyticsAtVolume(): Promise<{ lines: string[]; byKey: Record<string, number>; perComplaint: number }> {
  const dynamoDb = new LocalDynamoDb();
  const endpoint = await dynamoDb.start({ port: await freePort() });
  const meter = new CapacityMeter();
  const proxy = await startCapacityMeterProxy(endpoint, meter);
  const desk = largeDesk(TEAMS, HANDLERS);
  const benchDesk = { ...desk, analytics: { refreshSeconds: WINDOW } };
  try {
    const raw = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await ensureComplaintsTable(raw, TABLE);
    const direct = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: proxy.url,
      TABLE_NAME: TABLE,
      EVIDENCE_BUCKET: 'redress-evidence',
      STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:ComplaintHandling',
      PUBLIC_BASE_URL: 'http://127.0.0.1',
      MAIL_FROM: 'complaints@redress.test',
      REDRESS_CONFIG: JSON.stringify(benchDesk),
      REDRESS_LOG_LEVEL: 'silent',
    });
    const figures = await import('../../../functions/domain/analytics-figures');
    const store = await import('../../../functions/store/analytics');
    const app = await import('../../../functions/app/analytics');
    const { moveClockForward } = await import('../../../functions/lib/clock');

    // ---- 1. The day in memory, half in each of two workers (two cores).
    const simStarted = performance.now();
    const halves = await Promise.all(
      [0, 1].map(
        (half) =>
          new Promise<{ inc: Increments; events: number }>((resolve, reject) => {
            const worker = new Worker(new URL('../analytics-day-worker.ts', import.meta.url), {
              execArgv: ['--import', 'tsx'],
              workerData: {
                seed: 20261102 + half,
                count: Math.ceil(PER_DAY / 2) - (half ? PER_DAY % 2 : 0),
                from: DAY_START.toISOString(),
                teams: TEAMS,
                handlers: HANDLERS,
                subjects: 300_000,
              },
            });
            worker.once('message', (answer) => {
              resolve(answer);
              void worker.terminate();
            });
            worker.once('error', reject);
          }),
      ),
    );
    const inc = figures.mergeIncrements(halves[0]!.inc, halves[1]!.inc);
    const dayEvents = halves[0]!.events + halves[1]!.events;
    const eventsPerComplaint = dayEvents / PER_DAY;
    const memory = new figures.MemoryFigureStore();
    await figures.foldIncrements(memory, inc, 1);
    const simSeconds = (performance.now() - simStarted) / 1000;
    const encoded: { kind: string; item: Record<string, unknown> }[] = [
      ...[...memory.teamDays.values()].map((t) => ({ kind: 'team day', item: store.teamDayItem(t, 1) })),
      ...[...memory.tops.values()].map((t) => ({ kind: 'top subjects', item: store.topItem(t.day, t.team, t.top, 1) })),
      ...[...memory.subjects.values()].map((s) => ({
        kind: 'subject day',
        item: store.subjectItem(s.day, s.key, s.teams, s.label, 1),
      })),
      ...[...memory.chains.entries()].flatMap(([key, chain]) =>
        [...chain.values()].map((s) => ({
          kind: key.startsWith('times') ? 'team times' : 'person totals',
          item: store.snapshotItem(chainOf(key), s),
        })),
      ),
    ];
    const sizes = encoded.map((e) => ({
      kind: e.kind,
      bytes: itemSize(marshall(e.item, { removeUndefinedValues: true }) as never),
    }));
    // A stored stream batch is at most MAX_BATCH_BYTES of figures; the roll-up's intent holds BATCHES_PER_FOLD keys.
    const intentBytes = deflateRawSync(
      Buffer.from(
        JSON.stringify(
          Array.from({ length: app.BATCHES_PER_FOLD }, (_, i) => [
            store.sequenceKey(String(4421584500000000017450439091n + BigInt(i * 977))),
            store.sequenceKey(String(4421584500000000017450439091n + BigInt(i * 977 + 900))),
          ]),
        ),
      ),
    ).length;
    sizes.push({ kind: 'roll-up state', bytes: intentBytes + 100 });
    // ---- 2. Five minutes of the day through the store.
    // Seed (not metered): the simulated figures as they stand before the window, each running
    // total at its latest, team days and lists for the days the window's cases were received.
    const seedItems: Record<string, unknown>[] = [];
    for (const [key, chain] of memory.chains) {
      const latest = chain.get([...chain.keys()].sort().at(-1)!)!;
      seedItems.push(store.snapshotItem(chainOf(key), { ...latest, day: DAY, fold: 0 }));
    }
    const dayTeams = [...memory.teamDays.values()].filter((t) => t.day === DAY);
    const dayTops = [...memory.tops.values()].filter((t) => t.day === DAY);
    const windowDays = Array.from({ length: 14 }, (_, i) =>
      new Date(Date.parse(`${DAY}T00:00:00Z`) + (i - 12) * 86_400_000).toISOString().slice(0, 10),
    );
    for (const d of windowDays) {
      for (const t of dayTeams) seedItems.push(store.teamDayItem({ ...t, day: d }, 0));
      for (const t of dayTops) seedItems.push(store.topItem(d, t.team, t.top, 0));
    }
    // The window: WINDOW seconds at noon of the day after, its events in proportion.
    const windowStart = Date.parse(`${DAY}T04:00:00Z`) + 86_400_000;
    const target = Math.round((PER_DAY * eventsPerComplaint * WINDOW) / 86_400);
    const random = mulberry32(7);
    const sampler = workload(777, { desk, from: new Date(windowStart - 12 * 86_400_000), days: 12, subjects: 300_000 });
    const sample: { c: SyntheticCase; from: number; to: number }[] = [];
    let delivered = 0;
    const longest = 20;
    while (delivered < target) {
      const c = sampler.next();
      // Each event equally likely: a case in proportion to its events, then one of them.
      if (random() * longest > c.events.length) continue;
      const k = Math.floor(random() * c.events.length);
      let to = k;
      while (to + 1 < c.events.length && Date.parse(c.events[to + 1]!.at) - Date.parse(c.events[k]!.at) < 60_000) to++;
      const shift = windowStart + random() * WINDOW * 1000 - Date.parse(c.events[k]!.at);
      const moved = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
      c.events = c.events.map((e) => ({ ...e, at: moved(e.at) }));
      c.facts = { ...c.facts, receivedAt: moved(c.facts.receivedAt) };
      sample.push({ c, from: k, to });
      delivered += to - k + 1;
    }
    const complaints = delivered / eventsPerComplaint;
    const records: { shard: number; at: string; record: DynamoDBStreamEvent['Records'][number] }[] = [];
    for (const { c, from, to } of sample) {
      seedItems.push({
        pk: `COMPLAINT#${c.id}`,
        sk: 'META',
        id: c.id,
        category: c.facts.category,
        receivedAt: c.facts.receivedAt,
        subjectKey: c.facts.subjectKey,
        subject: { type: 'user', ref: c.facts.subjectLabel },
      });
      const shard = createHash('sha256').update(c.id).digest().readUInt32BE(0) % SHARDS;
      c.events.slice(0, to + 1).forEach((e, i) => {
        const item = {
          pk: `COMPLAINT#${c.id}`,
          sk: `EVENT#${e.at}#${String(i).padStart(5, '0')}`,
          complaintId: c.id,
          ...e,
        };
        seedItems.push(item);
        if (i >= from)
          records.push({
            shard,
            at: e.at,
            record: {
              eventID: `${c.id}-${i}`,
              eventName: 'INSERT',
              dynamodb: {
                Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
                NewImage: marshall(item, { removeUndefinedValues: true }) as never,
              },
            },
          });
      });
    }
    const seedStarted = performance.now();
    await writeAll(direct, seedItems);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    // The stream: one batch per shard in the window, in order, sequence numbers rising.
    records.sort((a, b) => a.at.localeCompare(b.at));
    let sequence = 1_000_000_000_000_000_000n;
    const batches = new Map<number, DynamoDBStreamEvent['Records']>();
    for (const r of records) {
      r.record.dynamodb!.SequenceNumber = String(sequence++);
      (batches.get(r.shard) ?? batches.set(r.shard, []).get(r.shard)!).push(r.record);
    }
    // This process runs at the window's end on the stack's clock.
    moveClockForward(Math.max(0, windowStart + WINDOW * 1000 - Date.now()));
    const before = meter.reading();
    const storeStarted = performance.now();
    let next = 0;
    const list = [...batches.values()];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < list.length) {
          const answer = await app.aggregateStream({ Records: list[next++]! });
          if (answer.batchItemFailures.length) throw new Error('a stream batch failed');
        }
      }),
    );
    const stored = meter.reading();
    // The stored batches as written (measured before the roll-up deletes them).
    for (let n = 0; n < store.BATCH_SHARDS; n++) {
      const { Items } = await direct.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `ANALYTICS#BATCH#${n}` },
        }),
      );
      for (const item of Items ?? [])
        sizes.push({ kind: 'stream batch', bytes: itemSize(marshall(item, { removeUndefinedValues: true }) as never) });
    }
    let folds = 0;
    for (;;) {
      const r = await app.rollUpAnalytics({ force: true });
      folds += r.folds;
      if (!r.folds && !r.busy) break;
    }
    const after = meter.reading();
    const storeSeconds = (performance.now() - storeStarted) / 1000;
    const stage1 = (stored.writeUnits - before.writeUnits) / complaints;
    const perComplaint = (after.writeUnits - before.writeUnits) / complaints;
    const byKey: Record<string, number> = {};
    for (const [pk, units] of Object.entries(after.writeUnitsByPartitionKey)) {
      const d = units - (before.writeUnitsByPartitionKey[pk] ?? 0);
      if (d > 0) byKey[pk] = d / complaints;
    }

    // The page a manager opens: 30 days, every team.
    const pageBefore = meter.reading();
    const pageStarted = performance.now();
    const to = windowDays.at(-1)!;
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10);
    const view = await app.viewFor(Object.keys(desk.teams), { from, to, groupBy: 'day' }, benchDesk);
    const pageAfter = meter.reading();

    const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const byKind = new Map<string, { n: number; max: number }>();
    for (const x of sizes) {
      const k = byKind.get(x.kind) ?? byKind.set(x.kind, { n: 0, max: 0 }).get(x.kind)!;
      k.n++;
      k.max = Math.max(k.max, x.bytes);
    }
    return {
      lines: [
        `analytics: largest item ${kb(largest.bytes)} after ${PER_DAY.toLocaleString('en-US')} simulated complaints in a day (limit 400 KB); ${fixed(perComplaint)} WRU per complaint`,
        `analytics, detail: desk of ${TEAMS} teams × ${HANDLERS} handlers; the day: ${dayEvents.toLocaleString('en-US')} events (${fixed(eventsPerComplaint)} a complaint) into ${sizes.length.toLocaleString('en-US')} items in ${fixed(simSeconds)} s, largest by kind: ${[
          ...byKind.entries(),
        ]
          .map(([kind, k]) => `${kind} ${kb(k.max)} (${k.n.toLocaleString('en-US')})`)
          .join(', ')}`,
        `analytics, detail: window of ${WINDOW} s at ${PER_DAY.toLocaleString('en-US')}/day: ${delivered.toLocaleString('en-US')} events (${fixed(complaints, 0)} complaints' worth) in ${batches.size} stream batches (${SHARDS} shards, ${WINDOW} s batching) → ${fixed(stage1, 2)} WRU per complaint storing batches, ${fixed(perComplaint - stage1, 2)} rolling up (${folds} roll-up(s)); seeded ${seedItems.length.toLocaleString('en-US')} items in ${fixed(seedSeconds)} s, stored and rolled up in ${fixed(storeSeconds)} s`,
        `analytics, detail: the page over 30 days (every team, ${view.handlers.length} people): ${pageAfter.readRequests - pageBefore.readRequests} reads, ${fixed(pageAfter.readUnits - pageBefore.readUnits)} RRU, ${fixed((performance.now() - pageStarted) / 1000)} s`,
      ],
      byKey,
      perComplaint,
    };
  } finally {
    await proxy.close();
    await dynamoDb.stop();
  }
}

function chainOf(key: string) {
  const [kind, team, ...email] = key.split('|');
  return kind === 'times'
    ? ({ kind: 'times', team: team! } as const)
    : ({ kind: 'person', team: team!, email: email.join('|') } as const);
}

async function writeAll(client: DynamoDBDocumentClient, items: Record<string, unknown>[]): Promise<void> {
  let next = 0;
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < chunks.length) {
        let pending: unknown[] | undefined = chunks[next++]!.map((Item) => ({ PutRequest: { Item } }));
        while (pending?.length)
          pending = (await client.send(new BatchWriteCommand({ RequestItems: { [TABLE]: pending as never } })))
            .UnprocessedItems?.[TABLE];
      }
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) for (const line of await benchAnalytics()) console.log(line);
