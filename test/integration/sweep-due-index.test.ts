import { StartExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SWEEP_QUIET_MS } from '../../functions/domain/stalled';
import { dueHourOf, SWEEP_DUE_SHARDS } from '../../functions/store/sweep-due';
import { RIG_TABLE, startSweepRig } from '../support/sweep-rig';
import { seedOpenCases, writeSeed } from '../support/sweep-seed';

/**
 * The sweep's reading, on a table of its own (a private DynamoDB Local, the local Step Functions
 * engine whose executions never finish; test/support/sweep-rig.ts): 600 open cases as a busy desk
 * holds them, 30 of them quiet, past due and with no execution (test/support/sweep-seed.ts). The
 * sweep use case is called directly, as its Lambda calls it.
 */
let rig: Awaited<ReturnType<typeof startSweepRig>>;
let stalledIds: string[] = [];
let sweep: typeof import('../../functions/app/sweep-stalled-cases');
const OPEN = 600;
const STALLED = 30;

const recordOf = async (id: string) =>
  (await rig.documents.send(new GetCommand({ TableName: RIG_TABLE, Key: { pk: `COMPLAINT#${id}`, sk: 'META' } })))
    .Item!;
const sweepQueries = (before: ReturnType<typeof rig.meter.reading>) =>
  (rig.meter.reading().readRequestsByRead['Query bySweepDue'] ?? 0) -
  (before.readRequestsByRead['Query bySweepDue'] ?? 0);
const redrivenCount = async (id: string) => {
  const { listEvents } = await import('../../functions/store/events');
  return (await listEvents(id)).filter((event) => event.action === 'workflow.redriven').length;
};

beforeAll(async () => {
  rig = await startSweepRig();
  ({ stalledIds } = await writeSeed(
    rig.documents,
    RIG_TABLE,
    seedOpenCases({ open: OPEN, stalled: STALLED, now: new Date() }),
  ));
  sweep = await import('../../functions/app/sweep-stalled-cases');
});
afterAll(async () => {
  await rig?.stop();
});

