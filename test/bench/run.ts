/**
 * `npm run bench`: measures the local stack, never asserts. Intake throughput and latency
 * (POST /complaints, 16 in flight), then the cost drivers of one happy-path case (state
 * transitions, emails) as the cost table in docs/operating.md uses them. Machines here are shared and
 * noisy: compare runs on the same machine only.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStackProcess, stopStackProcess } from '../support/local-stack-setup';
import { benchIntakeAgainstPutItem } from './intake';
import { benchBurst } from './burst';
import { benchCost } from './cost';

const fixtures = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../fixtures/complaints.json'), 'utf8'))
  .complaints as { body: any }[];
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 16);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const stack = await startStackProcess({ REDRESS_CLOCK_SCALE: '1' });
try {
  const api = stack.urls.api;
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const body = structuredClone(fixtures[[1, 2, 6, 7, 10][i % 5]!]!.body);
        body.complainant.email = `bench-${i}-${Date.now()}@example.com`;
        const t = performance.now();
        const response = await fetch(`${api}/complaints`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - t);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `intake: ${REQUESTS} complaints, ${IN_FLIGHT} in flight: ${(REQUESTS / seconds).toFixed(1)}/s; latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
  );
  const rss = (pid: number) =>
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  const javaPid = Number(readFileSync(path.join(stack.dataDir, 'dynamodb', 'dynamodb.pid'), 'utf8'));
  console.log(
    `memory after the run: npm start process ${rss(stack.child.pid!).toFixed(0)} MB, DynamoDB Local ${rss(javaPid).toFixed(0)} MB; node ${process.version}, ${(await import('node:os')).cpus().length} cores`,
  );
} finally {
  await stopStackProcess(stack.child);
  rmSync(stack.dataDir, { recursive: true, force: true });
}

await benchIntakeAgainstPutItem('data on disk, as npm start', {
  REDRESS_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'redress-bench-')),
});
await benchIntakeAgainstPutItem('data on tmpfs, as the tests');
for (const line of await (await import('./calls-per-filing')).callsPerFiling()) console.log(line);
await benchBurst();
await benchCost();
await (await import('./bundles')).benchBundles();
await (await import('./analytics')).benchAnalytics();
