import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { EvidenceItem, LandedObject } from '../domain/evidence-policy';
import { s3 } from '../lib/clients/s3';
import { deleteUnderPrefix } from './bucket-prefix';
import { settings } from '../lib/settings';

/**
 * Evidence objects in S3. An upload lands under `complaints/<id>/evidence/<slot>` (the slot is
 * random: never the uploader's file name). Its presigned POST can be used again until it expires,
 * so the upload key can change at any moment: it is read once, and the bytes of that one read are
 * checked and written to `recorded/` + that key (which no upload grant can write), or what breaks
 * the policy under `quarantine/`; never copied from the upload key afterwards. Their bookkeeping
 * is in the table (upload-slots.ts).
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

/** A presigned POST for one key with these conditions and fields, valid this long. */
async function presignPost(
  key: string,
  conditions: Parameters<typeof createPresignedPost>[1]['Conditions'],
  fields: Record<string, string>,
  expiresInSeconds: number,
): Promise<{ url: string; fields: Record<string, string> }> {
  const post = await createPresignedPost(s3, {
    Bucket: bucket(),
    Key: key,
    Conditions: conditions,
    Fields: fields,
    Expires: expiresInSeconds,
  });
  return { url: post.url, fields: post.fields };
}

/** A presigned POST for exactly this key, this type and at most this size. */
export function presignUpload(input: {
  key: string;
  contentType: string;
  maxBytes: number;
  expiresInSeconds: number;
}): Promise<{ url: string; fields: Record<string, string> }> {
  return presignPost(
    input.key,
    [
      ['content-length-range', 1, input.maxBytes],
      ['eq', '$Content-Type', input.contentType],
    ],
    { 'Content-Type': input.contentType },
    input.expiresInSeconds,
  );
}

/**
 * A presigned POST for a plain HTML form (a page used without its script): the form sends the
 * file's type (`Content-Type`, picked beside the file) and S3 sends the browser back to
 * `returnTo` (303). The policy fixes the key, the size range and the way back; the type is
 * checked when the file lands, as every upload's is.
 */
export function presignFormUpload(input: {
  key: string;
  maxBytes: number;
  expiresInSeconds: number;
  returnTo: string;
}): Promise<{ url: string; fields: Record<string, string> }> {
  return presignPost(
    input.key,
    [
      ['content-length-range', 1, input.maxBytes],
      ['starts-with', '$Content-Type', ''],
      { success_action_redirect: input.returnTo },
    ],
    { success_action_redirect: input.returnTo },
    input.expiresInSeconds,
  );
}

/** What one read of an upload saw: the size, type and first bytes the check judges, and the digests of every byte. */
export interface ReadUpload extends Omit<LandedObject, 'landedAt'> {
  sha256: string;
  /** The ETag it was read with, to remove exactly that object afterwards (removeUpload). */
  etag?: string;
  /** Its S3 version, on the versioned bucket (the cloud); the local S3 keeps none. */
  versionId?: string;
}

/** Where the bytes of a read go: a key only this function writes, and the type they are stored with. */
export interface UploadTarget {
  key: string;
  contentType: string;
}

/** The local S3 writes an object in place: a read that met a write in progress is read again, this often. */
const READ_TRIES = 5;

/** No read of the object saw it whole (the local S3 can leave a key torn for good when two uploads to it overlap). */
export class TornRead extends Error {
  constructor(
    key: string,
    why: string,
    readonly size = 0,
  ) {
    super(`${key} changed while it was read (${why})`);
    this.name = 'TornRead';
  }
}

const unquoted = (etag: string | undefined) => etag?.replace(/^"|"$/g, '');
/** A single-part upload's ETag is the MD5 of its bytes (SSE-S3, and the local S3); a multipart one is not. */
const isMd5 = (etag: string | undefined): etag is string => !!etag && /^[0-9a-f]{32}$/.test(etag);

/**
 * Reads one object of an upload key once (the given S3 version, where the bucket keeps them) and
 * writes exactly the bytes read to the key `choose` names once it has seen the size, the type and
 * the first bytes — streamed, so a 200 MB video never sits in memory. What is written is what was
 * hashed: the read must have as many bytes as S3 said and, where the store keeps no versions (the
 * local S3, which writes a key in place while it is read), the MD5 its ETag names, else it is read
 * again; and the written object's ETag must be the MD5 of the bytes sent (a single-part object
 * under SSE-S3, as the stack's evidence bucket is, or the local S3). Undefined when there is no
 * such object (any more).
 */
