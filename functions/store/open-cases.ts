import { BatchGetCommand, GetCommand, QueryCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { ComplaintRecord } from '../domain/complaint';
import { dynamo } from '../lib/clients/dynamo';
import { complaintIdOfKey, complaintKey } from './complaint-key';
import { index, PARTITIONS } from './schema';
import { sweepDueFields, sweepDueKey } from './sweep-due';
import { tableName, withoutKeys, writeOneIf } from './table';

/**
 * Open cases, for the stalled-case sweep (app/sweep-stalled-cases.ts): those whose time has
 * passed, from the sparse bySweepDue index (sweep-due.ts: every open case is in it under the hour
 * it should next have moved by, keys only), one hour bucket and shard at a time, in pages; their
 * records read consistently in batches; the due time moved on once a case was looked at; and the
 * sweep's checkpoint, the first hour not yet fully swept, so a run starts where the last stopped.
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
 * One page of the cases due by `until` in one hour bucket's shard, soonest first: their ids and
 * where the next page starts (none: the shard is done up to `until`). Eventually consistent, as
 * every index read: a case listed may have moved on since, which its record tells.
 */
export async function dueCasesPage(input: {
  hour: string;
  shard: number;
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
      ExpressionAttributeValues: { ':bucket': sweepDueKey(input.hour, input.shard), ':until': input.until },
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

/** The first hour bucket the sweep has not fully swept (every earlier one held no case due when it last looked), if any run recorded one. */
export async function sweepCheckpoint(): Promise<string | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: CHECKPOINT_KEY, ConsistentRead: true }),
  );
  return typeof Item?.sweptBefore === 'string' ? Item.sweptBefore : undefined;
}

/** Records that every hour before `hour` is swept; it only moves forward (two runs at once: the later hour stands). */
export async function advanceSweepCheckpoint(hour: string, at: string): Promise<void> {
  await writeOneIf({
    update: {
      TableName: tableName(),
      Key: CHECKPOINT_KEY,
      UpdateExpression: 'SET sweptBefore = :hour, updatedAt = :at',
      ConditionExpression: 'attribute_not_exists(sweptBefore) OR sweptBefore < :hour',
      ExpressionAttributeValues: { ':hour': hour, ':at': at },
    },
  });
}
