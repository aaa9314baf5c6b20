import { describe, expect, it } from 'vitest';
import { STEP_STATUS } from '../../functions/domain/lifecycle';
import { endFaults, untilRefused } from '../support/faults';
import { ownStack } from '../support/own-stack';
import { CaseDriver, emailsTo, moveClock, stack, SUBJECTS, track, waitForEmail } from '../support/stack-client';
import { stalledCases } from '../support/stalled';
import { complaintRecord } from '../support/table';

/**
 * A fault that outlives a Task's Retry never fails the execution: the workflow waits five minutes
 * and tries the step again. Every step's Lambda fails (REDRESS_FAULT=step-failing) until the test
 * ends the fault; the Retry's backoff is shortened (REDRESS_RETRY_INTERVAL_MS) and the test moves
 * the clock past the workflow's Wait instead of sleeping through either.
 */
ownStack({ REDRESS_FAULT: 'step-failing:3600', REDRESS_RETRY_INTERVAL_MS: '10', REDRESS_CLOCK_SCALE: '1' });

/** A step's attempts before its Retry gives up: the first and five retries. */
const ATTEMPTS = 6;

const RETRY_WAIT_SECONDS = 300;
const actions = async (c: CaseDriver) =>
  ((await track(c.trackingUrl)).json.history as { action: string }[]).map((h) => h.action);

async function describeExecution(executionArn: string): Promise<{ status: string; error?: string }> {
  const response = await fetch(stack().stepFunctions, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.DescribeExecution' },
    body: JSON.stringify({ executionArn }),
  });
  return (await response.json()) as { status: string; error?: string };
}

describe('a step that fails past its retries', () => {
  it('is tried again after a wait: a complaint filed while its steps fail still gets its acknowledgement and its task, and its execution keeps running', async () => {
    const c = await CaseDriver.file(1);
    const id = (await track(c.trackingUrl)).json.id as string;

    // The acknowledgement fails past its retries and the workflow waits; a move of the clock past
    // the Wait tries the step again, which fails past its retries again.
    await untilRefused('step-failing', ATTEMPTS);
    await moveClock(RETRY_WAIT_SECONDS + 1);
    await untilRefused('step-failing', 2 * ATTEMPTS);
    expect(await actions(c)).not.toContain('acknowledgement.sent');

    // The fault ends; the next try, after the Wait, acknowledges.
    await endFaults('step-failing');
    await moveClock(RETRY_WAIT_SECONDS + 1);
    let acknowledged = false;
    for (let round = 0; round < 200 && !acknowledged; round++) {
      acknowledged = (await actions(c)).includes('acknowledgement.sent');
      if (!acknowledged) await new Promise((r) => setTimeout(r, 100));
    }
    expect(acknowledged, 'the acknowledgement was sent once the step ran again').toBe(true);

    // The history records the acknowledgement as it is queued; the mail follows it.
    await waitForEmail(c.complainantEmail, new RegExp(`\\[${c.number}\\]`));
    const acknowledgement = (await emailsTo(c.complainantEmail)).filter((e) => e.subject.includes(`[${c.number}]`));
    expect(acknowledgement.length).toBe(1);
    const task = await c.taskLink(SUBJECTS.acceptance);
    expect(task.url).toContain('/tasks/');

    const record = await complaintRecord(id);
    expect(record?.status).toBe(STEP_STATUS.acceptance);
    expect(record?.currentTaskLinkHash, 'the case has a live task').toBeTruthy();
    expect(record?.workflowResumeAt).toBe('BeginAcceptance');
    expect(
      (
        await describeExecution(
          record?.executionArn ?? `arn:aws:states:us-east-1:000000000000:execution:ComplaintHandling:${id}`,
        )
      ).status,
    ).toBe('RUNNING');

    // The task works: the case goes on as usual.
    const accepted = await c.act(task.url, { decision: 'accept' });
    expect(accepted.response.status).toBe(200);
    await c.taskLink(SUBJECTS.investigation);
    expect(await actions(c)).toEqual(
      expect.arrayContaining(['acknowledgement.sent', 'task.assigned', 'decision.recorded']),
    );
    expect(await stalledCases({ only: [id] })).toEqual([]);
  });
});
