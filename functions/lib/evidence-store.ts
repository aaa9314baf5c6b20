import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { CopyObjectCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ComplaintEvent } from '../domain/history';
import type { EvidenceItem, LandedObject, QuarantineReason, UploadRequest, UploadSlot } from '../domain/evidence-policy';
import { dynamo, s3 } from './aws-clients';
import { putEvent } from './complaint-store';
import { settings } from './settings';
import { keys } from './table-schema';
import { updateExpression, writeIf, type TransactItems } from './table-ops';

/**
 * Evidence in S3 and its bookkeeping in the table. Objects live under
 * `complaints/<id>/evidence/<slot>` (the slot is random: never the uploader's file name), and
 * are moved under `quarantine/` when they break the policy.
 */

export const EVIDENCE_PREFIX = 'complaints/';
export const QUARANTINE_PREFIX = 'quarantine/';
/** Download links on staff pages live this long. */
export const DOWNLOAD_LINK_SECONDS = 300;
const HEAD_BYTES = 4096;

const table = () => settings().tableName;
const bucket = () => settings().evidenceBucket;

export const EVIDENCE_KEY_PATTERN = /^complaints\/([0-9A-HJKMNP-TV-Z]{26})\/evidence\/([A-Za-z0-9_-]{22})$/;

export function evidenceKey(complaintId: string, slot: string): string {
  return `${EVIDENCE_PREFIX}${complaintId}/evidence/${slot}`;
}

export class UploadLimitReachedError extends Error {
  constructor() {
    super('upload limit reached');
    this.name = 'UploadLimitReachedError';
  }
}

/**
 * Hands out one upload: a slot recorded against the complaint (what was asked for, by when),
 * counted so a complaint cannot collect unlimited slots, and a presigned POST for exactly that
 * key, that type and at most that size.
 */
export async function issueUpload(input: { complaintId: string; request: UploadRequest; maxBytes: number; maxSlots: number; expiresInSeconds: number; now: Date }) {
  const slot = randomBytes(16).toString('base64url');
  const key = evidenceKey(input.complaintId, slot);
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
          TableName: table(),
          Key: keys.complaint(input.complaintId),
          UpdateExpression: 'ADD uploadsIssued :one',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(uploadsIssued) OR uploadsIssued < :max)',
          ExpressionAttributeValues: { ':one': 1, ':max': input.maxSlots },
        },
      },
      { Put: { TableName: table(), Item: { ...keys.upload(input.complaintId, slot), ...record }, ConditionExpression: 'attribute_not_exists(pk)' } },
    ],
    () => true,
  );
  if (!issued) throw new UploadLimitReachedError();
  const post = await createPresignedPost(s3, {
    Bucket: bucket(),
    Key: key,
    Conditions: [
      ['content-length-range', 1, input.maxBytes],
      ['eq', '$Content-Type', input.request.contentType],
    ],
    Fields: { 'Content-Type': input.request.contentType },
    Expires: input.expiresInSeconds,
  });
  return { url: post.url, fields: post.fields, maxBytes: input.maxBytes, expiresAt: uploadBy, evidenceId: slot };
}

export async function getUploadSlot(complaintId: string, slot: string): Promise<UploadSlot | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table(), Key: keys.upload(complaintId, slot), ConsistentRead: true }));
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, ...record } = Item;
  return record as UploadSlot;
}

/**
 * Reads a landed object once: its size and type (HeadObject), the sha256 of its bytes (streamed,
 * so a 200 MB video never sits in memory) and its first bytes for the content check.
 */
export async function inspectObject(key: string): Promise<Omit<LandedObject, 'landedAt'> & { sha256: string; versionId?: string }> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  const hash = createHash('sha256');
  const first: Buffer[] = [];
  let firstLength = 0;
  let size = 0;
  for await (const chunk of object.Body as Readable) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    size += bytes.length;
    if (firstLength < HEAD_BYTES) {
      first.push(bytes.subarray(0, HEAD_BYTES - firstLength));
      firstLength += Math.min(bytes.length, HEAD_BYTES - firstLength);
    }
  }
  return { size: Math.max(size, head.ContentLength ?? 0), contentType: head.ContentType, head: new Uint8Array(Buffer.concat(first)), sha256: hash.digest('hex'), ...(head.VersionId && head.VersionId !== 'null' ? { versionId: head.VersionId } : {}) };
}

/** Records accepted evidence: the slot closes, the count grows, the event says what and its checksum. */
export async function recordEvidenceAdded(slot: UploadSlot, object: { size: number; sha256: string; versionId?: string }, at: string): Promise<boolean> {
  const event: ComplaintEvent = {
    at,
    actor: 'complainant',
    action: 'evidence.added',
    details: { evidenceId: slot.slot, key: slot.key, name: slot.fileName, contentType: slot.contentType, size: object.size, sha256: object.sha256, ...(object.versionId ? { versionId: object.versionId } : {}) },
  };
  return closeSlot(slot, 'recorded', event, [
    {
      Update: {
        TableName: table(),
        Key: keys.complaint(slot.complaintId),
        UpdateExpression: 'ADD evidenceCount :one SET updatedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1, ':at': at },
      },
    },
  ], { sha256: object.sha256, size: object.size, ...(object.versionId ? { versionId: object.versionId } : {}) });
}

