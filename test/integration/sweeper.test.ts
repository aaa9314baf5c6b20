import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { SWEEP_QUIET_MS } from '../../functions/domain/stalled';
import { ownStack } from '../support/own-stack';
import { CaseDriver, moveClock, NEEDS_SCREENSHOT, stack, stackNow, SUBJECTS } from '../support/stack-client';
import { stalledCases } from '../support/stalled';
import { complaintsBy, eventsOf } from '../support/table';

/**
 * No case stops silently: a case whose execution ended while it waited for a person is found by
 * the scheduled sweep once it has been quiet for the quiet period, started again at its step,
 * and its person gets a fresh link that works. Its own stack: the clock moves past the quiet
 * period, and the sweep runs on a short timer.
 */
const sfn = () =>
  new SFNClient({
    endpoint: stack().stepFunctions,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
const executionOf = (record: Record<string, any>) =>
  record.executionArn ?? `arn:aws:states:us-east-1:000000000000:execution:ComplaintHandling:${record.id}`;
/** The fault: the execution ends under the case (the local engine's own StopExecution). */
const stopExecutionOf = (record: Record<string, any>) =>
  sfn().send(new StopExecutionCommand({ executionArn: executionOf(record), error: 'InjectedFault', cause: 'test' }));

/** The stack's time: the stalled query judges at it, since the tests here move the stack's clock ahead of this process's. */

describe('the stalled-case sweep', () => {
  ownStack({ REDRESS_RECONCILE_EVERY_MS: '500' });

  it('re-drives a case whose execution was stopped mid-acceptance: a fresh task email, the case moves on through it, nothing left stalled', async () => {
    const driver = await CaseDriver.file(1);
    const old = await driver.taskLink(SUBJECTS.acceptance);
    const [record] = await complaintsBy(driver.complainantEmail);
    expect(record).toMatchObject({ status: 'acceptance-review', workflowResumeAt: expect.stringMatching(/^Begin/) });

    // The fault: the execution ends under the case while it waits for a task (the local engine's own StopExecution).
    const sfn = new SFNClient({
      endpoint: stack().stepFunctions,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await sfn.send(
      new StopExecutionCommand({
        executionArn:
          record!.executionArn ?? `arn:aws:states:us-east-1:000000000000:execution:ComplaintHandling:${record!.id}`,
        error: 'InjectedFault',
        cause: 'test',
      }),
    );
    expect(await stalledCases()).toEqual([
      expect.objectContaining({ id: record!.id, reason: 'execution-not-running', execution: 'ABORTED' }),
    ]);

    // Once the case has been quiet for the quiet period, the next scheduled run re-drives it.
    await moveClock(SWEEP_QUIET_MS / 1000 + 60);
    const fresh = await driver.taskLink(SUBJECTS.acceptance);
    expect(fresh.url).not.toBe(old.url);
    expect((await fetch(old.url)).status).toBe(410);
    const redriven = (await eventsOf(record!.id)).filter((e) => e.action === 'workflow.redriven');
    expect(redriven).toEqual([
      expect.objectContaining({
        actor: 'system',
        details: expect.objectContaining({
          reason: 'execution-not-running',
          previousStatus: 'ABORTED',
          resumeAt: record!.workflowResumeAt,
        }),
      }),
    ]);

    await driver.act(fresh.url, { decision: 'accept' });
    await driver.taskLink(SUBJECTS.investigation);
    expect(await stalledCases()).toEqual([]);
  });

  it('re-drives a case waiting on the complainant (evidence) whose execution ended: the complainant is asked again, and the deadline stands', async () => {
    const driver = await CaseDriver.file(0, NEEDS_SCREENSHOT);
    await driver.email(SUBJECTS.evidence, driver.complainantEmail);
    const [record] = await complaintsBy(driver.complainantEmail);
    expect(record).toMatchObject({ status: 'awaiting-evidence', workflowResumeAt: 'BeginEvidence' });

    await stopExecutionOf(record!);
    await moveClock(SWEEP_QUIET_MS / 1000 + 60);
    await driver.email(SUBJECTS.evidence, driver.complainantEmail);
    expect((await eventsOf(record!.id)).filter((e) => e.action === 'workflow.redriven')).toEqual([
      expect.objectContaining({
        details: expect.objectContaining({ resumeAt: 'BeginEvidence', previousStatus: 'ABORTED' }),
      }),
    ]);
    const [after] = await complaintsBy(driver.complainantEmail);
    expect(after).toMatchObject({ status: 'awaiting-evidence', deadlineAt: record!.deadlineAt });
    expect(await stalledCases({ only: [record!.id], now: await stackNow() })).toEqual([]);
  });

  it('re-drives a case between steps (a decision recorded after its execution ended, its next task never opened): the next step’s task arrives', async () => {
    const driver = await CaseDriver.file(1);
    const { url } = await driver.taskLink(SUBJECTS.acceptance);
    const [record] = await complaintsBy(driver.complainantEmail);
    await stopExecutionOf(record!);

    // The decision is recorded and opens the investigation; the workflow that would open its task is gone.
    expect((await driver.act(url, { decision: 'accept' })).response.status).toBe(200);
    const [between] = await complaintsBy(driver.complainantEmail);
    expect(between).toMatchObject({ status: 'investigation', workflowResumeAt: 'BeginInvestigation' });
    expect(await stalledCases({ only: [record!.id], now: await stackNow() })).toEqual([
      expect.objectContaining({ reason: 'execution-not-running', execution: 'ABORTED' }),
    ]);

    await moveClock(SWEEP_QUIET_MS / 1000 + 60);
    await driver.taskLink(SUBJECTS.investigation);
    expect((await eventsOf(record!.id)).filter((e) => e.action === 'workflow.redriven')).toEqual([
      expect.objectContaining({
        details: expect.objectContaining({ resumeAt: 'BeginInvestigation', previousStatus: 'ABORTED' }),
      }),
    ]);
    expect(await stalledCases({ only: [record!.id], now: await stackNow() })).toEqual([]);
  });
});
