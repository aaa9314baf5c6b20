import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evidenceUploadOrigin } from '../../functions/lib/evidence-upload-origin';
import { settings } from '../../functions/lib/settings';

const BUCKET = 'redress-evidencebucket-1x2y3z4w5v6u';
const saved = { ...process.env };

/** Where the SDK itself sends a presigned POST for this bucket (signing only: no request is made). */
async function sdkOrigin(region: string): Promise<string> {
  const client = new S3Client({ region, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
  const post = await createPresignedPost(client, {
    Bucket: settings().evidenceBucket,
    Key: 'complaints/origin',
    Expires: 60,
  });
  return new URL(post.url).origin;
}

describe('the evidence upload origin, computed without the S3 client', () => {
  // A unit file shares its worker with the others (isolate: false): every variable set here is put
  // back, and the bucket is the one the settings read (once per worker).
  beforeEach(() => {
    process.env.EVIDENCE_BUCKET ??= BUCKET;
  });
  afterEach(() => {
    for (const name of ['EVIDENCE_BUCKET', 'AWS_REGION', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  for (const region of ['us-east-1', 'eu-west-1', 'ap-east-1', 'cn-north-1']) {
    it(`is the origin the SDK presigns uploads to in ${region}`, async () => {
      delete process.env.AWS_ENDPOINT_URL_S3;
      delete process.env.AWS_ENDPOINT_URL;
      process.env.AWS_REGION = region;
      expect(evidenceUploadOrigin()).toBe(await sdkOrigin(region));
    });
  }

  it('is the local S3’s own origin when AWS_ENDPOINT_URL_S3 points at an IP address, as the SDK addresses it', async () => {
    process.env.AWS_REGION = 'us-east-1';
    process.env.AWS_ENDPOINT_URL_S3 = 'http://127.0.0.1:45123';
    expect(evidenceUploadOrigin()).toBe('http://127.0.0.1:45123');
    expect(evidenceUploadOrigin()).toBe(await sdkOrigin('us-east-1'));
  });
});
