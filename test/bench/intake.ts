/**
 * Intake beside the floor it cannot beat: POST /complaints through the whole local stack against a
 * bare SDK PutItem issued straight to the same DynamoDB Local (no adapter, no handler), at one
 * request in flight and at 32, in one run on one stack. The ratios say how far intake is from one
 * write to the same database. Machines here are shared and noisy: compare runs on one machine.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { startStackProcess, stopStackProcess } from '../support/local-stack-setup';
import { TABLE } from '../support/table';

const fixtures = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../fixtures/complaints.json'), 'utf8'))
  .complaints as { body: any }[];

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export interface Throughput {
  perSecond: number;
  p50: number;
  statuses: Record<number, number>;
}

/** `count` calls of `once`, `inFlight` at a time: the rate, the median latency and what each answered. */
export async function drive(
  count: number,
  inFlight: number,
  once: (i: number) => Promise<number>,
): Promise<Throughput> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        const status = await once(i);
        latencies.push(performance.now() - t);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  return { perSecond: count / ((performance.now() - began) / 1000), p50: median(latencies), statuses };
}

let filed = 0;
export async function fileOne(api: string): Promise<number> {
  const body = structuredClone(fixtures[[1, 2, 6, 7, 10][filed % 5]!]!.body);
  body.complainant.email = `intake-${filed++}-${Date.now()}@example.com`;
  const response = await fetch(`${api}/complaints`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

/** A bare PutItem of an item the size of a complaint, in a partition of its own. */
function putOne(client: DynamoDBClient, i: number): Promise<number> {
  return client
    .send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { pk: { S: `BENCH#${i}#${Date.now()}` }, sk: { S: 'META' }, body: { S: 'x'.repeat(1500) } },
      }),
    )
    .then(() => 200);
}

/**
 * The least any intake asks of this database, with no adapter, handler or workflow: one round of
 * five reads at once (the Idempotency-Key's first answer, the ban, the complainant's cases on the
 * matter, the matter's pointer, the hour's filing count), then one transaction of five new items
 * (the complaint, its number, its first event, the matter's pointer, the Idempotency-Key's
 * answer). A floor: the real items also carry index keys, which cost more to write.
 */
function floorOnce(client: DynamoDBClient, i: number): Promise<number> {
  const id = `FLOOR#${i}#${Date.now()}`;
  const key = (pk: string, sk = 'META') => ({ pk: { S: pk }, sk: { S: sk } });
  const put = (pk: string, sk: string, size: number) => ({
    Put: {
      TableName: TABLE,
      Item: { ...key(pk, sk), body: { S: 'x'.repeat(size) } },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
  const get = (pk: string) => client.send(new GetItemCommand({ TableName: TABLE, Key: key(pk), ConsistentRead: true }));
  return Promise.all([
    get(`${id}#IDEMPOTENCY`),
    get(`${id}#BAN`),
    client.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': { S: `${id}#COMPLAINANT` } },
      }),
    ),
    get(`${id}#POINTER`),
    get(`${id}#RATE`),
  ])
    .then(() =>
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            put(id, 'META', 1500),
            put(`${id}#NUMBER`, 'META', 100),
            put(id, 'EVENT#1', 300),
            put(`${id}#COMPLAINANT`, 'SUBJECT#1', 100),
            put(`${id}#IDEMPOTENCY`, 'META', 400),
          ],
        }),
      ),
    )
    .then(() => 200);
}

/** CPU seconds a process has used (user + system), from /proc; 0 where there is no /proc. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Waits until the stack's table calls stop for a second: the workflows' work for the filings is done. */
async function settled(stepFunctionsUrl: string): Promise<void> {
  const calls = async () => {
    const meter = (await (await fetch(`${stepFunctionsUrl}/local/meter`)).json()) as {
      lambdaInvocations: Record<string, number>;
    };
    return Object.entries(meter.lambdaInvocations)
      .filter(
        ([id]) => !/^(SweepStalledCases|DeliverQueued|StartPending|DeliverWeekly|PurgeDue|AggregateAnalytics)/.test(id),
      )
      .reduce((sum, [, n]) => sum + n, 0);
  };
  let last = -1;
  for (let now = await calls(); now !== last; now = await calls()) {
    last = now;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** `npm run bench`'s intake lines: one stack, intake and the bare PutItem at 1 and 32 in flight. */
export async function benchIntakeAgainstPutItem(label: string, env: Record<string, string> = {}): Promise<void> {
  const requests = Number(process.env.BENCH_INTAKE_REQUESTS ?? 200);
  const stack = await startStackProcess({ REDRESS_CLOCK_SCALE: '1', ...env });
  const client = new DynamoDBClient({
    endpoint: stack.urls.dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    // Warm both paths (JIT in Node and in DynamoDB Local), then measure each, one after the other.
    await drive(40, 4, (i) => putOne(client, i));
    await drive(40, 4, () => fileOne(stack.urls.api));
    const javaPid = Number(readFileSync(path.join(stack.dataDir, 'dynamodb', 'dynamodb.pid'), 'utf8'));
    for (const inFlight of [1, 32]) {
      await settled(stack.urls.stepFunctions);
      const put = await drive(requests, inFlight, (i) => putOne(client, i));
      const [java0, node0] = [cpuSeconds(javaPid), cpuSeconds(stack.child.pid!)];
      const intake = await drive(requests, inFlight, () => fileOne(stack.urls.api));
      const [javaDuring, nodeDuring] = [cpuSeconds(javaPid) - java0, cpuSeconds(stack.child.pid!) - node0];
      const ended = performance.now();
      await settled(stack.urls.stepFunctions);
      const drained = (performance.now() - ended) / 1000;
      const [javaAll, nodeAll] = [cpuSeconds(javaPid) - java0, cpuSeconds(stack.child.pid!) - node0];
      const ms = (seconds: number) => ((seconds * 1000) / requests).toFixed(1);
      console.log(
        `intake vs bare PutItem (${label}), ${inFlight} in flight, ${requests} each: intake ${intake.perSecond.toFixed(1)}/s p50 ${intake.p50.toFixed(1)} ms; PutItem ${put.perSecond.toFixed(1)}/s p50 ${put.p50.toFixed(1)} ms; intake p50 = ${(intake.p50 / put.p50).toFixed(1)} × PutItem (goal ≤ 3 at 1 in flight); statuses ${JSON.stringify(intake.statuses)}`,
      );
      if (inFlight === 1) {
        const floor = await drive(requests, 1, (i) => floorOnce(client, i));
        console.log(
          `  intake's own database work, bare (5 reads at once, then a 5-item transaction), 1 in flight: p50 ${floor.p50.toFixed(1)} ms = ${(floor.p50 / put.p50).toFixed(1)} × PutItem — the floor under any intake on this database`,
        );
      }
      console.log(
        `  CPU per filing: DynamoDB Local ${ms(javaDuring)} ms while filing, ${ms(javaAll)} ms with the workflows' work to the first task; the stack's Node ${ms(nodeDuring)} ms, ${ms(nodeAll)} ms; the workflows' backlog drained ${drained.toFixed(1)} s after the last filing`,
      );
    }
  } finally {
    client.destroy();
    await stopStackProcess(stack.child);
    rmSync(stack.dataDir, { recursive: true, force: true });
  }
}
