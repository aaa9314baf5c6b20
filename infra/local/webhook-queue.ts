import { createHash } from 'node:crypto';
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../functions/lib/clients/dynamo';
import { epochSeconds, TTL_ATTRIBUTE } from '../../functions/store/schema';
import { tableName } from '../../functions/store/table';

/** One try of a webhook delivery. */
export interface DeliveryAttempt {
  at: string;
  ok: boolean;
  error?: string;
}

/** One webhook delivery the local bus holds: each try, and where it stands. */
export interface LocalDelivery {
  id: string;
  webhook: string;
  url: string;
  eventId: string;
  type: string;
  state: 'pending' | 'delivered' | 'dead-letter';
  attempts: DeliveryAttempt[];
  nextTryAt?: string;
  /** What the queue carries: `{ webhook, event }`. */
  message: string;
}

/**
 * The local bus's webhook queue, kept in the table as the cloud's SQS queue keeps its messages: a
 * delivery waiting for a try (or its retry) survives a stop of `npm start`, and the restarted
 * stack tries it when it falls due. Only the local stack writes these items (no function does):
 * `LOCALBUS#deliveries#<n>` / `DELIVERY#<id>`, spread over a few partitions by the delivery's id.
 * A delivered message leaves the queue, as SQS deletes a consumed one; a dead-lettered one stays
 * 14 days (the dead-letter queue's retention), so the delivery page still lists it.
 */
const SHARDS = 4;
const PREFIX = 'LOCALBUS#deliveries#';
const DEAD_LETTER_DAYS = 14;

const keyOf = (id: string) => ({
  pk: `${PREFIX}${createHash('sha256').update(id).digest()[0]! % SHARDS}`,
  sk: `DELIVERY#${id}`,
});

export interface DurableDeliveries {
  /** Every delivery still queued or dead-lettered, oldest first. */
  load(): Promise<LocalDelivery[]>;
  /** Records a delivery's state: a pending or dead-lettered one is kept, a delivered one removed. */
  save(delivery: LocalDelivery, nowMs: number): Promise<void>;
}

export const deliveriesInTable: DurableDeliveries = {
  async load() {
    const found: LocalDelivery[] = [];
    for (let shard = 0; shard < SHARDS; shard++) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await dynamo.send(
          new QueryCommand({
            TableName: tableName(),
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': `${PREFIX}${shard}` },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) found.push(item.delivery as LocalDelivery);
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return found.sort((a, b) =>
      (a.attempts[0]?.at ?? a.nextTryAt ?? '').localeCompare(b.attempts[0]?.at ?? b.nextTryAt ?? ''),
    );
  },

  async save(delivery, nowMs) {
    if (delivery.state === 'delivered') {
      await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: keyOf(delivery.id) }));
      return;
    }
    await dynamo.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keyOf(delivery.id),
          delivery,
          ...(delivery.state === 'dead-letter'
            ? { [TTL_ATTRIBUTE]: epochSeconds(new Date(nowMs)) + DEAD_LETTER_DAYS * 86400 }
            : {}),
        },
      }),
    );
  },
};
