import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { FormerAddress } from '../domain/erasure';
import { dynamo } from '../lib/clients/dynamo';
import { numberFragmentKeys } from './case-views';
import { complaintKey } from './complaint-key';
import { numberKey } from './numbers';
import { SHORT_LINK_NOTE, shortKey } from './short-links';
import { subjectPointerKey } from './subject-pointers';
import { taskLinkKey } from './task-links';
import { queryAll, tableName } from './table';

/** What the expired complaint record said about where its other items are. */
export interface ExpiredCase {
  complaintId: string;
  number?: string;
  complainantKey?: string;
  subjectKey?: string;
  /** The complainant's mobile number (E.164), whose opt-out and text counts may go with the case. */
  phone?: string;
  /** The complainant's address, whose suppression may go with the case. */
  email?: string;
  /** The keys kept under the addresses the case left (domain/erasure.ts FormerAddress), which may go with it too. */
  formerAddresses?: FormerAddress[];
  /** An address waiting for confirmation, whose suppression (its confirmation mail bounced) may go with the case. */
  pendingEmail?: string;
}

/**
 * Deletes what is left of a case once its record expired, or its personal data once it is erased
 * (`keepRecord`: the record and its number stay, the record to be rewritten as erased): every item
 * of its partition (history events, upload slots, outbox), the task links its events name and the
 * short links its texts carried (noted in the partition), its
 * number and the items that find it by part, and its complainant's pointer on the matter when it
 * still points at this case (under the key the case was filed with, which a corrected address left). Idempotency records expire by their own TTL. Each delete is
 * idempotent, so a retried stream batch deletes nothing twice and fails nothing.
 */
export async function purgeCaseItems(expired: ExpiredCase, options: { keepRecord?: boolean } = {}): Promise<number> {
  const items = await queryAll<{ pk: string; sk: string; details?: { linkIdHash?: unknown } }>({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': complaintKey(expired.complaintId).pk },
    ProjectionExpression: 'pk, sk, #details.linkIdHash',
    ExpressionAttributeNames: { '#details': 'details' },
  });
  // The case's task links (their questions, decisions and the complainant's address on their own
  // steps), named by the events that opened them; deleted before the events that name them.
  const links = new Set(
    items.flatMap((item) => (typeof item.details?.linkIdHash === 'string' ? [item.details.linkIdHash] : [])),
  );
  for (const hash of links) await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: taskLinkKey(hash) }));
  // The short links of its texts (each stands for a tracking or task link), before their notes.
  const shortLinks = items.filter((item) => item.sk.startsWith(SHORT_LINK_NOTE));
  for (const note of shortLinks)
    await dynamo.send(
      new DeleteCommand({ TableName: tableName(), Key: shortKey(note.sk.slice(SHORT_LINK_NOTE.length)) }),
    );
  for (const item of items)
    if (!(options.keepRecord && item.sk === 'META'))
      await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: { pk: item.pk, sk: item.sk } }));
  if (expired.number && !options.keepRecord)
    await dynamo.send(
      new DeleteCommand({
        TableName: tableName(),
        Key: numberKey(expired.number),
        ConditionExpression: 'attribute_not_exists(pk) OR complaintId = :id',
        ExpressionAttributeValues: { ':id': expired.complaintId },
      }),
    );
  const parts = expired.number && !options.keepRecord ? numberFragmentKeys(expired.number) : [];
  for (const key of parts) await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: key }));
  // The pointer was written under the key the case had when filed: its current one, or one it left.
  const pointerKeys = expired.subjectKey
    ? [...new Set([expired.complainantKey, ...(expired.formerAddresses ?? []).map((a) => a.complainantKey)])].filter(
        (key): key is string => !!key,
      )
    : [];
  for (const key of pointerKeys) {
    await dynamo
      .send(
        new DeleteCommand({
          TableName: tableName(),
          Key: subjectPointerKey(key, expired.subjectKey!),
          ConditionExpression: 'complaintId = :id',
          ExpressionAttributeValues: { ':id': expired.complaintId },
        }),
      )
      .catch((error) => {
        // The pointer moved on to a newer case on the same matter (or expired already): it stays.
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      });
  }
  return items.length + links.size + shortLinks.length + (expired.number && !options.keepRecord ? 1 : 0) + parts.length;
}
