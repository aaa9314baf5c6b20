import { describe, expect, it } from 'vitest';
import { STEP_STATUS } from '../../functions/domain/lifecycle';
import { ownStack } from '../support/own-stack';
import { CaseDriver, emailsTo, moveClock, stack, SUBJECTS, track } from '../support/stack-client';
import { stalledCases } from '../support/stalled';
import { complaintRecord } from '../support/table';

/**
 * A fault that outlives a Task's Retry (about a minute of backoff) never fails the execution: the
 * workflow waits five minutes and tries the step again. Every step's Lambda fails for the first
 * 75 s of this stack (REDRESS_FAULT=step-failing:75), longer than the retries; the test moves the
 * clock past the workflow's Wait instead of sleeping through it.
 */
const FAILING_SECONDS = 75;
ownStack({ REDRESS_FAULT: `step-failing:${FAILING_SECONDS}`, REDRESS_CLOCK_SCALE: '1' });

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

    // The fault lasts longer than the Retry's backoff: the acknowledgement fails past it and the
    // workflow waits. Each move of the clock passes one Wait; the fault ends in real time.
    let acknowledged = false;
    for (let round = 0; round < 120 && !acknowledged; round++) {
      await moveClock(RETRY_WAIT_SECONDS + 1);
      await new Promise((r) => setTimeout(r, 1000));
      acknowledged = (await actions(c)).includes('acknowledgement.sent');
    }
    expect(acknowledged, 'the acknowledgement was sent once the step ran again').toBe(true);

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
