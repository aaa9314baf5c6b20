import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ComplaintEvent } from '../domain/history';
import type { QuarantineReason, UploadRequest, UploadSlot } from '../domain/evidence-policy';
import { dynamo } from '../lib/clients/dynamo';
import { complaintKey } from './complaints';
import { putEvent } from './events';
import { tableName, updateExpression, withoutKeys, writeIf, type TransactItems } from './table';

/**
 * An evidence upload handed out: `COMPLAINT#<id>` / `UPLOAD#<slot>`, from the grant until its
 * object lands and is recorded or quarantined (state). The object itself is in S3
 * (evidence-objects.ts), under a key made from the same slot.
 */
export function uploadSlotKey(complaintId: string, slot: string) {
  return { pk: complaintKey(complaintId).pk, sk: `UPLOAD#${slot}` };
}

export class UploadLimitReachedError extends Error {
  constructor() {
    super('upload limit reached');
    this.name = 'UploadLimitReachedError';
  }
}

/**
 * Records one upload handed out against the complaint (what was asked for, by when), counted so
 * a complaint cannot collect unlimited slots.
 */
export async function issueUploadSlot(input: {
  complaintId: string;
  key: string;
  slot: string;
  request: UploadRequest;
  maxBytes: number;
  maxSlots: number;
  expiresInSeconds: number;
  now: Date;
}): Promise<UploadSlot> {
  const { slot, key } = input;
  const uploadBy = new Date(input.now.getTime() + input.expiresInSeconds * 1000).toISOString();
  const record: UploadSlot = {
    complaintId: input.complaintId,
    slot,
    key,
    fileName: input.request.fileName,
    contentType: input.request.contentType,
    declaredSize: input.request.size,
    maxBytes: input.maxBytes,
    createdAt: input.now.toISOString(),
    uploadBy,
    state: 'issued',
  };
  const issued = await writeIf(
    [
      {
        Update: {
          TableName: tableName(),
          Key: complaintKey(input.complaintId),
          UpdateExpression: 'ADD uploadsIssued :one',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(uploadsIssued) OR uploadsIssued < :max)',
          ExpressionAttributeValues: { ':one': 1, ':max': input.maxSlots },
        },
      },
      {
        Put: {
          TableName: tableName(),
          Item: { ...uploadSlotKey(input.complaintId, slot), ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ],
    () => true,
  );
  if (!issued) throw new UploadLimitReachedError();
  return record;
}
export async function getUploadSlot(complaintId: string, slot: string): Promise<UploadSlot | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: uploadSlotKey(complaintId, slot), ConsistentRead: true }),
  );
  return Item ? withoutKeys<UploadSlot>(Item) : undefined;
}

/** Records accepted evidence: the slot closes, the count grows, the event says what and its checksum. */
/** Records a landed file on its open slot, while the case is open and keeps fewer than `maxFiles`. */
export async function recordEvidenceAdded(
  slot: UploadSlot,
  object: { size: number; sha256: string; versionId?: string },
  at: string,
  maxFiles: number,
  recordedKey = slot.key,
): Promise<boolean> {
  const event: ComplaintEvent = {
    at,
    actor: 'complainant',
    action: 'evidence.added',
    details: {
      evidenceId: slot.slot,
      key: recordedKey,
      name: slot.fileName,
      contentType: slot.contentType,
      size: object.size,
      sha256: object.sha256,
      ...(object.versionId ? { versionId: object.versionId } : {}),
    },
  };
  return closeSlot(
    slot,
    'recorded',
    event,
    [
      {
        Update: {
          TableName: tableName(),
          Key: complaintKey(slot.complaintId),
          UpdateExpression: 'ADD evidenceCount :one SET updatedAt = :at',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(evidenceCount) OR evidenceCount < :max) AND NOT (#status IN (:closed, :rejected))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':at': at,
            ':max': maxFiles,
            ':closed': 'closed',
            ':rejected': 'rejected',
          },
        },
      },
    ],
    { sha256: object.sha256, size: object.size, ...(object.versionId ? { versionId: object.versionId } : {}) },
  );
}

export async function recordEvidenceQuarantined(
  slot: UploadSlot,
  reason: QuarantineReason,
  size: number,
  at: string,
): Promise<boolean> {
  const event: ComplaintEvent = {
    at,
    actor: 'system',
    action: 'evidence.quarantined',
    details: { evidenceId: slot.slot, name: slot.fileName, contentType: slot.contentType, size, reason },
  };
  return closeSlot(slot, 'quarantined', event, [], { quarantineReason: reason, size });
}

/** S3 delivers a notification at least once: only the first closes the slot and writes the event. */
async function closeSlot(
  slot: UploadSlot,
  state: UploadSlot['state'],
  event: ComplaintEvent,
  extra: TransactItems,
  fields: Record<string, unknown>,
): Promise<boolean> {
  const update = updateExpression({ state, closedAt: event.at, ...fields });
  return writeIf(
    [
      {
        Update: {
          TableName: tableName(),
          Key: uploadSlotKey(slot.complaintId, slot.slot),
          ...update,
          ConditionExpression: '#state = :issued',
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':issued': 'issued' },
        },
      },
      ...extra,
      putEvent(slot.complaintId, event),
    ],
    () => true,
  );
}

/**
 * A presigned POST can be used again until it expires: an upload over recorded evidence is set
 * aside and recorded, and the evidence stays what was recorded (its S3 version on AWS, where the
 * bucket is versioned; the local S3 keeps no versions).
 */
export async function recordEvidenceReplaced(slot: UploadSlot, size: number, at: string): Promise<void> {
  const event: ComplaintEvent = {
    at,
    actor: 'system',
    action: 'evidence.quarantined',
    details: {
      evidenceId: slot.slot,
      name: slot.fileName,
      contentType: slot.contentType,
      size,
      reason: 'replaced-after-recording',
    },
  };
  await writeIf([putEvent(slot.complaintId, event)], () => false);
}
