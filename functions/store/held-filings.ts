import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Language } from '../domain/language';
import { dynamo } from '../lib/clients/dynamo';
import { epochSeconds, TTL_ATTRIBUTE, PARTITIONS } from './schema';
import { tableName, writeOneIf } from './table';

/**
 * A filing held until its sender confirms it from their mailbox: `HELD#<sha256 of the link id>`
 * / `META`. A complaint that would make its complainant banned (a matter with a final ruling) is
 * held, not counted: anyone can type someone else's address. It expires unconfirmed.
 */
export interface HeldFiling {
  linkIdHash: string;
  complainantKey: string;
  language: Language;
  ruledComplaintId: string;
  ruledNumber: string;
  channel: string;
  createdAt: string;
  state: 'held' | 'confirmed';
  expiresAt: number;
}

export function heldFilingKey(linkIdHash: string) {
  return { pk: `${PARTITIONS.heldFiling}${linkIdHash}`, sk: 'META' };
}

export async function holdFiling(filing: HeldFiling): Promise<void> {
  await dynamo.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...heldFilingKey(filing.linkIdHash), ...filing, [TTL_ATTRIBUTE]: filing.expiresAt },
    }),
  );
}

export async function getHeldFiling(linkIdHash: string, now: Date): Promise<HeldFiling | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: heldFilingKey(linkIdHash), ConsistentRead: true }),
  );
  // DynamoDB removes expired items eventually, not at once: past its expiry it is gone.
  return Item && Number(Item.expiresAt) > epochSeconds(now) ? (Item as HeldFiling) : undefined;
}

/** Confirms a held filing once; false when it was confirmed already. */
export function confirmHeldFiling(linkIdHash: string, at: string): Promise<boolean> {
  return writeOneIf({
    update: {
      TableName: tableName(),
      Key: heldFilingKey(linkIdHash),
      UpdateExpression: 'SET #state = :confirmed, confirmedAt = :at',
      ConditionExpression: '#state = :held',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':confirmed': 'confirmed', ':held': 'held', ':at': at },
    },
  });
}
