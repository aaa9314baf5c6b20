import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { EvidenceItem, LandedObject } from '../domain/evidence-policy';
import { s3 } from '../lib/clients/s3';
import { settings } from '../lib/settings';

/**
 * Evidence objects in S3. An upload lands under `complaints/<id>/evidence/<slot>` (the slot is
 * random: never the uploader's file name); once checked it moves to `recorded/` + that key, which
 * no upload grant can write, so recorded evidence can be neither overwritten nor removed by a
 * second upload; what breaks the policy moves under `quarantine/`. Their bookkeeping is in the
 * table (upload-slots.ts).
 */

export const EVIDENCE_PREFIX = 'complaints/';
export const QUARANTINE_PREFIX = 'quarantine/';
export const RECORDED_PREFIX = 'recorded/';
/** Download links on staff pages live this long. */
export const DOWNLOAD_LINK_SECONDS = 300;
const HEAD_BYTES = 4096;

const bucket = () => settings().evidenceBucket;

export const EVIDENCE_KEY_PATTERN = /^complaints\/([0-9A-HJKMNP-TV-Z]{26})\/evidence\/([A-Za-z0-9_-]{22})$/;

export function evidenceKey(complaintId: string, slot: string): string {
  return `${EVIDENCE_PREFIX}${complaintId}/evidence/${slot}`;
}

/** A fresh, random evidence slot: the last part of an object's key. */
export function newEvidenceSlot(): string {
  return randomBytes(16).toString('base64url');
}

/** A presigned POST for exactly this key, this type and at most this size. */
export async function presignUpload(input: {
  key: string;
  contentType: string;
  maxBytes: number;
  expiresInSeconds: number;
}): Promise<{ url: string; fields: Record<string, string> }> {
  const post = await createPresignedPost(s3, {
    Bucket: bucket(),
    Key: input.key,
    Conditions: [
      ['content-length-range', 1, input.maxBytes],
      ['eq', '$Content-Type', input.contentType],
    ],
    Fields: { 'Content-Type': input.contentType },
    Expires: input.expiresInSeconds,
  });
  return { url: post.url, fields: post.fields };
}

/**
 * Reads a landed object once: its size and type (HeadObject), the sha256 of its bytes (streamed,
 * so a 200 MB video never sits in memory) and its first bytes for the content check.
 */
export async function inspectObject(
  key: string,
): Promise<Omit<LandedObject, 'landedAt'> & { sha256: string; versionId?: string }> {
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
  return {
    size: Math.max(size, head.ContentLength ?? 0),
    contentType: head.ContentType,
    head: new Uint8Array(Buffer.concat(first)),
    sha256: hash.digest('hex'),
    ...(head.VersionId && head.VersionId !== 'null' ? { versionId: head.VersionId } : {}),
  };
}

async function moveObject(key: string, target: string): Promise<string> {
  await s3.send(
    new CopyObjectCommand({
      Bucket: bucket(),
      Key: target,
      CopySource: `${bucket()}/${key.split('/').map(encodeURIComponent).join('/')}`,
    }),
  );
  await s3.send(new DeleteObjectCommand({ Bucket: bucket(), Key: key }));
  return target;
}

/** Moves an object that breaks the policy out of the complaint's prefix, so no page links to it. */
export function quarantineObject(key: string): Promise<string> {
  return moveObject(key, `${QUARANTINE_PREFIX}${key}`);
}

/** Where checked evidence is kept: a key no upload grant reaches. */
export function recordedKeyOf(uploadKey: string): string {
  return `${RECORDED_PREFIX}${uploadKey}`;
}

/** Moves checked evidence from its upload key to its recorded key (recordedKeyOf). */
export function keepRecorded(uploadKey: string): Promise<string> {
  return moveObject(uploadKey, recordedKeyOf(uploadKey));
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

/**
 * Deletes every evidence object of a complaint, recorded or quarantined: run when its record
 * expires, so evidence lives exactly as long as the record it belongs to. On the versioned bucket
 * the deleted objects become non-current versions, which the lifecycle removes 30 days later.
 */
export async function purgeComplaintEvidence(complaintId: string): Promise<number> {
  let deleted = 0;
  for (const prefix of [
    `${EVIDENCE_PREFIX}${complaintId}/`,
    `${RECORDED_PREFIX}${EVIDENCE_PREFIX}${complaintId}/`,
    `${QUARANTINE_PREFIX}${EVIDENCE_PREFIX}${complaintId}/`,
  ]) {
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket(), Prefix: prefix, ContinuationToken: token }),
      );
      const objects = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
      if (objects.length) {
        const result = await s3.send(
          new DeleteObjectsCommand({ Bucket: bucket(), Delete: { Objects: objects, Quiet: true } }),
        );
        if (result.Errors?.length)
          throw new Error(
            `Could not delete ${result.Errors.length} evidence object(s) of ${complaintId}: ${result.Errors[0]?.Code}`,
          );
        deleted += objects.length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  return deleted;
}
