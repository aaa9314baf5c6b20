import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../lib/clients/dynamo';
import { epochSeconds, PARTITIONS } from './schema';
import { tableName } from './table';

/**
 * An Idempotency-Key's record: `IDEMPOTENCY#<sha256 of the key>` / `META`, holding the hash of the
 * body it came with and the first response, until it expires (TTL). Written in the same
 * transaction as what the first request filed, so a retry can never file twice.
 */
export function idempotencyKey(keyHash: string) {
  return { pk: `${PARTITIONS.idempotency}${keyHash}`, sk: 'META' };
}

export interface StoredResponse {
  statusCode: number;
  body: string;
  headers?: Record<string, string>;
  /** For a filing: the tracking link is derived again on replay, never stored. */
  complaintId?: string;
  trackingSalt?: string;
}

export interface IdempotencyRecord {
  bodyHash: string;
  response: StoredResponse;
  createdAt: string;
  expiresAt: number;
}

export interface IdempotencyClaim {
  keyHash: string;
  bodyHash: string;
  hours: number;
}

/** The first response given for this key, while it is remembered. */
export async function findIdempotencyRecord(keyHash: string, now: Date): Promise<IdempotencyRecord | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: idempotencyKey(keyHash), ConsistentRead: true }),
  );
  // TTL deletes lazily (up to days late): an expired record is as good as gone.
  if (!Item || (Item.expiresAt as number) < epochSeconds(now)) return undefined;
  return { bodyHash: Item.bodyHash, response: Item.response, createdAt: Item.createdAt, expiresAt: Item.expiresAt };
}

export function idempotencyPut(claim: IdempotencyClaim, response: StoredResponse, now: Date) {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...idempotencyKey(claim.keyHash),
        bodyHash: claim.bodyHash,
        response,
        createdAt: now.toISOString(),
        expiresAt: epochSeconds(now) + claim.hours * 3600,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowEpoch',
      ExpressionAttributeValues: { ':nowEpoch': epochSeconds(now) },
    },
  };
}
