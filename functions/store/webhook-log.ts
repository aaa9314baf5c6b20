import { randomBytes } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../lib/clients/dynamo';
import { epochSeconds, PARTITIONS, TTL_ATTRIBUTE } from './schema';
import { tableName } from './table';

/**
 * The webhook delivery log: one item per try, `WEBHOOKLOG#<hour>#<n>` / `<iso time>#<random>`,
 * kept 14 days (as long as the dead-letter queue keeps what gave up). A try goes to one of
 * LOG_SHARDS partitions of its clock hour at random, so at a million complaints a day (some ten
 * million tries) each partition takes a few writes a second and no key is hot; an hour's
 * partitions are read newest first and merged. No body, no personal data: the event's id, type
 * and case.
 */
export const LOG_SHARDS = 8;
const KEEP_DAYS = 14;

export interface WebhookTry {
  at: string;
  webhook: string;
  eventId: string;
  type: string;
  complaintId?: string;
  /** Which try of this delivery (the queue's receive count), when known. */
  attempt?: number;
  ok: boolean;
  /** The endpoint's HTTP status; none when it did not answer. */
  status?: number;
  error?: string;
  ms: number;
  /** The last try failed: the delivery waits in the dead-letter queue. */
  gaveUp?: boolean;
}

/** `2026-12-07T13`: the clock hour (UTC) of an instant, as the log's partitions name it. */
export const logHourOf = (at: Date) => at.toISOString().slice(0, 13);

const partitionOf = (hour: string, shard: number) => `${PARTITIONS.webhookLog}${hour}#${shard}`;

export async function recordWebhookTry(entry: WebhookTry): Promise<void> {
  const at = new Date(entry.at);
  const shard = randomBytes(1)[0]! % LOG_SHARDS;
  await dynamo.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        pk: partitionOf(logHourOf(at), shard),
        sk: `${entry.at}#${randomBytes(6).toString('hex')}`,
        ...entry,
        [TTL_ATTRIBUTE]: epochSeconds(at) + KEEP_DAYS * 86400,
      },
    }),
  );
}

/**
 * The newest tries of one clock hour (at most `limit`), newest first: each of its partitions read
 * newest first, merged.
 */
export async function listWebhookTries(hour: string, limit: number): Promise<WebhookTry[]> {
  const pages = await Promise.all(
    Array.from({ length: LOG_SHARDS }, (_, shard) =>
      dynamo.send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partitionOf(hour, shard) },
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    ),
  );
  return pages
    .flatMap((page) => page.Items ?? [])
    .sort((a, b) => String(b.sk).localeCompare(String(a.sk)))
    .slice(0, limit)
    .map(({ pk: _pk, sk: _sk, [TTL_ATTRIBUTE]: _ttl, ...entry }) => entry as WebhookTry);
}
