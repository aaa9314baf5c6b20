import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../lib/clients/dynamo';
import { countInWindow, clockHourOf } from './rate-windows';
import { epochSeconds, PARTITIONS, TTL_ATTRIBUTE } from './schema';
import { queryAll, type TransactItems, tableName } from './table';

/**
 * What the desk keeps about a mobile number, under a hash of it (`PHONE#<sha256>`), so no number
 * sits in a key: whether its owner opted out of texts (`OPTOUT`), and how many texts it was sent
 * in each clock hour (`WINDOW#<hour>`, gone an hour after), and which kept cases hold it
 * (`CASE#<complaint id>`, one small item per case, written with the case and deleted with its
 * purge), so the purge of one person's case learns in one bounded read whether anyone else's kept
 * case still needs the number's opt-out: no index by number, no counter to drift on a retried purge.
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

const CASE_PREFIX = 'CASE#';
const holderKey = (e164: string, complaintId: string) => ({
  pk: phonePartition(e164),
  sk: `${CASE_PREFIX}${complaintId}`,
});

/** Records, in the filing's transaction, that a new case holds the number. */
export function holdPhone(e164: string, complaintId: string, at: string): TransactItems[number] {
  return { Put: { TableName: tableName(), Item: { ...holderKey(e164, complaintId), at } } };
}

/** The case's purge: it no longer holds the number (idempotent). */
export async function releasePhone(e164: string, complaintId: string): Promise<void> {
  await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: holderKey(e164, complaintId) }));
}

/**
 * Another case that still holds the number, if any: one read of at most two items however many
 * cases hold it (this case's own item, if not released yet, and one other).
 */
export async function otherPhoneHolder(e164: string, complaintId: string): Promise<string | undefined> {
  const { Items } = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :case)',
      ExpressionAttributeValues: { ':pk': phonePartition(e164), ':case': CASE_PREFIX },
      ProjectionExpression: 'sk',
      Limit: 2,
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).map((item) => String(item.sk).slice(CASE_PREFIX.length)).find((id) => id !== complaintId);
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
 * Deletes what is kept about a number (its opt-out and its hourly counts, the counts of the last
 * hours at most); the number deleted. The purge calls it only when no kept case holds the number
 * any more (domain/erasure.ts complainantItemsToForget). A case's own `CASE#` item is its
 * purge's to delete: one filed meanwhile keeps its own.
 */
export async function forgetPhone(e164: string): Promise<number> {
  const items = (
    await queryAll<{ pk: string; sk: string }>({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': phonePartition(e164) },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    })
  ).filter((item) => !item.sk.startsWith(CASE_PREFIX));
  for (const item of items)
    await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: { pk: item.pk, sk: item.sk } }));
  return items.length;
}
