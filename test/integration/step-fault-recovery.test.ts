import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { endFaults, untilRefused } from '../support/faults';
import { ownStack } from '../support/own-stack';
import { CaseDriver, emailsTo, moveClock, stack, stackNow, SUBJECTS, track } from '../support/stack-client';
import { stalledCases } from '../support/stalled';
import { complaintRecord, eventsOf } from '../support/table';

/**
 * A step fault of any length ends with every open case moving. Every step's Lambda fails
 * (REDRESS_FAULT=step-failing) until the test ends the fault, longer than a step's Retry (its
 * backoff shortened, REDRESS_RETRY_INTERVAL_MS): five complaints filed at once sit at `received`,
 * their acknowledgements failing.
 * Two of their executions end meanwhile (as a day of faults ends one in HandlingStuck, or a
 * lost engine does: here, StopExecution), before any task was opened; the other three keep going
 * round the workflow's wait-and-retry path. The test moves the clock past each 5-minute wait
 * and the sweep's quiet period, and ends the fault after two rounds of it. Every case is then acknowledged once
 * and has its acceptance task: the three by their own executions, the two by the sweep.
 */
ownStack({ REDRESS_FAULT: 'step-failing:3600', REDRESS_RETRY_INTERVAL_MS: '10', REDRESS_RECONCILE_EVERY_MS: '500' });

/** A step's attempts before its Retry gives up: the first and five retries. */
const ATTEMPTS = 6;

const RETRY_WAIT_SECONDS = 300;
const actions = async (c: CaseDriver) =>
  ((await track(c.trackingUrl)).json.history as { action: string }[]).map((h) => h.action);

describe('a step fault longer than a minute', () => {
  it('ends with every case moving: those still retrying and those whose execution ended at `received` are acknowledged once and get their task', async () => {
    const cases = await Promise.all([1, 2, 3, 6, 7].map((fixture) => CaseDriver.file(fixture)));
    const ids = await Promise.all(cases.map(async (c) => (await track(c.trackingUrl)).json.id as string));
    for (const id of ids) expect((await complaintRecord(id))?.status).toBe('received');

    const sfn = new SFNClient({
      endpoint: stack().stepFunctions,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const ended = ids.slice(0, 2);
    for (const id of ended)
      await sfn.send(
        new StopExecutionCommand({
          executionArn: `arn:aws:states:us-east-1:000000000000:execution:ComplaintHandling:${id}`,
          error: 'InjectedFault',
          cause: 'the execution ended during a step fault',
        }),
      );
    expect((await actions(cases[0]!)).includes('acknowledgement.sent')).toBe(false);

    // The three running executions go round the wait-and-retry path twice while the fault lasts.
    await untilRefused('step-failing', 5 * ATTEMPTS);
    for (const round of [1, 2]) {
      await moveClock(RETRY_WAIT_SECONDS + 1);
      await untilRefused('step-failing', 5 * ATTEMPTS + round * 3 * ATTEMPTS);
    }
    await endFaults('step-failing');

    let moving = false;
    for (let round = 0; round < 150 && !moving; round++) {
      await moveClock(RETRY_WAIT_SECONDS + 1);
      await new Promise((r) => setTimeout(r, 500));
      moving = (await Promise.all(cases.map(actions))).every(
        (history) => history.includes('acknowledgement.sent') && history.includes('task.assigned'),
      );
    }
    expect(moving, 'every case was acknowledged and got its task once the fault ended').toBe(true);

    for (const c of cases) {
      const acknowledgement = (await emailsTo(c.complainantEmail)).filter((e) => e.subject.includes(`[${c.number}]`));
      expect(acknowledgement, c.number).toHaveLength(1);
      expect((await c.taskLink(SUBJECTS.acceptance)).url).toContain('/tasks/');
    }
    for (const id of ids) {
      const record = await complaintRecord(id);
      expect(record?.status, id).toBe('acceptance-review');
      const redriven = (await eventsOf(id)).filter((e) => e.action === 'workflow.redriven');
      expect(redriven, id).toEqual(
        ended.includes(id)
          ? [
              expect.objectContaining({
                details: expect.objectContaining({ resumeAt: 'start', previousStatus: 'ABORTED' }),
              }),
            ]
          : [],
      );
    }
    expect(await stalledCases({ only: ids, now: await stackNow() })).toEqual([]);
  });
});
