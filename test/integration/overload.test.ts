import { describe, expect, it } from 'vitest';
import { ownStack } from '../support/own-stack';
import { refuseTableCalls } from '../support/faults';
import { complaintBody, fileComplaint } from '../support/stack-client';
import { complaintsBy } from '../support/table';

/**
 * A stack whose table throttles the handlers (REDRESS_FAULT=dynamodb-throttled: a token bucket of
 * 40 requests a second, answered ProvisionedThroughputExceededException past it, as DynamoDB does)
 * and whose StartExecution throttles too. A burst far above that must be answered 201, 429 or 503
 * only — never a 500 — each refusal with Retry-After, every 201 with its case, and a client that
 * retries each refusal with the same Idempotency-Key ends with exactly one complaint per filing.
 */
ownStack({ REDRESS_FAULT: 'dynamodb-throttled:40,start-execution-throttled:5' });

const BURST = 30;
const IN_FLIGHT = 10;

async function burst(bodies: Record<string, any>[], keys: string[]) {
  const answers: { i: number; status: number; retryAfter: string | null; contentType: string | null; json: any }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < bodies.length) {
        const i = next++;
        const { response, json } = await fileComplaint(bodies[i], { 'idempotency-key': keys[i]! });
        answers.push({
          i,
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
          contentType: response.headers.get('content-type'),
          json,
        });
      }
    }),
  );
  return answers;
}

describe('intake under a throttled table', () => {
  it('answers only 201, 429 or 503 (each refusal with Retry-After and problem+json), and retries with the same Idempotency-Key make one complaint each', async () => {
    const bodies = Array.from({ length: BURST }, (_, i) => complaintBody([1, 2, 6, 7, 10][i % 5]));
    const keys = bodies.map((_, i) => `overload-${Date.now().toString(36)}-${i}`);
    // Half the burst meets the rate (it bites when the calls outrun it), half a table that refuses every call.
    const half = BURST / 2;
    const first = await burst(bodies.slice(0, half), keys.slice(0, half));
    await refuseTableCalls(true);
    try {
      const refused = await burst(bodies.slice(half), keys.slice(half));
      expect(
        refused.map((a) => a.status),
        'a table that refuses every call',
      ).toEqual(refused.map(() => 503));
      first.push(...refused.map((a) => ({ ...a, i: a.i + half })));
    } finally {
      await refuseTableCalls(false);
    }

    const statuses: Record<number, number> = {};
    for (const a of first) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    expect(
      first.filter((a) => ![201, 429, 503].includes(a.status)),
      'no other status',
    ).toEqual([]);
    expect(statuses[503] ?? 0, `the throttle bit (statuses ${JSON.stringify(statuses)})`).toBeGreaterThan(0);
    for (const refused of first.filter((a) => a.status !== 201)) {
      expect(Number(refused.retryAfter), `Retry-After on ${refused.status}`).toBeGreaterThanOrEqual(1);
      expect(refused.contentType).toMatch(/^application\/problem\+json/);
      expect(refused.json.type).toMatch(/^urn:redress:problem:/);
    }
    for (const filed of first.filter((a) => a.status === 201))
      expect(filed.json.id, 'a 201 names its case').toBeTruthy();

    // A client does what the answer says: it retries each refusal, with its key, until it is filed.
    let pending = first.filter((a) => a.status !== 201).map((a) => a.i);
    const filedIds = new Map(first.filter((a) => a.status === 201).map((a) => [a.i, a.json.id as string]));
    for (let round = 0; pending.length && round < 90; round++) {
      await new Promise((r) => setTimeout(r, 1000));
      const again = await burst(
        pending.map((i) => bodies[i]!),
        pending.map((i) => keys[i]!),
      );
      expect(
        again.filter((a) => ![201, 429, 503].includes(a.status)),
        'no other status on a retry',
      ).toEqual([]);
      for (const a of again.filter((x) => x.status === 201)) filedIds.set(pending[a.i]!, a.json.id);
      pending = again.filter((a) => a.status !== 201).map((a) => pending[a.i]!);
    }
    expect(pending, 'every filing got through in the end').toEqual([]);

    // Every 201 is its case, and each filing made exactly one complaint (retries replayed, none doubled).
    for (const [i, id] of filedIds) {
      const stored = await complaintsBy(bodies[i]!.complainant.email);
      expect(
        stored.map((c) => c.id),
        `filing ${i}`,
      ).toEqual([id]);
    }
  });
});
