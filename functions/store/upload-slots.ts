import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ComplaintEvent } from '../domain/history';
import {
  evidenceCounters,
  type QuarantineReason,
  type UploadRequest,
  type UploadSlot,
} from '../domain/evidence-policy';
import { dynamo } from '../lib/clients/dynamo';
import { complaintKey } from './complaint-key';
import { putEvent } from './events';
import { tableName, updateExpression, withoutKeys, writeIf, writeOneIf, type TransactItems } from './table';

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
  uploadedBy?: string;
  party?: 'respondent';
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
    ...(input.uploadedBy ? { uploadedBy: input.uploadedBy } : {}),
    ...(input.party ? { party: input.party } : {}),
  };
  const issued = await writeIf(
    [
      {
        Update: {
          TableName: tableName(),
          Key: complaintKey(input.complaintId),
          // Counted on the side's own counter (the respondent's apart from the case's).
          UpdateExpression: 'ADD #issued :one',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#issued) OR #issued < :max)',
          ExpressionAttributeNames: { '#issued': evidenceCounters(input.party).issued },
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

/**
 * How long a run holds an upload slot (uploadSlotLock): longer than the recorder may run (its
 * timeout, 120 s: it reads and copies a video of up to 200 MB), so a holder never loses the slot
 * while it works, and one that died frees it soon after.
 */
export const UPLOAD_SLOT_LOCK_MS = 180_000;

/**
 * Takes an upload slot for one run (`holder`): while it holds it, no other run reads, records or
 * sets aside that slot's uploads, so two notifications for one key never record at once. Answers
 * the slot as it stands, 'held' while another run holds it, or undefined when there is no slot.
 * Leases run on the wall clock, not the desk's (a moved test clock must not free them).
 */
export async function lockUploadSlot(
  complaintId: string,
  slot: string,
  holder: string,
  nowMs = Date.now(),
): Promise<UploadSlot | 'held' | undefined> {
  try {
    const { Attributes } = await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: uploadSlotKey(complaintId, slot),
        UpdateExpression: 'SET lockedBy = :holder, lockedUntil = :until',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lockedUntil) OR lockedUntil < :now)',
        ExpressionAttributeValues: { ':holder': holder, ':until': nowMs + UPLOAD_SLOT_LOCK_MS, ':now': nowMs },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return withoutKeys<UploadSlot>(Attributes ?? {});
  } catch (error) {
    if ((error as { name?: string })?.name !== 'ConditionalCheckFailedException') throw error;
    return (await getUploadSlot(complaintId, slot)) ? 'held' : undefined;
  }
}

/** Frees a slot this run holds (nothing, if its lease passed and another run took it). */
export async function unlockUploadSlot(slot: Pick<UploadSlot, 'complaintId' | 'slot'>, holder: string): Promise<void> {
  await writeOneIf({
    update: {
      TableName: tableName(),
      Key: uploadSlotKey(slot.complaintId, slot.slot),
      UpdateExpression: 'REMOVE lockedBy, lockedUntil',
      ConditionExpression: 'lockedBy = :holder',
      ExpressionAttributeValues: { ':holder': holder },
    },
  });
}

/**
 * Records accepted evidence on its open slot, held by `holder`, while the case is open and its
 * side (the case's or the respondent's) keeps fewer than `maxFiles`: the slot closes with the checksum, the count grows, the event says what
 * and where it is kept. False when the case refused it (or the slot was not this run's to close).
 */
export async function recordEvidenceAdded(
  slot: UploadSlot,
  object: { size: number; sha256: string },
  at: string,
  maxFiles: number,
  recordedKey: string,
  holder: string,
): Promise<boolean> {
  const event: ComplaintEvent = {
    at,
    actor: slot.party ?? (slot.uploadedBy ? 'handler' : 'complainant'),
    action: 'evidence.added',
    details: {
      ...(slot.uploadedBy ? { uploadedBy: slot.uploadedBy } : {}),
      ...(slot.party ? { party: slot.party } : {}),
      evidenceId: slot.slot,
      key: recordedKey,
      name: slot.fileName,
      contentType: slot.contentType,
      size: object.size,
      sha256: object.sha256,
    },
  };
  return closeSlot(
    slot,
    holder,
    'recorded',
    event,
    [
      {
        Update: {
          TableName: tableName(),
          Key: complaintKey(slot.complaintId),
          UpdateExpression: 'ADD #count :one SET updatedAt = :at',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(#count) OR #count < :max) AND NOT (#status IN (:closed, :rejected))',
          ExpressionAttributeNames: { '#status': 'status', '#count': evidenceCounters(slot.party).recorded },
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
    { sha256: object.sha256, size: object.size },
  );
}

/** Records that the object a held slot's run read broke the policy: the slot closes as quarantined. */
export async function recordEvidenceQuarantined(
  slot: UploadSlot,
  reason: QuarantineReason,
  size: number,
  at: string,
  holder: string,
): Promise<boolean> {
  const event: ComplaintEvent = {
    at,
    actor: 'system',
    action: 'evidence.quarantined',
    details: { evidenceId: slot.slot, name: slot.fileName, contentType: slot.contentType, size, reason },
  };
  return closeSlot(slot, holder, 'quarantined', event, [], { quarantineReason: reason, size });
}

/** S3 delivers a notification at least once: only the run holding the open slot closes it and writes the event. */
async function closeSlot(
  slot: UploadSlot,
  holder: string,
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
          ConditionExpression: '#state = :issued AND lockedBy = :holder',
          ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':issued': 'issued', ':holder': holder },
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
 * aside and recorded as such; the evidence stays what was recorded (its own copy, which no upload
 * grant can write).
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
