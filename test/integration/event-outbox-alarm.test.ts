import { describe, expect, it, vi } from 'vitest';
import { ownStack } from '../support/own-stack';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CaseDriver, moveClock, stack, useStackSettingsInProcess, WAIT_MS } from '../support/stack-client';
import { TABLE, table } from '../support/table';

/**
 * Events stuck in the outbox raise an alarm (PlatformEventsStuck, infra/constructs/desk-monitoring.ts)
 * on the metric the scheduled publisher reports from the due events it read. Here the local bus
 * refuses every PutEvents, the clock moves 20 minutes, and the publisher (run in this process
 * against the stack's table and bus, with EMF on as in Lambda) reports the waiting event and its age.
 * The stack's own scheduled runs are an hour apart, so only this run publishes.
 */
ownStack({ REDRESS_RECONCILE_EVERY_MS: '3600000' });

function captureStdout(): { metrics: () => Record<string, number>; restore: () => void } {
  const chunks: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => (chunks.push(String(chunk)), true));
  return {
    // Each EMF document: { _aws: { CloudWatchMetrics: [{ Metrics: [{ Name }] }] }, <Name>: value }.
    metrics: () =>
      Object.fromEntries(
        chunks
          .join('')
          .split('\n')
          .filter((line) => line.includes('"_aws"'))
          .map((line) => JSON.parse(line))
          .map((doc) => {
            const name = doc._aws.CloudWatchMetrics[0].Metrics[0].Name as string;
            return [name, doc[name] as number];
          }),
      ),
    restore: () => out.mockRestore(),
  };
}

describe('the event outbox’s backlog metric', () => {
  it('reports an event the bus keeps refusing, and how long it has waited', async () => {
    const refuse = await fetch(`${stack().events}/local/events/faults`, {
      method: 'POST',
      body: JSON.stringify({ failPutEvents: 1000 }),
    });
    expect(refuse.status).toBe(200);
    const driver = await CaseDriver.file(0);
    const complaintId = new URL(driver.trackingUrl).pathname.split('/').pop()!;
    // The filing's event (written by its acknowledgement, a moment after the filing) waits in the outbox.
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const { Items = [] } = await table().send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :out)',
          ExpressionAttributeValues: { ':pk': `COMPLAINT#${complaintId}`, ':out': 'EVTOUT#' },
          ConsistentRead: true,
        }),
      );
      if (Items.some((item) => item.attempts >= 1)) break;
      if (Date.now() > deadline) throw new Error(`no refused event waits in the outbox: ${JSON.stringify(Items)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const movedTo = await moveClock(20 * 60);

    useStackSettingsInProcess();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_EVENTBRIDGE: stack().events,
      EVENT_BUS_NAME: 'redress-local',
      POWERTOOLS_METRICS_DISABLED: 'false',
      REDRESS_LOG_LEVEL: 'silent',
    });
    const { moveClockForward } = await import('../../functions/lib/clock');
    moveClockForward(Math.max(0, movedTo.getTime() - Date.now()));
    const { deliverDueEvents } = await import('../../functions/app/deliver-due-events');
    const capture = captureStdout();
    let counts: { published: number; deferred: number };
    try {
      counts = await deliverDueEvents();
    } finally {
      capture.restore();
    }
    expect(counts).toEqual({ published: 0, deferred: 1 });
    const metrics = capture.metrics();
    expect(metrics.PlatformEventsWaiting).toBe(1);
    // The filing's event waited the 20 minutes the clock moved (and the moments before): past the alarm's 15.
    expect(metrics.OldestWaitingPlatformEventAge).toBeGreaterThanOrEqual(20 * 60);
    expect(metrics.OldestWaitingPlatformEventAge).toBeLessThan(25 * 60);

    // Once the bus takes events again, the next run publishes it and reports nothing waiting.
    await fetch(`${stack().events}/local/events/faults`, {
      method: 'POST',
      body: JSON.stringify({ failPutEvents: 0 }),
    });
    moveClockForward(3600_000);
    const after = captureStdout();
    try {
      expect(await deliverDueEvents()).toEqual({ published: 1, deferred: 0 });
    } finally {
      after.restore();
    }
    expect(after.metrics()).toMatchObject({ PlatformEventsWaiting: 1 });
    const drained = captureStdout();
    try {
      expect(await deliverDueEvents()).toEqual({ published: 0, deferred: 0 });
    } finally {
      drained.restore();
    }
    expect(drained.metrics()).toEqual({ PlatformEventsWaiting: 0, OldestWaitingPlatformEventAge: 0 });
  });
});
