import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type LegalHold, purgeDueFields } from '../domain/erasure';
import type { ComplaintRecord } from '../domain/complaint';
import type { ComplaintEvent } from '../domain/history';
import { dynamo } from '../lib/clients/dynamo';
import { complaintIdOfKey, complaintKey } from './complaint-key';
import { putEvent } from './events';
import { index, PARTITIONS } from './schema';
import { tableName, type TransactItems, updateExpression, writeIf, writeOneIf } from './table';

/**
 * A case's erasure on its record (domain/erasure.ts): the request and its deadline, the legal
 * hold, the purge's claim, and what is left once erased; the byPurgeDue index the purge reads;
 * and the purge's checkpoint, the first day not yet fully purged.
 */

/** Records the request on a closed case with its event and mail: due at `dueAt` unless a hold defers it. False when erasure was asked for already or the case is not closed. */
export function recordErasureRequest(
  c: Pick<ComplaintRecord, 'id' | 'legalHold'>,
  at: string,
  dueAt: Date,
  event: ComplaintEvent,
  extra: TransactItems,
): Promise<boolean> {
  const update = updateExpression({
    erasureRequestedAt: at,
    erasureDueAt: dueAt.toISOString(),
    updatedAt: at,
    ...(c.legalHold ? {} : purgeDueFields(c.id, dueAt)),
  });
  return writeIf(
    [
      {
        Update: {
          TableName: tableName(),
          Key: complaintKey(c.id),
          ...update,
          ConditionExpression:
            'attribute_exists(pk) AND #status = :closed AND attribute_not_exists(erasureRequestedAt)',
          ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#status': 'status' },
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':closed': 'closed' },
        },
      },
      putEvent(c.id, event),
      ...extra,
    ],
    (failed) => failed.includes(0),
  );
}

/**
 * Places a hold: the case leaves the purge index and its expiry is put aside (heldExpiresAt) until
 * the release. False when a hold is in place, the purge has claimed the case, or it changed since
 * it was read (its expiry, as read, is what is put aside).
 */