export async function transferUpload(
  key: string,
  versionId: string | undefined,
  choose: (landed: Omit<LandedObject, 'landedAt'>) => UploadTarget,
): Promise<{ read: ReadUpload; target: UploadTarget } | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transferOnce(key, versionId, choose);
    } catch (error) {
      if (!(error instanceof TornRead) || attempt >= READ_TRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

async function transferOnce(
  key: string,
  versionId: string | undefined,
  choose: (landed: Omit<LandedObject, 'landedAt'>) => UploadTarget,
): Promise<{ read: ReadUpload; target: UploadTarget } | undefined> {
  let object: GetObjectCommandOutput;
  try {
    object = await s3.send(
      new GetObjectCommand({ Bucket: bucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}) }),
    );
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  const body = object.Body as Readable;
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const size = object.ContentLength ?? 0;
  const etag = unquoted(object.ETag);
  const versioned = !!object.VersionId && object.VersionId !== 'null';
  // The first bytes, for the check, before anything is written.
  const first: Buffer[] = [];
  let firstLength = 0;
  let ended = false;
  while (firstLength < HEAD_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    first.push(next.value);
    firstLength += next.value.length;
  }
  const landed = {
    size,
    contentType: object.ContentType,
    head: new Uint8Array(Buffer.concat(first).subarray(0, HEAD_BYTES)),
  };
  let target: UploadTarget;
  try {
    target = choose(landed);
  } catch (error) {
    body.destroy();
    throw error;
  }
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  let read = 0;
  const take = (chunk: Buffer) => {
    sha256.update(chunk);
    md5.update(chunk);
    read += chunk.length;
    if (read > size) throw new TornRead(key, `more than ${size} bytes`, size);
    return chunk;
  };
  // Each chunk goes out once the next one is read, and the last only once the read proved whole:
  // a torn read never reaches S3 as a complete object.
  async function* bytes() {
    let pending: Buffer | undefined;
    const all = async function* () {
      yield* first;
      if (!ended) for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    };
    for await (const chunk of all()) {
      if (pending) yield pending;
      pending = take(chunk);
    }
    if (read !== size) throw new TornRead(key, `${read} of ${size} bytes`, size);
    // A version is never written again; a key without versions is (the local S3 even in place).
    if (!versioned && isMd5(etag) && md5.copy().digest('hex') !== etag)
      throw new TornRead(key, 'its bytes are not its ETag', size);
    if (pending) yield pending;
  }
  const abort = new AbortController();
  let torn: unknown;
  const source = Readable.from(bytes());
  source.once('error', (error) => {
    torn = error;
    abort.abort();
  });
  let written: string | undefined;
  try {
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket(),
        Key: target.key,
        Body: source,
        ContentLength: size,
        ContentType: target.contentType,
      }),
      { abortSignal: abort.signal },
    );
    if (torn) throw torn;
    written = unquoted(put.ETag);
  } catch (error) {
    body.destroy();
    // A write that failed half-way (or a read that tore) leaves nothing behind.
    await s3.send(new DeleteObjectCommand({ Bucket: bucket(), Key: target.key })).catch(() => undefined);
    throw torn ?? error;
  }
  const digest = md5.digest('hex');
  if (isMd5(written) && written !== digest) {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket(), Key: target.key })).catch(() => undefined);
    throw new Error(`${target.key} was not stored as read: its ETag is not the MD5 of the bytes sent`);
  }
  return {
    read: {
      ...landed,
      sha256: sha256.digest('hex'),
      ...(etag ? { etag } : {}),
      ...(versioned ? { versionId: object.VersionId } : {}),
    },
    target,
  };
}

function isMissing(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || name === 'NoSuchVersion';
}

/**
 * Removes the object a read saw from its upload key, and nothing that landed after it: that
 * version (the cloud), or the key only while its ETag is still the one read (the local S3, which
 * has no versions and ignores conditions: a write landing between the two requests goes too).
 */
export async function removeUpload(key: string, read: Pick<ReadUpload, 'etag' | 'versionId'>): Promise<void> {
  if (read.versionId) {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket(), Key: key, VersionId: read.versionId }));
    return;
  }
  let current: string | undefined;
  try {
    current = unquoted((await s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: key }))).ETag);
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  if (current === read.etag) await s3.send(new DeleteObjectCommand({ Bucket: bucket(), Key: key }));
}

/** Deletes an object this function wrote that is not to be kept. */
export async function deleteWritten(key: string): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: bucket(), Key: key }));
}

/** Where an object that breaks the policy is set aside: out of the complaint's prefix, so no page links to it. */
export function quarantineKeyOf(uploadKey: string): string {
  return `${QUARANTINE_PREFIX}${uploadKey}`;
}

/** Where an upload that lands on a spent slot is set aside, one key per object read. */
export function setAsideKeyOf(uploadKey: string): string {
  return `${QUARANTINE_PREFIX}${uploadKey}.${randomBytes(6).toString('base64url')}`;
}

/**
 * Moves an object by a copy on the S3 side: for a key no upload grant writes (a copy this
 * function made), or one that is not evidence at all (a key this desk never handed out).
 */
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

/**
 * Moves an object under `complaints/` to quarantine as it is, by a copy on the S3 side: one on a
 * key this desk never handed out, or one no read saw whole (TornRead). Never evidence.
 */
export function quarantineUnread(key: string, target = quarantineKeyOf(key)): Promise<string> {
  return moveObject(key, target);
}

/** Where checked evidence is kept: a key no upload grant reaches, written only by the run that holds its upload slot. */
export function recordedKeyOf(uploadKey: string): string {
  return `${RECORDED_PREFIX}${uploadKey}`;
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
 * expires or it is erased, so evidence lives exactly as long as the record it belongs to. Every
 * version goes, not only the current one (bucket-prefix.ts): nothing stays as a non-current version.
 */
export async function purgeComplaintEvidence(complaintId: string): Promise<number> {
  let deleted = 0;
  for (const prefix of [
    `${EVIDENCE_PREFIX}${complaintId}/`,
    `${RECORDED_PREFIX}${EVIDENCE_PREFIX}${complaintId}/`,
    `${QUARANTINE_PREFIX}${EVIDENCE_PREFIX}${complaintId}/`,
  ])
    deleted += await deleteUnderPrefix(bucket(), prefix, `evidence object(s) of ${complaintId}`);
  return deleted;
}
