import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { QUARANTINE_REASON_LABELS } from '../../functions/domain/evidence-policy';
import { uploadSlotKey } from '../../functions/store/upload-slots';
import { grantUpload, pngImage, postToS3, tokenOf } from '../support/evidence';
import { complaintBody, expectStatus, fileComplaint, stack, WAIT_MS } from '../support/stack-client';
import { eventsOf, TABLE, table } from '../support/table';

/**
 * An upload whose notification came but whose object is gone when the recorder reads it (the
 * local S3 once deleted a just-written file while clearing a directory it thought empty): the
 * uploader was answered "sent", so the case must say the file was lost, never drop it unseen.
 */

const BUCKET = 'redress-evidence';

async function waitFor<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    const found = await read();
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}

describe('an upload gone before the recorder reads it', () => {
  it('is recorded on the case as lost (upload-missing, in both languages) and its slot closes; nothing is dropped silently', async () => {
    const filed = expectStatus(await fileComplaint(complaintBody(0)), 201, 'filing').json;
    const png = pngImage();
    const grant = await grantUpload(filed.id, tokenOf(filed.trackingUrl), {
      fileName: 'shot.png',
      contentType: 'image/png',
      size: png.length,
    });
    // The recorder takes the upload's slot before it reads the object; while this test holds the
    // slot, the recorder waits, so the file can land and be removed before it is read.
    const slotKey = uploadSlotKey(filed.id, grant.evidenceId);
    await table().send(
      new UpdateCommand({
        TableName: TABLE,
        Key: slotKey,
        UpdateExpression: 'SET lockedBy = :test, lockedUntil = :until',
        ExpressionAttributeValues: { ':test': 'evidence-lost.test', ':until': Date.now() + 60_000 },
      }),
    );
    expect((await postToS3(grant, png, 'image/png', 'shot.png')).status).toBeLessThan(300);
    const s3 = new S3Client({
      endpoint: stack().s3,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: grant.fields.key }));
    await table().send(
      new UpdateCommand({ TableName: TABLE, Key: slotKey, UpdateExpression: 'REMOVE lockedBy, lockedUntil' }),
    );

    const lost = await waitFor('the lost upload recorded', async () =>
      (await eventsOf(filed.id)).find(
        (e) => e.action === 'evidence.quarantined' && e.details.evidenceId === grant.evidenceId,
      ),
    );
    expect(lost).toMatchObject({
      actor: 'system',
      details: { reason: 'upload-missing', name: 'shot.png', size: png.length },
    });
    expect(QUARANTINE_REASON_LABELS['upload-missing']['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    const slot = (await table().send(new GetCommand({ TableName: TABLE, Key: slotKey, ConsistentRead: true }))).Item;
    expect(slot).toMatchObject({ state: 'quarantined', quarantineReason: 'upload-missing' });
    expect((await eventsOf(filed.id)).filter((e) => e.action === 'evidence.added')).toEqual([]);
    s3.destroy();
  });
});
