import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ComplaintEvent } from '../domain/history';
import type { TextOutcome } from '../domain/sms';
import { dynamo } from '../lib/clients/dynamo';
import { complaintKey } from './complaint-key';
import { putEvent } from './events';
import { epochSeconds, TTL_ATTRIBUTE } from './schema';
import { tableName, writeIf } from './table';

/**
 * A text sent about a case: `COMPLAINT#<id>` / `TEXT#<message id>`, with its template, when it
 * left, and what the provider's delivery events said of it (`status`: sent, then pending,
 * delivered, failed or unknown; `final` once the last event came). One small item per text, in
 * its case's partition: it goes with the case's purge (case-purge.ts) and expires with the desk's
 * retention. The provider's message id is random, so no key is shared between cases.
 */
export const TEXT_PREFIX = 'TEXT#';

export type TextStatus = 'sent' | TextOutcome;

export interface TextItem {
  complaintId: string;
  messageId: string;
  template?: string;
  sentAt?: string;
  status: TextStatus;
  statusAt?: string;
  eventType?: string;
  final?: boolean;
}

export const textKey = (complaintId: string, messageId: string) => ({
  pk: complaintKey(complaintId).pk,
  sk: `${TEXT_PREFIX}${messageId}`,
});

/**
 * Notes a text the provider took. A delivery event may come first (it is written by another
 * function): the status it wrote stays.
 */
export async function recordTextSent(
  complaintId: string,
  messageId: string,
  template: string,
  at: Date,
  keepDays: number,
): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: textKey(complaintId, messageId),
      UpdateExpression:
        'SET complaintId = :id, messageId = :m, template = :t, sentAt = :at, #status = if_not_exists(#status, :sent), #ttl = :ttl',
      ExpressionAttributeNames: { '#status': 'status', '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: {
        ':id': complaintId,
        ':m': messageId,
        ':t': template,
        ':at': at.toISOString(),
        ':sent': 'sent',
        ':ttl': epochSeconds(at) + keepDays * 86400,
      },
    }),
  );
}

/**
 * Records what a delivery event said of a text, and `event` in the case's history with it (both
 * or neither). Nothing changes once the text's final event is recorded, so a repeated delivery of
 * the same event (SNS retries) writes its history entry once; nothing is written for a case that
 * is gone. False when nothing was written for either reason.
 */
export async function recordTextStatus(
  complaintId: string,
  messageId: string,
  status: { outcome: TextOutcome; eventType: string; at: string; final: boolean },
  keepDays: number,
  event?: ComplaintEvent,
): Promise<boolean> {
  return writeIf([
    {
      ConditionCheck: {
        TableName: tableName(),
        Key: complaintKey(complaintId),
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
    {
      Update: {
        TableName: tableName(),
        Key: textKey(complaintId, messageId),
        UpdateExpression:
          'SET complaintId = :id, messageId = :m, #status = :s, statusAt = :at, eventType = :e, #final = :f, #ttl = if_not_exists(#ttl, :ttl)',
        ConditionExpression: 'attribute_not_exists(#final) OR #final = :no',
        ExpressionAttributeNames: { '#status': 'status', '#final': 'final', '#ttl': TTL_ATTRIBUTE },
        ExpressionAttributeValues: {
          ':id': complaintId,
          ':m': messageId,
          ':s': status.outcome,
          ':at': status.at,
          ':e': status.eventType,
          ':f': status.final,
          ':no': false,
          ':ttl': epochSeconds(new Date(status.at)) + keepDays * 86400,
        },
      },
    },
    ...(event ? [putEvent(complaintId, event)] : []),
  ]);
}