export function recordLegalHold(
  c: Pick<ComplaintRecord, 'id' | 'expiresAt'>,
  hold: LegalHold,
  event: ComplaintEvent,
  extra: TransactItems,
): Promise<boolean> {
  const update = updateExpression({
    legalHold: hold,
    updatedAt: hold.at,
    purgeDue: undefined,
    purgeDueAt: undefined,
    expiresAt: undefined,
    ...(c.expiresAt ? { heldExpiresAt: c.expiresAt } : {}),
  });
  return writeIf(
    [
      {
        Update: {
          TableName: tableName(),
          Key: complaintKey(c.id),
          ...update,
          ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(legalHold) AND attribute_not_exists(erasingAt) AND attribute_not_exists(erasedAt) AND ${c.expiresAt ? 'expiresAt = :readExpiry' : 'attribute_not_exists(expiresAt)'}`,
          ExpressionAttributeValues: {
            ...update.ExpressionAttributeValues,
            ...(c.expiresAt ? { ':readExpiry': c.expiresAt } : {}),
          },
        },
      },
      putEvent(c.id, event),
      ...extra,
    ],
    (failed) => failed.includes(0),
  );
}

/** Releases the hold: the expiry comes back, and an erasure asked for is due again (no earlier than `dueAt`). False when no hold is in place. */
export function releaseLegalHold(
  c: Pick<ComplaintRecord, 'id' | 'heldExpiresAt' | 'erasureRequestedAt' | 'erasedAt'>,
  at: string,
  dueAt: Date,
  event: ComplaintEvent,
  extra: TransactItems,
): Promise<boolean> {
  const update = updateExpression({
    legalHold: undefined,
    heldExpiresAt: undefined,
    updatedAt: at,
    ...(c.heldExpiresAt ? { expiresAt: c.heldExpiresAt } : {}),
    ...(c.erasureRequestedAt && !c.erasedAt ? purgeDueFields(c.id, dueAt) : {}),
  });
  return writeIf(
    [
      {
        Update: {
          TableName: tableName(),
          Key: complaintKey(c.id),
          ...update,
          ConditionExpression: 'attribute_exists(pk) AND attribute_exists(legalHold)',
        },
      },
      putEvent(c.id, event),
      ...extra,
    ],
    (failed) => failed.includes(0),
  );
}

/**
 * The purge claims a due case before it deletes anything: from then on no hold can be placed, so
 * a hold never lands on a half-erased case. It stays in the index until erased, so a purge that
 * stopped half-way is taken up again by the next run. False when held or no longer due.
 */
export function claimErasure(id: string, at: string): Promise<boolean> {
  return writeOneIf({
    update: {
      TableName: tableName(),
      Key: complaintKey(id),
      UpdateExpression: 'SET erasingAt = if_not_exists(erasingAt, :at)',
      ConditionExpression:
        'attribute_exists(pk) AND attribute_exists(purgeDue) AND purgeDueAt <= :at AND attribute_not_exists(legalHold) AND attribute_not_exists(erasedAt)',
      ExpressionAttributeValues: { ':at': at },
    },
  });
}

/** Replaces the record with what is left of it once erased (out of every index), with the event that says so. */
export async function writeErasedRecord(record: ComplaintRecord, event: ComplaintEvent): Promise<boolean> {
  return writeIf(
    [
      {
        Put: {
          TableName: tableName(),
          Item: { ...complaintKey(record.id), ...record },
          ConditionExpression:
            'attribute_exists(pk) AND attribute_exists(erasingAt) AND attribute_not_exists(erasedAt)',
        },
      },
      putEvent(record.id, event),
    ],
    (failed) => failed.includes(0),
  );
}

/** One page of the cases due for erasure by `until` under one key of the index (a shard, or a day's shard). */
export async function duePurgesPage(input: {
  key: string;
  until: string;
  limit: number;
  startKey?: Record<string, unknown>;
}): Promise<{ ids: string[]; next?: Record<string, unknown> }> {
  const byPurgeDue = index('byPurgeDue');
  const page = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: byPurgeDue.IndexName,
      KeyConditionExpression: '#due = :key AND #at <= :until',
      ExpressionAttributeNames: { '#due': byPurgeDue.partitionKey, '#at': byPurgeDue.sortKey },
      ExpressionAttributeValues: { ':key': input.key, ':until': input.until },
      Limit: input.limit,
      ...(input.startKey ? { ExclusiveStartKey: input.startKey } : {}),
    }),
  );
  const ids = (page.Items ?? []).flatMap((item) => complaintIdOfKey(item as { pk?: string; sk?: string }) ?? []);
  return { ids, ...(page.LastEvaluatedKey ? { next: page.LastEvaluatedKey } : {}) };
}

const CHECKPOINT_KEY = { pk: `${PARTITIONS.sweepCheckpoint}purge`, sk: 'META' };

/**
 * The day-keyed index's checkpoint, on a table written before the index was keyed by shard: the
 * first day not fully read, and the last day a day-keyed case can fall due (set when this release
 * first moves it).
 */
export async function purgeCheckpoint(): Promise<{ purgedBefore: string; dayKeyedUntil?: string } | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: CHECKPOINT_KEY, ConsistentRead: true }),
  );
  if (typeof Item?.purgedBefore !== 'string') return undefined;
  return {
    purgedBefore: Item.purgedBefore,
    ...(typeof Item.dayKeyedUntil === 'string' ? { dayKeyedUntil: Item.dayKeyedUntil } : {}),
  };
}

/** Records that every day before `day` is read: it only moves forward, and only a checkpoint that exists. */
export async function advancePurgeCheckpoint(day: string, dayKeyedUntil: string, at: string): Promise<void> {
  await writeOneIf({
    update: {
      TableName: tableName(),
      Key: CHECKPOINT_KEY,
      UpdateExpression:
        'SET purgedBefore = :day, dayKeyedUntil = if_not_exists(dayKeyedUntil, :until), updatedAt = :at',
      ConditionExpression: 'attribute_exists(purgedBefore) AND purgedBefore < :day',
      ExpressionAttributeValues: { ':day': day, ':until': dayKeyedUntil, ':at': at },
    },
  });
}

/** Removes the checkpoint once its walk has read past every day a day-keyed case can fall due. */
export async function removePurgeCheckpoint(purgedBefore: string): Promise<void> {
  await writeOneIf({
    delete: {
      TableName: tableName(),
      Key: CHECKPOINT_KEY,
      ConditionExpression: 'purgedBefore = :day',
      ExpressionAttributeValues: { ':day': purgedBefore },
    },
  });
}
