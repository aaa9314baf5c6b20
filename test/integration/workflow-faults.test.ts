import { describe, expect, it } from 'vitest';
import { STEP_STATUS } from '../../functions/domain/lifecycle';
import { ownStack } from '../support/own-stack';
import { CaseDriver, emailsTo, moveClock, stack, SUBJECTS, track } from '../support/stack-client';
import { stalledCases } from '../support/stalled';
import { complaintRecord, queuedMailOf } from '../support/table';

/**
 * Mail goes through an outbox: each email is written with the change that sends it, tried at
 * once, and tried again by the outbox's sender until SES takes it. The local SES refuses every
 * send from the start of this stack (REDRESS_FAULT=ses-throttled:75), longer than any step's
 * retries; once the case has moved on without its mail, the test lets SES take mail again and
 * moves the clock so that retries fall due.
 */
const THROTTLED_SECONDS = 75;
ownStack({ REDRESS_FAULT: `ses-throttled:${THROTTLED_SECONDS}`, REDRESS_CLOCK_SCALE: '1' });

const actions = async (c: CaseDriver) =>
  ((await track(c.trackingUrl)).json.history as { action: string }[]).map((h) => h.action);
const mine = async (c: CaseDriver) =>
  (await emailsTo(c.complainantEmail)).filter((e) => e.subject.includes(`[${c.number}]`));

/** Ends the local SES's refusal now (the throttle the stack started with, or one set since). */
async function liftThrottle(): Promise<void> {
  const lifted = await fetch(`${stack().mailbox}/local/throttle`, {
    method: 'POST',
    body: JSON.stringify({ seconds: 0 }),
  });
  expect(lifted.status).toBe(200);
}

describe('SES refusing mail for longer than a step retries', () => {
  it('does not hold the case up: each change is recorded with its email, and every email arrives once SES takes mail again, once', async () => {
    const c = await CaseDriver.file(1);
    const id = (await track(c.trackingUrl)).json.id as string;

    // The case moves at once: acknowledged and assigned, while SES still refuses everything.
    for (let round = 0; round < 100 && !(await actions(c)).includes('task.assigned'); round++)
      await new Promise((r) => setTimeout(r, 200));
    expect(await actions(c)).toEqual(expect.arrayContaining(['acknowledgement.sent', 'task.assigned']));
    const queued = await queuedMailOf(id);
    expect(
      queued.map((item) => item.purpose).sort(),
      'the acknowledgement and the task email wait in the outbox',
    ).toEqual(['acknowledgement', 'task.acceptance']);
    expect(await mine(c)).toEqual([]);
    const record = await complaintRecord(id);
    expect(record?.status).toBe(STEP_STATUS.acceptance);
    expect(record?.currentTaskLinkHash, 'the case has a live task').toBeTruthy();
    expect(await stalledCases({ only: [id] })).toEqual([]);

    // SES takes mail again (the test says when, instead of waiting out the fault's window); each
    // move of the clock makes the next retry due.
    await liftThrottle();
    for (let round = 0; round < 150 && (await queuedMailOf(id)).length > 0; round++) {
      await moveClock(120);
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(await queuedMailOf(id), 'the outbox is empty').toEqual([]);
    const acknowledgements = await mine(c);
    expect(acknowledgements.length, 'one acknowledgement, however many tries').toBe(1);

    // The task email came too, and its link works: the case goes on as usual.
    const task = await c.taskLink(SUBJECTS.acceptance);
    const accepted = await c.act(task.url, { decision: 'accept' });
    expect(accepted.response.status).toBe(200);
    await c.taskLink(SUBJECTS.investigation);
    expect(await actions(c)).toEqual(
      expect.arrayContaining(['acknowledgement.sent', 'task.assigned', 'decision.recorded']),
    );
    expect(await stalledCases({ only: [id] })).toEqual([]);
  });

  it('loses no notice of a decision: a rejection made while SES refuses mail closes the case with its email recorded, and the email arrives once, later', async () => {
    const c = await CaseDriver.file(2);
    const id = (await track(c.trackingUrl)).json.id as string;
    const task = await c.taskLink(SUBJECTS.acceptance);
    const before = (await mine(c)).length;

    const throttled = await fetch(`${stack().mailbox}/local/throttle`, {
      method: 'POST',
      body: JSON.stringify({ seconds: 40 }),
    });
    expect(throttled.status).toBe(200);
    const rejected = await c.act(task.url, { decision: 'reject', reason: 'out-of-scope' });
    expect(rejected.response.status).toBe(200);
    for (let round = 0; round < 100 && (await complaintRecord(id))?.status !== 'closed'; round++)
      await new Promise((r) => setTimeout(r, 200));
    expect((await complaintRecord(id))?.outcome).toBe('rejected');
    expect(
      (await queuedMailOf(id)).map((item) => item.purpose),
      'the rejection waits in the outbox',
    ).toEqual(['decision.rejected']);
    expect((await mine(c)).length).toBe(before);

    await liftThrottle();
    for (let round = 0; round < 150 && (await queuedMailOf(id)).length > 0; round++) {
      await moveClock(120);
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(await queuedMailOf(id), 'the outbox is empty').toEqual([]);
    const after = (await mine(c)).slice(before);
    expect(after.length, 'exactly one email: the rejection').toBe(1);
    expect(after[0]!.subject).toMatch(/未予受理|not accepted/);
  });
});