describe('the stalled-case sweep over the due index', () => {
  it('stops taking cases when its time is up, keeping its place; the next run goes on, and every stalled case is re-driven once', async () => {
    const first = await sweep.sweepStalledCases({ budgetMs: 300, describesPerSecond: 20, pageSize: 5 });
    expect(first.stoppedForTime).toBe(true);
    expect(first.redriven).toBeLessThan(STALLED);

    const before = rig.meter.reading();
    const second = await sweep.sweepStalledCases({ budgetMs: 120_000, describesPerSecond: Infinity, pageSize: 5 });
    const read = rig.meter.reading().readUnits - before.readUnits;
    expect(second.stoppedForTime).toBe(false);
    expect(first.redriven + second.redriven).toBe(STALLED);
    for (const id of stalledIds) expect(await redrivenCount(id), id).toBe(1);
    // What is due is read, not what is open: a page of keys, a record and a link read per due case, and the re-drive's reads.
    expect(read).toBeLessThan(OPEN / 2);

    // Each re-driven case is due again within minutes (its task should open by then); nothing else was due.
    const now = Date.now();
    for (const id of stalledIds) {
      const due = Date.parse((await recordOf(id)).sweepDueAt as string);
      expect(due, id).toBeGreaterThan(now);
      expect(due, id).toBeLessThanOrEqual(now + SWEEP_QUIET_MS);
    }
    const beforeIdle = rig.meter.reading();
    const third = await sweep.sweepStalledCases({ budgetMs: 120_000 });
    expect(third).toMatchObject({ due: 0, judged: 0, redriven: 0, stoppedForTime: false });
    // Nothing due: a query of each shard, and no hours to walk (a table swept by shard keeps no checkpoint).
    expect(sweepQueries(beforeIdle)).toBe(SWEEP_DUE_SHARDS);
    expect(third.sweptBefore).toBeUndefined();
  });

  it('looks again later, backing off, at a due case whose execution still runs, and re-drives nothing', async () => {
    const [stillRunning] = stalledIds;
    const { moveDueTime } = await import('../../functions/store/open-cases');
    const record = await recordOf(stillRunning!);
    const dueAgo = new Date(Date.now() - 60_000);
    expect(await moveDueTime(stillRunning!, record.sweepDueAt as string, dueAgo)).toBe(true);
    const sfn = new SFNClient({});
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: process.env.STATE_MACHINE_ARN,
        name: `${stillRunning}-running`,
        input: JSON.stringify({ complaintId: stillRunning, faults: { count: 0 } }),
      }),
    );
    await rig.documents.send(
      new (await import('@aws-sdk/lib-dynamodb')).UpdateCommand({
        TableName: RIG_TABLE,
        Key: { pk: `COMPLAINT#${stillRunning}`, sk: 'META' },
        UpdateExpression: 'SET executionArn = :arn, updatedAt = :quiet',
        ExpressionAttributeValues: {
          ':arn': executionArn,
          ':quiet': new Date(Date.now() - 3 * 3_600_000).toISOString(),
        },
      }),
    );

    const run = await sweep.sweepStalledCases({ budgetMs: 120_000 });
    expect(run).toMatchObject({ due: 1, judged: 1, redriven: 0, lookedAgainLater: 1 });
    expect(await redrivenCount(stillRunning!)).toBe(1);
    // Three hours without moving: looked at again in an hour, not every run.
    const next = Date.parse((await recordOf(stillRunning!)).sweepDueAt as string);
    expect(next).toBeGreaterThanOrEqual(Date.now() + 50 * 60_000);
  });

  it('makes an open case due at once when the execution it runs on ends, and no other', async () => {
    const [, ended, other] = stalledIds;
    const arnOf = (id: string) => `${process.env.STATE_MACHINE_ARN!.replace(':stateMachine:', ':execution:')}:${id}`;
    const endedRecord = await recordOf(ended!);
    const detail = (id: string, executionArn: string) => ({
      executionArn,
      name: executionArn.split(':').pop(),
      status: 'ABORTED',
      input: JSON.stringify({ complaintId: id, faults: { count: 0 } }),
    });
    // Its current execution (the re-drive recorded it): due now.
    expect(await sweep.noteExecutionEnded(detail(ended!, endedRecord.executionArn as string))).toEqual({ due: true });
    expect(Date.parse((await recordOf(ended!)).sweepDueAt as string)).toBeLessThanOrEqual(Date.now());
    // An execution it no longer runs on (its intake's, replaced by the re-drive), or one that succeeded: nothing.
    const otherDue = (await recordOf(other!)).sweepDueAt;
    expect(await sweep.noteExecutionEnded(detail(other!, arnOf(other!)))).toEqual({ due: false });
    expect(
      await sweep.noteExecutionEnded({
        ...detail(other!, (await recordOf(other!)).executionArn as string),
        status: 'SUCCEEDED',
      }),
    ).toEqual({ due: false });
    expect((await recordOf(other!)).sweepDueAt).toBe(otherDue);
  });

  it('on a table swept before the shard key, walks the hours from their checkpoint until the backfill moves what is left to its shard', async () => {
    const [, , , , , found, waiting] = stalledIds;
    const hourKey = (at: number) => `DUE#${dueHourOf(new Date(at))}#3`;
    // What the tests above left due is looked at first.
    await sweep.sweepStalledCases({ budgetMs: 120_000 });
    // As an older release left them: cases under the hour of their due time, and the checkpoint of the hours.
    const asHourKeyed = (id: string, dueAt: number, quietSince: number) =>
      rig.documents.send(
        new UpdateCommand({
          TableName: RIG_TABLE,
          Key: { pk: `COMPLAINT#${id}`, sk: 'META' },
          UpdateExpression: 'SET sweepDue = :due, sweepDueAt = :at, updatedAt = :quiet',
          ExpressionAttributeValues: {
            ':due': hourKey(dueAt),
            ':at': new Date(dueAt).toISOString(),
            ':quiet': new Date(quietSince).toISOString(),
          },
        }),
      );
    const now = Date.now();
    await asHourKeyed(found!, now - 2 * 3_600_000, now - 3 * 3_600_000);
    await asHourKeyed(waiting!, now + 2 * 86_400_000, now - 3 * 3_600_000);
    const checkpoint = dueHourOf(new Date(now - 3 * 3_600_000));
    await rig.documents.send(
      new PutCommand({
        TableName: RIG_TABLE,
        Item: { pk: 'SWEEP#checkpoint', sk: 'META', sweptBefore: checkpoint, updatedAt: new Date(now).toISOString() },
      }),
    );

    // The sweep reads its shards, then the hours from the checkpoint: the case due two hours ago is
    // found (its execution runs: a later look, under its shard), and the checkpoint moves on.
    const before = rig.meter.reading();
    const run = await sweep.sweepStalledCases({ budgetMs: 120_000 });
    expect(run).toMatchObject({ due: 1, judged: 1, redriven: 0, lookedAgainLater: 1 });
    expect(sweepQueries(before)).toBeGreaterThanOrEqual(SWEEP_DUE_SHARDS * 4);
    expect(run.sweptBefore! > checkpoint).toBe(true);
    expect((await recordOf(found!)).sweepDue).toMatch(/^DUE#[0-7]$/);
    expect((await recordOf(waiting!)).sweepDue).toBe(hourKey(now + 2 * 86_400_000));

    // The backfill moves the case still under an hour to its shard, due as it was, and ends the walk.
    const { backfillSweepDue } = await import('../../functions/app/backfill-sweep-due');
    const dueAt = (await recordOf(waiting!)).sweepDueAt;
    expect(await backfillSweepDue()).toEqual({ cases: 1, placed: 1, changed: 0 });
    expect(await recordOf(waiting!)).toMatchObject({
      sweepDue: expect.stringMatching(/^DUE#[0-7]$/),
      sweepDueAt: dueAt,
    });
    const checkpointItem = await rig.documents.send(
      new GetCommand({ TableName: RIG_TABLE, Key: { pk: 'SWEEP#checkpoint', sk: 'META' } }),
    );
    expect(checkpointItem.Item).toBeUndefined();
    const afterBackfill = rig.meter.reading();
    const next = await sweep.sweepStalledCases({ budgetMs: 120_000 });
    expect(next.sweptBefore).toBeUndefined();
    expect(sweepQueries(afterBackfill)).toBe(SWEEP_DUE_SHARDS);
    expect(await backfillSweepDue()).toEqual({ cases: 0, placed: 0, changed: 0 });
  });
});
