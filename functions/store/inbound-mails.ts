import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ComplaintEvent } from '../domain/history';
import { dynamo } from '../lib/clients/dynamo';
import { countInWindow } from './rate-windows';
import { getComplaint } from './complaints';
import { complaintKey } from './complaint-key';
import type { ComplaintRecord } from '../domain/complaint';
import { numberKey, type NumberItem } from './numbers';
import { putEvent } from './events';
import { epochSeconds, TTL_ATTRIBUTE, PARTITIONS } from './schema';
import { tableName, writeIf } from './table';

/**
 * Mail received (email in), two items, both keyed by hashes so no address sits in a key:
 *
 *   INBOUND#<sha256(message)>   META          a message taken once (S3 and Lambda deliver at least once)
 *   SENDER#<sha256(address)>    RATE#<hour>   how many mails one sender sent in that hour
 *
 * Both expire by TTL. A reply's history event is written with the complaint's ConditionCheck.
 */
export function inboundMailKey(messageHash: string) {
  return { pk: `${PARTITIONS.inboundMail}${messageHash}`, sk: 'META' };
}

export function senderRateKey(addressHash: string, hour: string) {
  return { pk: `${PARTITIONS.senderRate}${addressHash}`, sk: `RATE#${hour}` };
}

export const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

const isConditionFailure = (error: unknown) => (error as { name?: string })?.name === 'ConditionalCheckFailedException';

/** Takes a message for processing; false when it was taken before (a repeated delivery). */
export async function claimInboundMail(messageHash: string, now: Date, keepDays = 30): Promise<boolean> {
  try {
    await dynamo.send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...inboundMailKey(messageHash),
          receivedAt: now.toISOString(),
          [TTL_ATTRIBUTE]: epochSeconds(now) + keepDays * 86400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** Gives a message back when processing failed, so the retry takes it again. */
export async function releaseInboundMail(messageHash: string): Promise<void> {
  await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: inboundMailKey(messageHash) }));
}

/** Counts one mail from a sender in this hour; false when the sender is already at the limit. */
export function countSenderMail(address: string, now: Date, perHour: number): Promise<boolean> {
  const hour = now.toISOString().slice(0, 13);
  return countInWindow(
    senderRateKey(hashOf(`sender:${address.trim().toLowerCase()}`), hour),
    new Date(`${hour}:59:59.999Z`),
    perHour,
  );
}

/** Appends the complainant's mail to the case's history (the case must exist). */
export async function recordComplainantReply(complaintId: string, event: ComplaintEvent): Promise<void> {
  await writeIf(
    [
      {
        ConditionCheck: {
          TableName: tableName(),
          Key: complaintKey(complaintId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      putEvent(complaintId, event),
    ],
    () => false,
  );
}

/** The complaint a number names (a subject's `[TS-…]`), through its number reservation. */
export async function findComplaintByNumber(number: string): Promise<ComplaintRecord | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName(), Key: numberKey(number) }));
  const complaintId = (Item as NumberItem | undefined)?.complaintId;
  return complaintId ? getComplaint(complaintId) : undefined;
}
