import { createHash } from 'node:crypto';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { grantUpload, pngImage, postToS3, tokenOf } from '../support/evidence';
import {
  complaintBody,
  emailsTo,
  fileComplaint,
  linkIn,
  stack,
  useStackSettingsInProcess,
  WAIT_MS,
} from '../support/stack-client';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { complaintRecord, eventsOf, scanAll, TABLE, table } from '../support/table';

const BUCKET = 'redress-evidence';
const s3 = () =>
  new S3Client({
    endpoint: stack().s3,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

async function keysUnder(prefix: string): Promise<string[]> {
  const { Contents = [] } = await s3().send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return Contents.map((object) => object.Key!);
}

async function fileWithEvidence() {
  const { json } = await fileComplaint(complaintBody(0));
  const token = tokenOf(json.trackingUrl);
  const png = pngImage(12, 12);
  const good = await grantUpload(json.id, token, { fileName: 'ok.png', contentType: 'image/png', size: png.length });
  await postToS3(good, png, 'image/png');
  // Bytes that are not the declared PNG: quarantined on landing.
  const bad = await grantUpload(json.id, token, { fileName: 'fake.png', contentType: 'image/png', size: 40 });
  await postToS3(bad, Buffer.from('#!/bin/sh\necho this is not a picture at all....'), 'image/png');
  const deadline = Date.now() + WAIT_MS;
  while ((await eventsOf(json.id)).filter((e) => e.action.startsWith('evidence.')).length < 2 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  return json.id as string;
}

/** A stream record as DynamoDB writes it when an item is removed (the stream keeps the old image). */
async function removal(complaintId: string, by: 'ttl' | 'user'): Promise<DynamoDBStreamEvent['Records'][number]> {
  const record = (await complaintRecord(complaintId))!;
  return {
    eventName: 'REMOVE',
    dynamodb: {
      Keys: { pk: { S: `COMPLAINT#${complaintId}` }, sk: { S: 'META' } },
      OldImage: {
        number: { S: record.number },
        complainantKey: { S: record.complainantKey },
        subjectKey: { S: record.subjectKey },
      },
    },
    ...(by === 'ttl' ? { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } } : {}),
  };
}

/** Every item of the table that belongs to this case, whatever its key. */
async function itemsOf(complaintId: string): Promise<Record<string, any>[]> {
  return (await scanAll()).filter((item) => item.pk === `COMPLAINT#${complaintId}` || item.complaintId === complaintId);
}

describe('expiry', () => {
  it('deletes a complaint’s whole case and its evidence, recorded and quarantined, when TTL removes its record, and not otherwise', async () => {
    const expired = await fileWithEvidence();
    const deletedByHand = await fileWithEvidence();
    expect(await keysUnder(`recorded/complaints/${expired}/`)).toHaveLength(1);
    expect(await keysUnder(`quarantine/complaints/${expired}/`)).toHaveLength(1);

    // The handler runs here with the stack's settings, as the stream would invoke it in AWS
    // (DynamoDB Local does not expire items, so the local stack never does).
    useStackSettingsInProcess();
    const { handler } = await import('../../functions/evidence/expire-evidence');
    // What TTL itself removes: the record. The handler must take everything else of the case.
    const number = (await complaintRecord(expired))!.number;
    const records = [await removal(expired, 'ttl'), await removal(deletedByHand, 'user')];
    await table().send(new DeleteCommand({ TableName: TABLE, Key: { pk: `COMPLAINT#${expired}`, sk: 'META' } }));
    expect((await itemsOf(expired)).length).toBeGreaterThan(2);
    const result = (await handler({ Records: records }, {} as never)) as { purged: number };
    expect(result.purged).toBe(2);
    // Task links go by their own TTL, which every link carries; nothing else of the case is left.
    const left = await itemsOf(expired);
    expect(left.filter((item) => !String(item.pk).startsWith('TASK#'))).toEqual([]);
    const nowEpochSeconds = Math.floor(Date.now() / 1e3);
    for (const link of left) expect(link.expiresAt, link.pk).toBeGreaterThan(nowEpochSeconds);
    expect((await scanAll()).filter((item) => item.pk === `NUMBER#${number}`)).toEqual([]);
    expect((await itemsOf(deletedByHand)).length).toBeGreaterThan(2);
    expect(await keysUnder(`complaints/${expired}/`)).toEqual([]);
    expect(await keysUnder(`recorded/complaints/${expired}/`)).toEqual([]);
    expect(await keysUnder(`quarantine/complaints/${expired}/`)).toEqual([]);
    expect(await keysUnder(`recorded/complaints/${deletedByHand}/`)).toHaveLength(1);
  });

  it('forgets, when TTL removes the record, what is kept under its number and under the address it left as under the one it used', async () => {
    const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const oldAddress = `left-${unique}@example.com`;
    const newAddress = `moved-${unique}@example.net`;
    const e164 = `+86136${String(Date.now()).slice(-8)}`;
    const { json } = await fileComplaint(
      complaintBody(0, { complainant: { email: oldAddress, phone: e164, contactBy: 'email', language: 'en' } }),
    );
    const id = json.id as string;
    const url = new URL(json.trackingUrl);
    // The old address proved real and was suppressed after a bounce (as mail-in and SES's events record it).
    useStackSettingsInProcess();
    const { markEngaged } = await import('../../functions/store/engaged-addresses');
    const { suppressAddress } = await import('../../functions/store/suppressions');
    await markEngaged(createHash('sha256').update(`complainant:${oldAddress}`).digest('hex'), new Date().toISOString());
    await suppressAddress(oldAddress, 'bounce', new Date());
    // The complainant moves to a new address, confirmed from its own mailbox.
    const asked = await fetch(`${url.origin}${url.pathname}/contact${url.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: newAddress }),
    });
    expect(asked.status).toBe(200);
    const deadline = Date.now() + WAIT_MS;
    let mails = await emailsTo(newAddress);
    while (!mails.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      mails = await emailsTo(newAddress);
    }
    const link = new URL(linkIn(mails[0]!, '/complaints/'));
    const confirmed = await fetch(`${link.origin}${link.pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: link.searchParams.get('code')! }).toString(),
    });
    expect(confirmed.status).toBe(200);

    const keptUnder = [
      `COMPLAINANT#${createHash('sha256').update(`complainant:${oldAddress}`).digest('hex')}`,
      `SUPPRESSED#${createHash('sha256').update(`suppressed:${oldAddress}`).digest('hex')}`,
      `PHONE#${createHash('sha256').update(`phone:${e164}`).digest('hex')}`,
    ];
    const held = async () =>
      (await scanAll()).filter((item) => keptUnder.includes(item.pk)).map((i) => `${i.pk} ${i.sk}`);
    expect(await held()).toEqual(
      expect.arrayContaining([`${keptUnder[0]} ENGAGED`, `${keptUnder[1]} META`, `${keptUnder[2]} CASE#${id}`]),
    );
    // What TTL removes, with the record's whole image as the stream gives it.
    const record = (await complaintRecord(id))!;
    await table().send(new DeleteCommand({ TableName: TABLE, Key: { pk: `COMPLAINT#${id}`, sk: 'META' } }));
    const { handler } = await import('../../functions/evidence/expire-evidence');
    await handler(
      {
        Records: [
          {
            eventName: 'REMOVE',
            dynamodb: {
              Keys: { pk: { S: `COMPLAINT#${id}` }, sk: { S: 'META' } },
              OldImage: marshall(record, { removeUndefinedValues: true }) as never,
            },
            userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
          },
        ],
      },
      {} as never,
    );
    expect(await held()).toEqual([]);
  });
});
