import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../lib/clients/dynamo';
import { TTL_ATTRIBUTE } from './schema';
import { tableName, writeOneIf } from './table';

/**
 * What the two outboxes (outbox.ts for mail and texts, event-outbox.ts for platform events) do
 * alike with an item once a try is over: a failed try is counted and the next one set due, a
 * finished item goes. Their due listing is one too (due-index.ts).
 */
export type OutboxItemKey = { pk: string; sk: string };

/**
 * A try failed: count it and set when the next one is due (nothing, if the item is gone
 * meanwhile). `expiresAt` (epoch seconds) moves the item's expiry with it, for an outbox whose
 * items expire.
 */
export async function deferOutboxItem(
  { pk, sk }: OutboxItemKey,
  next: { attempts: number; dueAt: string; lastError: string; expiresAt?: number },
): Promise<boolean> {
  const expires = next.expiresAt !== undefined;
  return writeOneIf({
    update: {
      TableName: tableName(),
      Key: { pk, sk },
      UpdateExpression: `SET attempts = :attempts, dueAt = :due, lastError = :error${expires ? ', #ttl = :ttl' : ''}`,
      ConditionExpression: 'attribute_exists(pk)',
      ...(expires ? { ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE } } : {}),
      ExpressionAttributeValues: {
        ':attempts': next.attempts,
        ':due': next.dueAt,
        ':error': next.lastError,
        ...(expires ? { ':ttl': next.expiresAt } : {}),
      },
    },
  });
}

/** Done with (sent, published, or given up): the item goes. */
export async function removeOutboxItem({ pk, sk }: OutboxItemKey): Promise<void> {
  await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: { pk, sk } }));
}
