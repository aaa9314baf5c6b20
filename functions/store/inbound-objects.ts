import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3 } from '../lib/clients/s3';
import { settings } from '../lib/settings';

/**
 * Raw mail in S3, under `inbound/<SES message id>` of the evidence bucket, where SES's receipt
 * rule (S3 action) writes it in the cloud and the SMTP stand-in writes it locally. A mail's
 * attachments become evidence objects under `complaints/` (evidence-objects.ts keys), which the
 * evidence check (RecordEvidence) checks when they land, like any upload.
 */
export const INBOUND_PREFIX = 'inbound/';

const bucket = () => settings().evidenceBucket;

export function inboundKey(messageId: string): string {
  return `${INBOUND_PREFIX}${messageId}`;
}

/** The raw message, or its size alone when it is larger than `maxBytes` (then it is not read). */
export async function readInboundMessage(key: string, maxBytes: number): Promise<{ size: number; raw?: Buffer }> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket(), Key: key }));
  const size = head.ContentLength ?? 0;
  if (size > maxBytes) return { size };
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  const raw = Buffer.from(await object.Body!.transformToByteArray());
  return { size: raw.length, ...(raw.length > maxBytes ? {} : { raw }) };
}

/** Writes an attachment where an upload of it would have landed: the evidence check takes it from there. */
export async function putAttachmentObject(key: string, content: Buffer, contentType: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: content, ContentType: contentType }));
}
