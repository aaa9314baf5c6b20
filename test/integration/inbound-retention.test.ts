import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { pngImage } from '../support/evidence';
import { stack, useStackSettingsInProcess, waitForEmail, WAIT_MS, type Email } from '../support/stack-client';
import { complaintRecord, complaintsBy, eventsOf, TABLE, table } from '../support/table';

/**
 * Raw mail in the evidence bucket lives no longer than what it is about: a mail that landed on a
 * case (filed it, or replied to it) goes when the case goes; one that landed nowhere stays under
 * `inbound/`, where a short lifecycle rule (desk.inbound.unlandedRetentionDays) removes it.
 */
const BUCKET = 'redress-evidence';
const INBOUND = DEFAULT_DESK_CONFIG.inbound.address;

const s3 = new S3Client({
  endpoint: stack().s3,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const smtp = (() => {
  const [host, port] = stack().inboundSmtp.split(':');
  return nodemailer.createTransport({ host: host!, port: Number(port), secure: false, ignoreTLS: true });
})();
afterAll(() => smtp.close());

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Every object in the bucket whose bytes carry `marker`, wherever it is kept. */
async function objectsCarrying(marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const key of await keysUnder('')) {
    // The bucket is the shared stack's: another test's object may go between the listing and the read.
    const object = await s3
      .send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
      .catch((error: Error) => (error.name === 'NoSuchKey' ? undefined : Promise.reject(error)));
    if (object && Buffer.from(await object.Body!.transformToByteArray()).includes(marker)) found.push(key);
  }
  return found;
}

const replyToOf = (email: Email): string =>
  ([] as string[]).concat((email as unknown as { replyTo?: string | string[] }).replyTo ?? [])[0]!;

describe('raw inbound mail', () => {
  it('of a case filed and answered by mail is gone from the bucket once the case expires; a mail that landed nowhere stays only under inbound/', async () => {
    const marker = `RETENTION-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const from = `keep-${marker.toLowerCase()}@example.com`;
    await smtp.sendMail({
      from,
      to: INBOUND,
      subject: `Parcel lost ${marker}`,
      text: `My parcel never arrived. ${marker} filing`,
      attachments: [{ filename: 'receipt.png', content: pngImage(), contentType: 'image/png' }],
    });
    const ack = await waitForEmail(from, /We have received your complaint/);
    await smtp.sendMail({
      from,
      to: replyToOf(ack),
      subject: `Re: ${ack.subject}`,
      text: `More detail. ${marker} reply`,
    });
    // An auto-reply with the marker: it lands nowhere.
    await smtp.sendMail({
      from,
      to: INBOUND,
      subject: 'Out of office',
      text: `Away. ${marker} ignored`,
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    const [record] = await complaintsBy(from);
    const id = record!.id as string;
    const deadline = Date.now() + WAIT_MS;
    while (!(await eventsOf(id)).some((e) => e.action === 'evidence.added') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));

    // Landed mail is kept with its case, not under inbound/ (where only what landed nowhere waits).
    const before = await objectsCarrying(marker);
    expect(before.filter((key) => key.startsWith('inbound/'))).toHaveLength(1);
    expect(before.filter((key) => key.startsWith(`mail/complaints/${id}/`))).toHaveLength(2);

    // The case expires: DynamoDB's TTL removes its record, and the stream runs the expiry (here
    // in-process, as DynamoDB Local expires nothing).
    useStackSettingsInProcess();
    const { handler } = await import('../../functions/evidence/expire-evidence');
    const stored = (await complaintRecord(id))!;
    await table().send(new DeleteCommand({ TableName: TABLE, Key: { pk: `COMPLAINT#${id}`, sk: 'META' } }));
    await handler(
      {
        Records: [
          {
            eventName: 'REMOVE',
            userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
            dynamodb: {
              Keys: { pk: { S: `COMPLAINT#${id}` }, sk: { S: 'META' } },
              OldImage: {
                number: { S: stored.number },
                complainantKey: { S: stored.complainantKey },
                subjectKey: { S: stored.subjectKey },
              },
            },
          },
        ],
      },
      {} as never,
    );

    const after = await objectsCarrying(marker);
    expect(after.filter((key) => !key.startsWith('inbound/'))).toEqual([]);
    expect(after).toHaveLength(1);
    expect((await keysUnder('')).filter((key) => key.includes(id))).toEqual([]);
  });
});
