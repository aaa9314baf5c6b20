import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { s3 } from '../lib/clients/s3';
import { deleteUnderPrefix } from './bucket-prefix';
import { settings } from '../lib/settings';

/**
 * Raw mail in S3, under `inbound/<SES message id>` of the evidence bucket, where SES's receipt
 * rule (S3 action) writes it in the cloud and the SMTP stand-in writes it locally. A mail's
 * attachments become evidence objects under `complaints/` (evidence-objects.ts keys), which the
 * evidence check (RecordEvidence) checks when they land, like any upload.
 *
 * A raw mail that landed on a case moves to `mail/complaints/<complaint id>/<message id>` and is
 * deleted with the case's evidence when its record expires; what stays under `inbound/` landed
 * nowhere, and the bucket's lifecycle deletes it after `desk.inbound.unlandedRetentionDays`.
 */
export const INBOUND_PREFIX = 'inbound/';
export const LANDED_MAIL_PREFIX = 'mail/complaints/';

const bucket = () => settings().evidenceBucket;

export function inboundKey(messageId: string): string {
  return `${INBOUND_PREFIX}${messageId}`;
}

/**
 * The raw message, or its size alone when it is larger than `maxBytes` (then it is not read), or
 * `gone` when there is none: a repeated delivery of a mail that already landed and moved to its case.
 */
export async function readInboundMessage(
  key: string,
  maxBytes: number,
): Promise<{ size: number; raw?: Buffer; gone?: true }> {
  let size: number;
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
    size = head.ContentLength ?? 0;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NotFound' || name === 'NoSuchKey') return { size: 0, gone: true };
    throw error;
  }
  if (size > maxBytes) return { size };
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  const raw = Buffer.from(await object.Body!.transformToByteArray());
  return { size: raw.length, ...(raw.length > maxBytes ? {} : { raw }) };
}

/** Writes an attachment where an upload of it would have landed: the evidence check takes it from there. */
export async function putAttachmentObject(key: string, content: Buffer, contentType: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: content, ContentType: contentType }));
}

/**
 * The raw mail moves from `inbound/` to its case's prefix, so it lives as long as the case. On the
 * versioned bucket a plain delete would keep the original as a non-current version, outside the
 * case's purge: the version copied is deleted by its id (a store without versions: by key).
 */
export async function keepWithCase(
  key: string,
  complaintId: string,
  client: Pick<S3Client, 'send'> = s3,
): Promise<string> {
  const target = `${LANDED_MAIL_PREFIX}${complaintId}/${key.slice(key.lastIndexOf('/') + 1)}`;
  const copied = await client.send(
    new CopyObjectCommand({
      Bucket: bucket(),
      Key: target,
      CopySource: `${bucket()}/${key.split('/').map(encodeURIComponent).join('/')}`,
    }),
  );
  const version = copied.CopySourceVersionId;
  await client.send(
    new DeleteObjectCommand({
      Bucket: bucket(),
      Key: key,
      ...(version && version !== 'null' ? { VersionId: version } : {}),
    }),
  );
  return target;
}

/** Deletes every raw mail kept with a case (its record expired); the number deleted. */
export async function purgeCaseMail(complaintId: string): Promise<number> {
  return deleteUnderPrefix(bucket(), `${LANDED_MAIL_PREFIX}${complaintId}/`, `raw mail(s) of ${complaintId}`);
}
