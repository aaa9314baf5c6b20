/**
 * A burst beyond Step Functions' StartExecution quota: BENCH_BURST complaints (default 10,000)
 * offered over BENCH_BURST_SECONDS (default 10) through the local API adapter, with StartExecution
 * throttled (REDRESS_FAULT=start-execution-throttled:<n>, default n = 10 a second: below what a laptop
 * can file, as Step Functions' refill of 300 a second is below a burst of 1,000 a second). Every filing
 * must get its 201 and number whatever the throttle did; every workflow must start later (intake,
 * or the reconciler draining the pending marks at its bounded rate); none may be lost. Prints how
 * long the backlog took to drain after the last 201.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { index } from '../../functions/store/schema';
import { WORKFLOW_PENDING_SHARDS } from '../../functions/store/pending-starts';
import { startStackProcess, stopStackProcess, type StackUrls } from '../support/local-stack-setup';

const fixtures = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../fixtures/complaints.json'), 'utf8'))
  .complaints as { body: any }[];

async function sfn(urls: StackUrls, operation: string, body: unknown): Promise<any> {
  const response = await fetch(urls.stepFunctions, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${operation}` },
    body: JSON.stringify(body),
  });
  return response.json();
}

/** How many complaints are still marked pending (the byWorkflowPending index, every shard). */
async function pendingCount(urls: StackUrls): Promise<number> {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: urls.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const byPending = index('byWorkflowPending');
  let total = 0;
  for (let shard = 0; shard < WORKFLOW_PENDING_SHARDS; shard++) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: 'Complaints',
          IndexName: byPending.IndexName,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': byPending.partitionKey },
          ExpressionAttributeValues: { ':p': `PENDING#${shard}` },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      total += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  client.destroy();
  return total;
}

export interface BurstResult {
  offered: number;
  filedSeconds: number;
  created: number;
  statuses: Record<number, number>;
  withNumber: number;
  throttledStarts: number;
  pendingAfterFiling: number;
  drainSeconds: number;
  started: number;
  /** Complaints lost: answered 201 without a case, or whose workflow never started; plus every 5xx other than 503 (a filing the client cannot know the fate of). */
  lost: number;
  refusedWithoutRetryAfter: number;
}

/** Offers `count` filings evenly over `seconds` (at most `inFlight` open at once), then waits until every one's workflow runs. */
export async function runBurst(
  urls: StackUrls,
  count: number,
  seconds: number,
  inFlight: number,
): Promise<BurstResult> {
  const statuses: Record<number, number> = {};
  const ids: string[] = [];
  let withNumber = 0;
  let refusedWithoutRetryAfter = 0;
  let createdWithoutCase = 0;
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const i = next++;
        const due = began + (i * seconds * 1000) / count;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const body = structuredClone(fixtures[[1, 2, 6, 7, 10][i % 5]!]!.body);
        body.complainant.email = `burst-${i}-${Date.now()}@example.com`;
        const response = await fetch(`${urls.api}/complaints`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const json = (await response.json()) as { id?: string; number?: string };
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.status === 201 && json.id) ids.push(json.id);
        // Every filing here is new (a unique address): a 201 without its case lost a complaint.
        if (response.status === 201 && !json.id) createdWithoutCase++;
        if ((response.status === 429 || response.status === 503) && !response.headers.get('retry-after'))
          refusedWithoutRetryAfter++;
        if (json.number) withNumber++;
      }
    }),
  );
  const filedSeconds = (performance.now() - began) / 1000;
  const pendingAfterFiling = await pendingCount(urls);
  const drainStarted = performance.now();
  let pending = pendingAfterFiling;
  while (pending > 0 && performance.now() - drainStarted < 30 * 60_000) {
    await new Promise((r) => setTimeout(r, 500));
    pending = await pendingCount(urls);
  }
  const drainSeconds = (performance.now() - drainStarted) / 1000;
  const { executions } = (await sfn(urls, 'ListExecutions', {})) as { executions: { name: string }[] };
  const running = new Set(executions.map((e) => e.name));
  const meter = (await (await fetch(`${urls.stepFunctions}/local/meter`)).json()) as {
    faults?: { startExecutionThrottled: number };
  };
  return {
    offered: count,
    filedSeconds,
    created: ids.length,
    statuses,
    withNumber,
    throttledStarts: meter.faults?.startExecutionThrottled ?? 0,
    pendingAfterFiling,
    drainSeconds,
    started: ids.filter((id) => running.has(id)).length,
    lost:
      ids.filter((id) => !running.has(id)).length +
      Math.max(pending, 0) +
      createdWithoutCase +
      Object.entries(statuses)
        .filter(([status]) => Number(status) >= 500 && Number(status) !== 503)
        .reduce((sum, [, n]) => sum + n, 0),
    refusedWithoutRetryAfter,
  };
}

/** `npm run bench`'s burst line: its own stack with the StartExecution throttle. */
export async function benchBurst(): Promise<void> {
  const count = Number(process.env.BENCH_BURST ?? 10_000);
  const seconds = Number(process.env.BENCH_BURST_SECONDS ?? 10);
  const throttle = Number(process.env.BENCH_BURST_THROTTLE ?? 10);
  const stack = await startStackProcess({
    REDRESS_FAULT: `start-execution-throttled:${throttle}`,
    REDRESS_CLOCK_SCALE: '1',
    REDRESS_RECONCILE_EVERY_MS: '1000',
    REDRESS_RECONCILE_GRACE_MS: '2000',
  });
  try {
    const r = await runBurst(stack.urls, count, seconds, Number(process.env.BENCH_BURST_IN_FLIGHT ?? 64));
    console.log(
      `burst: ${r.offered} complaints offered over ${seconds} s (filed in ${r.filedSeconds.toFixed(1)} s${r.filedSeconds > seconds * 1.2 ? ': this machine could not take them that fast' : ''}), StartExecution throttled at ${throttle}/s: ${r.statuses[201] ?? 0} × 201, ${r.withNumber} with a number, statuses ${JSON.stringify(r.statuses)}; ${r.throttledStarts} starts throttled, ${r.pendingAfterFiling} pending after the last filing, backlog drained in ${r.drainSeconds.toFixed(1)} s; ${r.started} workflows started, ${r.lost} lost (a 201 without its case or workflow, or any 5xx but 503); ${r.refusedWithoutRetryAfter} 429/503 without Retry-After`,
    );
  } finally {
    await stopStackProcess(stack.child);
    rmSync(stack.dataDir, { recursive: true, force: true });
  }
}
