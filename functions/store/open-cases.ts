import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  QueryCommand,
  ScanCommand,
  type BatchGetCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { ComplaintRecord } from '../domain/complaint';
import { dynamo } from '../lib/clients/dynamo';
import { complaintIdOfKey, complaintKey } from './complaint-key';
import { index, PARTITIONS } from './schema';
import { isHourDueKey, sweepDueFields } from './sweep-due';
import { tableName, withoutKeys, writeOneIf } from './table';

/**
 * Open cases, for the stalled-case sweep (app/sweep-stalled-cases.ts): those whose time has
 * passed, from the sparse bySweepDue index (sweep-due.ts: every open case is in it under a shard
 * of its id, by when it should next have moved, keys only), one key at a time, in pages; their
 * records read consistently in batches; and the due time moved on once a case was looked at. A
 * table written before that key also has the checkpoint of its hour-keyed index: the first hour
 * not yet fully swept.
 */

/** What the stalled rule reads of a complaint record, and what a re-drive needs. */
export const SWEEP_FIELDS = [
  'id',
  'status',
  'updatedAt',
  'workflowPending',
  'deadlineAt',
  'currentTaskLinkHash',
  'executionArn',
  'workflowResumeAt',
  'currentStep',
  'sweepDueAt',
] as const;
export type SweptComplaint = Pick<ComplaintRecord, 'id' | 'status' | 'updatedAt'> &
  Partial<Pick<ComplaintRecord, (typeof SWEEP_FIELDS)[number]>>;

/**
 * One page of the cases due by `until` under one partition key of the index, soonest first: their
 * ids and where the next page starts (none: the key is done up to `until`). Eventually
 * consistent, as every index read: a case listed may have moved on since, which its record tells.
 */
export async function dueCasesPage(input: {
  key: string;
  until: string;
  limit: number;
  startKey?: Record<string, unknown>;
}): Promise<{ ids: string[]; next?: Record<string, unknown> }> {
  const bySweepDue = index('bySweepDue');
  const page = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: bySweepDue.IndexName,
      KeyConditionExpression: '#due = :bucket AND #at <= :until',
      ExpressionAttributeNames: { '#due': bySweepDue.partitionKey, '#at': bySweepDue.sortKey },
      ExpressionAttributeValues: { ':bucket': input.key, ':until': input.until },
      Limit: input.limit,
      ...(input.startKey ? { ExclusiveStartKey: input.startKey } : {}),
    }),
  );
  const ids = (page.Items ?? []).flatMap((item) => complaintIdOfKey(item as { pk?: string; sk?: string }) ?? []);
  return { ids, ...(page.LastEvaluatedKey ? { next: page.LastEvaluatedKey } : {}) };
}

/** The sweep fields of these complaints (consistent reads, 100 a request); ids not found are left out. */
export async function sweptComplaints(ids: readonly string[]): Promise<SweptComplaint[]> {
  const found: SweptComplaint[] = [];
  const names = Object.fromEntries(SWEEP_FIELDS.map((field, i) => [`#f${i}`, field]));
  for (let i = 0; i < ids.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + 100).map(complaintKey);
    for (let attempt = 0; keys?.length && attempt < 8; attempt++) {
      const page: BatchGetCommandOutput = await dynamo.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName()]: {
              Keys: keys,
              ConsistentRead: true,
              ProjectionExpression: Object.keys(names).join(', '),
              ExpressionAttributeNames: names,
            },
          },
        }),
      );
      found.push(...(page.Responses?.[tableName()] ?? []).map((item) => withoutKeys<SweptComplaint>(item)));
      keys = page.UnprocessedKeys?.[tableName()]?.Keys;
      if (keys?.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
  return found;
}

/**
 * Moves a case's due time to `at`, only while it is open and still due when the sweep read it
 * (`dueAsRead`): a change of its state written since set its own. False when it had moved on.
 * Nothing else changes (not `updatedAt`: the case did not move).
 */
export function moveDueTime(id: string, dueAsRead: string, at: Date): Promise<boolean> {
  const due = sweepDueFields(id, at);
  return writeOneIf({
    update: {
      TableName: tableName(),
      Key: complaintKey(id),
      UpdateExpression: 'SET sweepDue = :due, sweepDueAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND #status <> :closed AND sweepDueAt = :asRead',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':due': due.sweepDue,
        ':at': due.sweepDueAt,
        ':closed': 'closed',
        ':asRead': dueAsRead,
      },
    },
  });
}

/**
 * Makes an open case due at `at` (no later than it already was) when the execution that ended is
 * the one it runs on: its record's `executionArn`, or, for a case that names none, the intake's
 * execution (named after the case). False when the case closed, runs on another execution, or
 * was already due by then.
 */
export function makeDueNow(
  id: string,
  endedExecutionArn: string,
  intakeExecution: boolean,
  at: Date,
): Promise<boolean> {
  const due = sweepDueFields(id, at);
  const onIt = intakeExecution ? '(executionArn = :arn OR attribute_not_exists(executionArn))' : 'executionArn = :arn';
  return writeOneIf({
    update: {
      TableName: tableName(),
      Key: complaintKey(id),
      UpdateExpression: 'SET sweepDue = :due, sweepDueAt = :at',
      ConditionExpression: `attribute_exists(pk) AND #status <> :closed AND ${onIt} AND (attribute_not_exists(sweepDueAt) OR sweepDueAt > :at)`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':due': due.sweepDue,
        ':at': due.sweepDueAt,
        ':closed': 'closed',
        ':arn': endedExecutionArn,
      },
    },
  });
}

const CHECKPOINT_KEY = { pk: `${PARTITIONS.sweepCheckpoint}checkpoint`, sk: 'META' };

/**
 * The first hour of the hour-keyed index not fully swept (every earlier one held no case due when
 * it was last looked at): only on a table swept before the shard key, until its backfill.
 */
export async function sweepCheckpoint(): Promise<string | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: CHECKPOINT_KEY, ConsistentRead: true }),
  );
  return typeof Item?.sweptBefore === 'string' ? Item.sweptBefore : undefined;
}

/**
 * Records that every hour before `hour` is swept. It only moves forward (two runs at once: the
 * later hour stands), and only a checkpoint that exists: the backfill's removal stands.
 */
export async function advanceSweepCheckpoint(hour: string, at: string): Promise<void> {
  await writeOneIf({
    update: {
      TableName: tableName(),
      Key: CHECKPOINT_KEY,
      UpdateExpression: 'SET sweptBefore = :hour, updatedAt = :at',
      ConditionExpression: 'sweptBefore < :hour',
      ExpressionAttributeValues: { ':hour': hour, ':at': at },
    },
  });
}

/** The hour-keyed index is gone (its backfill moved every case to its shard): no sweep walks its hours again. */
export async function removeSweepCheckpoint(): Promise<void> {
  await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: CHECKPOINT_KEY }));
}

/** Every case still under an hour key of the index, with its due time: a scan of the index's keys, once, by the backfill. */
export async function* hourKeyedDueCases(): AsyncGenerator<{ id: string; sweepDueAt: string }> {
  const bySweepDue = index('bySweepDue');
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({ TableName: tableName(), IndexName: bySweepDue.IndexName, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) {
      const id = complaintIdOfKey(item as { pk?: string; sk?: string });
      if (id && isHourDueKey(String(item.sweepDue)) && typeof item.sweepDueAt === 'string')
        yield { id, sweepDueAt: item.sweepDueAt };
    }
    start = page.LastEvaluatedKey;
  } while (start);
}
