import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ComplaintRecord } from '../domain/complaint';
import { dynamo } from '../lib/clients/dynamo';
import { getComplaint } from './complaints';
import { epochSeconds, PARTITIONS } from './schema';
import { tableName } from './table';

/**
 * A complainant's latest complaint on one matter: `COMPLAINANT#<complainantKey>` /
 * `SUBJECT#<subjectKey>`, for as long as a repeat counts as a duplicate (its expiry). Filing moves
 * it with a condition on the complaint it pointed at, so two filings at once cannot both be new.
 */
export function subjectPointerKey(complainantKey: string, subjectKey: string) {
  return { pk: `${PARTITIONS.complainant}${complainantKey}`, sk: `SUBJECT#${subjectKey}` };
}

/** The complainant's latest complaint on this matter, if the pointer is still within its window. */
export async function findLatestOnSubject(
  complainantKey: string,
  subjectKey: string,
  now: Date,
): Promise<{ complaintId: string; complaint?: ComplaintRecord } | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({
      TableName: tableName(),
      Key: subjectPointerKey(complainantKey, subjectKey),
      ConsistentRead: true,
    }),
  );
  if (!Item || (Item.expiresAt as number) < epochSeconds(now)) return undefined;
  return { complaintId: Item.complaintId, complaint: await getComplaint(Item.complaintId) };
}

/** The Put that points this complainant's matter at a new complaint; it loses to a concurrent move. */
export function movePointer(input: {
  complainantKey: string;
  subjectKey: string;
  complaintId: string;
  receivedAt: string;
  previous?: string;
  days: number;
  now: Date;
}) {
  const { now } = input;
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...subjectPointerKey(input.complainantKey, input.subjectKey),
        complaintId: input.complaintId,
        receivedAt: input.receivedAt,
        expiresAt: epochSeconds(now) + input.days * 86400,
      },
      ConditionExpression: input.previous
        ? 'attribute_not_exists(pk) OR complaintId = :prev OR expiresAt < :nowEpoch'
        : 'attribute_not_exists(pk) OR expiresAt < :nowEpoch',
      ExpressionAttributeValues: {
        ':nowEpoch': epochSeconds(now),
        ...(input.previous ? { ':prev': input.previous } : {}),
      },
    },
  };
}
