import { randomBytes } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../lib/clients/dynamo';
import type { ComplaintEvent } from '../domain/history';
import { complaintKey } from './complaint-key';
import { queryAll, tableName } from './table';

/** A history event: `COMPLAINT#<id>` / `EVENT#<iso time>#<order>`, never changed once written. */
export const EVENT_PREFIX = 'EVENT#';

export type EventItem = ComplaintEvent & { pk: string; sk: string; complaintId: string };

export function eventKey(complaintId: string, at: string, seq: number) {
  return { pk: complaintKey(complaintId).pk, sk: `${EVENT_PREFIX}${at}#${String(seq).padStart(5, '0')}` };
}

function eventItem(complaintId: string, event: ComplaintEvent, order: number): EventItem {
  // Events written together keep their order; a random part keeps two writers of the same
  // millisecond apart.
  return {
    ...eventKey(complaintId, event.at, order * 1000 + (randomBytes(2).readUInt16BE() % 1000)),
    complaintId,
    ...event,
  };
}

/** The Put that appends one event; `order` ranks events written in one transaction. */
export function putEvent(complaintId: string, event: ComplaintEvent, order = 0) {
  return {
    Put: {
      TableName: tableName(),
      Item: eventItem(complaintId, event, order),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export async function listEvents(id: string): Promise<ComplaintEvent[]> {
  const items = await queryAll<EventItem>({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': complaintKey(id).pk, ':prefix': EVENT_PREFIX },
    ConsistentRead: true,
  });
  return items.map((item) => ({
    at: item.at,
    actor: item.actor,
    action: item.action,
    ...(item.details ? { details: item.details } : {}),
  }));
}

/** Appends one event on its own (a record of something that changes nothing else on the case). */
export async function appendEvent(complaintId: string, event: ComplaintEvent): Promise<void> {
  await dynamo.send(new PutCommand(putEvent(complaintId, event).Put));
}
