import { FAULTS_PATH, METER_PATH } from '../../infra/local/step-functions-local';
import type { TimedFault } from '../../infra/local/fault-injection';
import { stack } from './stack-client';

async function setFaults(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${stack().stepFunctions}${FAULTS_PATH}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  if (response.status !== 204) throw new Error(`setting faults answered ${response.status}: ${await response.text()}`);
}

/** Ends these timed faults of the stack's REDRESS_FAULT now: a test ends a fault when its story needs, not when real time runs out. */
export const endFaults = (...names: TimedFault[]) => setFaults({ end: names });

/** Turns the table's throttling of every call on or off (REDRESS_FAULT=dynamodb-throttled). */
export const refuseTableCalls = (on: boolean) => setFaults({ dynamodbRefusing: on });

/** How many calls a timed fault of the stack has refused since it started. */
export async function refusedBy(fault: TimedFault): Promise<number> {
  const meter = (await (await fetch(`${stack().stepFunctions}${METER_PATH}`)).json()) as {
    faults?: { refused?: Partial<Record<TimedFault, number>> };
  };
  return meter.faults?.refused?.[fault] ?? 0;
}

/** Waits (polling, up to `ms` of real time) until a timed fault has refused at least `count` calls. */
export async function untilRefused(fault: TimedFault, count: number, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const seen = await refusedBy(fault);
    if (seen >= count) return;
    if (Date.now() > deadline) throw new Error(`${fault} refused ${seen} calls, not ${count}, in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
