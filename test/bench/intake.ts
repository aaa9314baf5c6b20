/**
 * Intake beside the floor it cannot beat: POST /complaints through the whole local stack against a
 * bare SDK PutItem issued straight to the same DynamoDB Local (no adapter, no handler), at one
 * request in flight and at 32, in one run on one stack. The ratios say how far intake is from one
 * write to the same database. Machines here are shared and noisy: compare runs on one machine.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startStackProcess, stopStackProcess } from '../support/local-stack-setup';

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
        TableName: 'Complaints',
        Item: { pk: { S: `BENCH#${i}#${Date.now()}` }, sk: { S: 'META' }, body: { S: 'x'.repeat(1500) } },
      }),
    )
    .then(() => 200);
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
    for (const inFlight of [1, 32]) {
      const put = await drive(requests, inFlight, (i) => putOne(client, i));
      const intake = await drive(requests, inFlight, () => fileOne(stack.urls.api));
      console.log(
        `intake vs bare PutItem (${label}), ${inFlight} in flight, ${requests} each: intake ${intake.perSecond.toFixed(1)}/s p50 ${intake.p50.toFixed(1)} ms; PutItem ${put.perSecond.toFixed(1)}/s p50 ${put.p50.toFixed(1)} ms; intake p50 = ${(intake.p50 / put.p50).toFixed(1)} × PutItem (goal ≤ 3 at 1 in flight); statuses ${JSON.stringify(intake.statuses)}`,
      );
    }
  } finally {
    client.destroy();
    await stopStackProcess(stack.child);
    rmSync(stack.dataDir, { recursive: true, force: true });
  }
}