/** Moves an object that breaks the policy out of the complaint's prefix, so no page links to it. */
export async function quarantineObject(key: string): Promise<string> {
  const target = `${QUARANTINE_PREFIX}${key}`;
  await s3.send(new CopyObjectCommand({ Bucket: bucket(), Key: target, CopySource: `${bucket()}/${key.split('/').map(encodeURIComponent).join('/')}` }));
  await s3.send(new DeleteObjectCommand({ Bucket: bucket(), Key: key }));
  return target;
}

export async function recordEvidenceQuarantined(slot: UploadSlot, reason: QuarantineReason, size: number, at: string): Promise<boolean> {
  const event: ComplaintEvent = { at, actor: 'system', action: 'evidence.quarantined', details: { evidenceId: slot.slot, name: slot.fileName, contentType: slot.contentType, size, reason } };
  return closeSlot(slot, 'quarantined', event, [], { quarantineReason: reason, size });
}

/** S3 delivers a notification at least once: only the first closes the slot and writes the event. */
async function closeSlot(slot: UploadSlot, state: UploadSlot['state'], event: ComplaintEvent, extra: TransactItems, fields: Record<string, unknown>): Promise<boolean> {
  const update = updateExpression({ state, closedAt: event.at, ...fields });
  return writeIf(
    [
      {
        Update: {
          TableName: table(),
          Key: keys.upload(slot.complaintId, slot.slot),
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

/** Evidence with a short-lived download link each (staff pages); the link downloads, never renders. */
export async function withDownloadLinks(items: readonly EvidenceItem[]): Promise<(EvidenceItem & { url: string })[]> {
  return Promise.all(
    items.map(async (item) => ({
      ...item,
      url: await getSignedUrl(
        s3,
        new GetObjectCommand({
          Bucket: bucket(),
          Key: item.key,
          ...(item.versionId ? { VersionId: item.versionId } : {}),
          ResponseContentType: item.contentType,
          // An uploaded HTML or SVG file must never run in a browser: always a download.
          ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(item.name)}`,
        }),
        { expiresIn: DOWNLOAD_LINK_SECONDS },
      ),
    })),
  );
}

let uploadOriginPromise: Promise<string> | undefined;

/**
 * The origin browsers upload evidence to (the bucket's S3 endpoint), for the form page's
 * Content-Security-Policy: presigning a throw-away key computes it without a network call.
 */
export function evidenceUploadOrigin(): Promise<string> {
  uploadOriginPromise ??= createPresignedPost(s3, { Bucket: bucket(), Key: `${EVIDENCE_PREFIX}origin-probe`, Expires: 60 })
    .then((post) => new URL(post.url).origin)
    .catch((error) => {
      uploadOriginPromise = undefined;
      throw error;
    });
  return uploadOriginPromise;
}

/**
 * A presigned POST can be used again until it expires: an upload over recorded evidence is set
 * aside and recorded, and the evidence stays what was recorded (its S3 version on AWS, where the
 * bucket is versioned; the local S3 keeps no versions).
 */
export async function recordEvidenceReplaced(slot: UploadSlot, size: number, at: string): Promise<void> {
  const event: ComplaintEvent = { at, actor: 'system', action: 'evidence.quarantined', details: { evidenceId: slot.slot, name: slot.fileName, contentType: slot.contentType, size, reason: 'replaced-after-recording' } };
  await writeIf([putEvent(slot.complaintId, event)], () => false);
}

/**
 * Deletes every evidence object of a complaint, recorded or quarantined: run when its record
 * expires, so evidence lives exactly as long as the record it belongs to. On the versioned bucket
 * the deleted objects become non-current versions, which the lifecycle removes 30 days later.
 */
export async function purgeComplaintEvidence(complaintId: string): Promise<number> {
  let deleted = 0;
  for (const prefix of [`${EVIDENCE_PREFIX}${complaintId}/`, `${QUARANTINE_PREFIX}${EVIDENCE_PREFIX}${complaintId}/`]) {
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: prefix, ContinuationToken: token }));
      const objects = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
      if (objects.length) {
        const result = await s3.send(new DeleteObjectsCommand({ Bucket: bucket(), Delete: { Objects: objects, Quiet: true } }));
        if (result.Errors?.length) throw new Error(`Could not delete ${result.Errors.length} evidence object(s) of ${complaintId}: ${result.Errors[0]?.Code}`);
        deleted += objects.length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  return deleted;
}
