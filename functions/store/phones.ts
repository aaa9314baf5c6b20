import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../lib/clients/dynamo';
import { countInWindow, clockHourOf } from './rate-windows';
import { epochSeconds, PARTITIONS, TTL_ATTRIBUTE } from './schema';
import { queryAll, tableName } from './table';

/**
 * What the desk keeps about a mobile number, under a hash of it (`PHONE#<sha256>`), so no number
 * sits in a key: whether its owner opted out of texts (`OPTOUT`), and how many texts it was sent
 * in each clock hour (`WINDOW#<hour>`, gone an hour after).
 */
function phoneKeyOf(e164: string): string {
  return createHash('sha256').update(`phone:${e164}`).digest('hex');
}

const phonePartition = (e164: string) => `${PARTITIONS.phone}${phoneKeyOf(e164)}`;
const optOutKey = (e164: string) => ({ pk: phonePartition(e164), sk: 'OPTOUT' });

export interface OptOut {
  at: string;
  /** What the reply said (T, TD, STOP …). */
  keyword: string;
}

/** Records that a number's owner asked for no more texts (kept with the desk's retention). */
export async function recordOptOut(e164: string, optOut: OptOut, retentionDays: number): Promise<void> {
  await dynamo.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...optOutKey(e164),
        ...optOut,
        [TTL_ATTRIBUTE]: epochSeconds(new Date(optOut.at)) + retentionDays * 86400,
      },
    }),
  );
}

export async function optOutOf(e164: string): Promise<OptOut | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: optOutKey(e164), ConsistentRead: true }),
  );
  return Item ? { at: String(Item.at), keyword: String(Item.keyword) } : undefined;
}

/** Counts a text to a number in this clock hour; false (nothing counted) once `perHour` were. */
export function countText(e164: string, now: Date, perHour: number): Promise<boolean> {
  const { hour, end } = clockHourOf(now);
  return countInWindow({ pk: phonePartition(e164), sk: `WINDOW#${hour}` }, end, perHour);
}

/** When the window of `now` ends: a text over the limit waits until then. */
export function nextWindowAt(now: Date): Date {
  return new Date(clockHourOf(now).end.getTime() + 1);
}

/**
 * Deletes everything kept about a number (its opt-out and its hourly counts: one small
 * partition, the counts of the last hours at most); the number deleted. The purge calls it only
 * when no kept case holds the number any more (domain/erasure.ts complainantItemsToForget).
 */
export async function forgetPhone(e164: string): Promise<number> {
  const items = await queryAll<{ pk: string; sk: string }>({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': phonePartition(e164) },
    ProjectionExpression: 'pk, sk',
    ConsistentRead: true,
  });
  for (const item of items)
    await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: { pk: item.pk, sk: item.sk } }));
  return items.length;
}
