import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PlatformEvent } from '../domain/platform-events';
import { dynamo } from '../lib/clients/dynamo';
import { complaintKey } from './complaint-key';
import { shardOf } from './schema';
import { queryAll, tableName } from './table';
import { deferOutboxItem, removeOutboxItem } from './outbox-retry';
import { listDueKeys } from './due-index';

/**
 * The event outbox: a platform event (domain/platform-events.ts) is written in the same
 * transaction as the change that causes it (`COMPLAINT#<id>` / `EVTOUT#<event id>`), and deleted
 * once the bus took it. While it waits it sits in the sparse byMailDue index under
 * `EVENTDUE#<n>` (keys only), by when it is next due. It has no expiry: an event is kept until
 * it is published, however long the bus is down. It holds no personal data (the event's rule).
 */
export const EVENT_OUTBOX_PREFIX = 'EVTOUT#';
export const EVENT_DUE_PREFIX = 'EVENTDUE#';
export const EVENT_DUE_SHARDS = 8;
/** The scheduled publisher leaves a new event this long to the try right after its change. */
const FIRST_TRY_GRACE_MS = 60_000;

export type EventOutboxKey = { pk: string; sk: string };

export interface QueuedEvent extends EventOutboxKey {
  event: PlatformEvent;
  queuedAt: string;
  attempts: number;
  dueAt: string;
  mailDue: string;
  lastError?: string;
}

export function queuedEventItem(event: PlatformEvent): QueuedEvent {
  return {
    pk: complaintKey(event.complaintId).pk,
    sk: `${EVENT_OUTBOX_PREFIX}${event.id}`,
    event,
    queuedAt: event.occurredAt,
    attempts: 0,
    dueAt: new Date(new Date(event.occurredAt).getTime() + FIRST_TRY_GRACE_MS).toISOString(),
    mailDue: shardOf(EVENT_DUE_PREFIX, event.id, EVENT_DUE_SHARDS),
  };
}

/** The Puts that record a change's events in its transaction. */
export function putQueuedEvents(events: readonly PlatformEvent[]) {
  return events.map((event) => ({
    Put: { TableName: tableName(), Item: queuedEventItem(event), ConditionExpression: 'attribute_not_exists(pk)' },
  }));
}

/** The events of one case still waiting (usually none, at most a handful: each is deleted once published). */
export async function listCaseEvents(complaintId: string): Promise<QueuedEvent[]> {
  return queryAll<QueuedEvent>({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': complaintKey(complaintId).pk, ':prefix': EVENT_OUTBOX_PREFIX },
    ConsistentRead: true,
  });
}

export async function getQueuedEvent(key: EventOutboxKey): Promise<QueuedEvent | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }),
  );
  return Item as QueuedEvent | undefined;
}

/** Published: the item goes. */
export async function removeQueuedEvent(key: EventOutboxKey): Promise<void> {
  await removeOutboxItem(key);
}

/** A publish failed: count it and set when the next try is due (nothing, if the item is gone meanwhile). */
export async function deferQueuedEvent(
  key: EventOutboxKey,
  attempts: number,
  dueAt: string,
  lastError: string,
): Promise<boolean> {
  return deferOutboxItem(key, { attempts, dueAt, lastError });
}

/** Up to `limit` waiting events due by `now`, soonest first in each shard (their keys). */
export async function listDueEvents(now: string, limit = 1000): Promise<EventOutboxKey[]> {
  return listDueKeys(EVENT_DUE_PREFIX, EVENT_DUE_SHARDS, now, limit);
}
