/**
 * Intake latency at one request in flight beside its floor, in one run on one stack: POST
 * /complaints (a new complaint each time) against a bare PutItem behind the same HTTP adapter,
 * Lambda invocation and middy stack (test/bench/intake-floor.ts). The ratio floor / intake says
 * how close intake is to one write's worth of round trips; machines here are shared and noisy,
 * so both are measured interleaved.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startStackProcess, stopStackProcess } from '../support/local-stack-setup';
import { FLOOR_HEADER } from './intake-floor';

const fixtures = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../fixtures/complaints.json'), 'utf8'))
  .complaints as { body: any }[];

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

/** `requests` intakes and as many floors, alternating, one in flight; p50 of each and their ratio. */
export async function measureIntakeAgainstFloor(
  api: string,
  requests: number,
): Promise<{ intakeP50: number; floorP50: number; ratio: number; statuses: Record<number, number> }> {
  const intake: number[] = [];
  const floor: number[] = [];
  const statuses: Record<number, number> = {};
  for (let i = -5; i < requests; i++) {
    const body = structuredClone(fixtures[[1, 2, 6, 7, 10][Math.abs(i) % 5]!]!.body);
    body.complainant.email = `intake-${i}-${Date.now()}@example.com`;
    const a = await timed(`${api}/complaints`, body);
    const b = await timed(`${api}/complaints`, body, { [FLOOR_HEADER]: 'floor' });
    if (i < 0) continue; // warm-up
    statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    intake.push(a.ms);
    floor.push(b.ms);
  }
  const intakeP50 = median(intake);
  const floorP50 = median(floor);
  return { intakeP50, floorP50, ratio: floorP50 / intakeP50, statuses };
}

/** `npm run bench`'s intake line: its own stack, BENCH_INTAKE_REQUESTS (default 100) of each. */
export async function benchIntakeFloor(): Promise<void> {
  const requests = Number(process.env.BENCH_INTAKE_REQUESTS ?? 100);
  const stack = await startStackProcess({ REDRESS_BENCH_FLOOR: '1', REDRESS_CLOCK_SCALE: '1' });
  try {
    const { intakeP50, floorP50, ratio, statuses } = await measureIntakeAgainstFloor(stack.urls.api, requests);
    console.log(
      `intake at one in flight (${requests} each, interleaved): p50 ${intakeP50.toFixed(1)} ms; floor (bare PutItem, same adapter and handler stack) p50 ${floorP50.toFixed(1)} ms; floor/intake ratio ${ratio.toFixed(2)} (goal ≥ 0.4); statuses ${JSON.stringify(statuses)}`,
    );
  } finally {
    await stopStackProcess(stack.child);
    rmSync(stack.dataDir, { recursive: true, force: true });
  }
}
