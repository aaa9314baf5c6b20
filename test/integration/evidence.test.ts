import { createHash } from 'node:crypto';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { evidenceFromEvents } from '../../functions/domain/evidence-policy';
import { pngImage, postToS3, grantUpload, requestUpload, tokenOf } from '../support/evidence';
import {
  complaintBody,
  fileComplaint,
  NEEDS_SCREENSHOT,
  stack,
  track,
  useStackSettingsInProcess,
  WAIT_MS,
  waitForStatus,
} from '../support/stack-client';
import { complaintRecord, eventsOf, setOnComplaint } from '../support/table';

const BUCKET = 'redress-evidence';
const limits = DEFAULT_DESK_CONFIG.evidence;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function s3(): S3Client {
  return new S3Client({
    endpoint: stack().s3,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Whether the local S3 holds the key: only its 404 says no (a busy machine may drop a request). */
async function exists(key: string): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await s3().send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
      return true;
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      if (attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Waits until the key is empty; false if it never is. */
async function gone(key: string): Promise<boolean> {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    if (!(await exists(key))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function filed() {
  const { json } = await fileComplaint(complaintBody(0, NEEDS_SCREENSHOT));
  return { id: json.id as string, token: tokenOf(json.trackingUrl), trackingUrl: json.trackingUrl as string };
}

/** Waits for the evidence event of one upload (added or quarantined). */
async function evidenceEvent(
  complaintId: string,
  evidenceId: string,
  timeoutMs = 15_000,
): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await eventsOf(complaintId)).find(
      (e) => e.action.startsWith('evidence.') && e.details?.evidenceId === evidenceId,
    );
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no evidence event for ${evidenceId}`);
}

function policyOf(fields: Record<string, string>): { expiration: string; conditions: unknown[] } {
  return JSON.parse(Buffer.from(fields.Policy!, 'base64').toString('utf8'));
}

describe('POST /complaints/{id}/evidence', () => {
  it('hands the tracking-link holder a presigned POST for one key under the complaint, with size and type fixed', async () => {
    const { id, token } = await filed();
    const before = Date.now();
    const { response, json } = await requestUpload(id, token, {
      fileName: '第3楼截图.png',
      contentType: 'image/png',
      size: 2048,
    });
    const after = Date.now();
    expect(response.status).toBe(201);
    expect(Object.keys(json).sort()).toEqual(['evidenceId', 'expiresAt', 'fields', 'maxBytes', 'url']);
    expect(json.fields.key).toMatch(new RegExp(`^complaints/${id}/evidence/[A-Za-z0-9_-]{22}$`));
    expect(json.fields.key).not.toContain('png');
    expect(json.fields['Content-Type']).toBe('image/png');
    expect(json.maxBytes).toBe(limits.maxBytes);
    // The expiry is the upload window counted from the request, within a second's rounding.
    const expiresAt = new Date(json.expiresAt).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + limits.uploadSeconds * 1000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(after + limits.uploadSeconds * 1000 + 1000);
    const policy = policyOf(json.fields);
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        ['content-length-range', 1, limits.maxBytes],
        ['eq', '$Content-Type', 'image/png'],
        { key: json.fields.key },
      ]),
    );
    // The token also works as the tracking link's query parameter.
    expect(
      (await requestUpload(id, token, { fileName: 'log.txt', contentType: 'text/plain', size: 10 }, 'query')).response
        .status,
    ).toBe(201);
  });

  it('allows video larger than other files', async () => {
    const { id, token } = await filed();
    const video = await requestUpload(id, token, {
      fileName: 'outage.mp4',
      contentType: 'video/mp4',
      size: limits.maxBytes * 5,
    });
    expect(video.response.status).toBe(201);
    expect(video.json.maxBytes).toBe(limits.videoMaxBytes);
    const image = await requestUpload(id, token, {
      fileName: 'big.png',
      contentType: 'image/png',
      size: limits.maxBytes + 1,
    });
    expect(image.response.status).toBe(400);
    expect(image.json.errors).toEqual([{ path: 'size', message: expect.stringContaining('10 MB') }]);
  });

  it('refuses types off the allowlist, bad names and unknown fields, naming each field', async () => {
    const { id, token } = await filed();
    const cases: [unknown, string[]][] = [
      [{ fileName: 'setup.exe', contentType: 'application/x-msdownload', size: 10 }, ['contentType']],
      [{ fileName: 'page.html', contentType: 'text/html', size: 10 }, ['contentType']],
      [{ fileName: '../../etc/passwd', contentType: 'text/plain', size: 10 }, ['fileName']],
      [{ fileName: 'a.png', contentType: 'image/png', size: 0 }, ['size']],
      [{ fileName: 'a.png', contentType: 'image/png', size: 1.5 }, ['size']],
      [{ fileName: 'a.png', contentType: 'image/png', size: 10, key: 'complaints/x' }, ['key']],
      [{}, ['contentType', 'fileName', 'size']],
    ];
    for (const [body, paths] of cases) {
      const { response, json } = await requestUpload(id, token, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
      expect(json.errors.map((e: any) => e.path).sort(), JSON.stringify(body)).toEqual(paths);
    }
  });

  it('looks the same for a wrong token, no token and no complaint (404)', async () => {
    const { id, token } = await filed();
    const body = { fileName: 'a.png', contentType: 'image/png', size: 10 };
    const wrong = await requestUpload(id, token.replace(/^.{4}/, 'AAAA'), body);
    const none = await requestUpload(id, undefined, body);
    const missing = await requestUpload('01M80AJZCYZ8FCH3TCHF65ZPN7', token, body);
    for (const r of [wrong, none, missing]) expect(r.response.status).toBe(404);
    expect(wrong.json).toEqual(missing.json);
  });

  it('refuses uploads to a closed complaint (409)', async () => {
    const { id, token, trackingUrl } = await filed();
    // Once the workflow has settled into its first wait, so it does not overwrite the status.
    await waitForStatus(trackingUrl, (c) => c.status === 'awaiting-evidence');
    await setOnComplaint(id, { status: 'closed', outcome: 'resolved' });
    const { response, json } = await requestUpload(id, token, {
      fileName: 'a.png',
      contentType: 'image/png',
      size: 10,
    });
    expect(response.status).toBe(409);
    expect(json.type).toBe('urn:redress:problem:complaint-closed');
  });
});

describe('an uploaded object, checked again when it lands', () => {
  it('is recorded with its name, type, size and sha256, counted, and shown to the complainant by name', async () => {
    const { id, token, trackingUrl } = await filed();
    const png = pngImage();
    const grant = await grantUpload(id, token, {
      fileName: '第3楼截图.png',
      contentType: 'image/png',
      size: png.length,
    });
    const stored = await postToS3(grant, png, 'image/png');
    expect(stored.status).toBeLessThan(300);
    const event = await evidenceEvent(id, grant.evidenceId);
    expect(event.action).toBe('evidence.added');
    expect(event.details).toMatchObject({
      name: '第3楼截图.png',
      contentType: 'image/png',
      size: png.length,
      sha256: sha256(png),
      key: `recorded/${grant.fields.key}`,
    });
    expect((await complaintRecord(id))!.evidenceCount).toBe(1);
    const tracked = await track(trackingUrl);
    expect(tracked.json.evidence).toEqual([
      { name: '第3楼截图.png', contentType: 'image/png', size: png.length, addedAt: event.at },
    ]);
    expect(JSON.stringify(tracked.json)).not.toContain(grant.fields.key);
    const page = await (await fetch(trackingUrl)).text();
    expect(page).toContain('第3楼截图.png');
  });

  it('quarantines what breaks the policy the local S3 did not enforce: content, declared type, size', async () => {
    const { id, token } = await filed();
    const png = pngImage();
    const cases = [
      {
        name: 'not-a-png.png',
        asked: 'image/png',
        sent: 'image/png',
        bytes: Buffer.from('<html><script>alert(1)</script></html>'),
        reason: 'content-not-matching-type',
      },
      { name: 'swapped.png', asked: 'image/png', sent: 'text/html', bytes: png, reason: 'content-type-mismatch' },
      {
        name: 'huge.png',
        asked: 'image/png',
        sent: 'image/png',
        bytes: Buffer.concat([png, Buffer.alloc(limits.maxBytes)]),
        reason: 'too-large',
      },
      {
        name: 'binary.log',
        asked: 'text/plain',
        sent: 'text/plain',
        bytes: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1]),
        reason: 'content-not-matching-type',
      },
    ];
    for (const c of cases) {
      const grant = await grantUpload(id, token, { fileName: c.name, contentType: c.asked, size: 100 });
      expect((await postToS3(grant, c.bytes, c.sent)).status, c.name).toBeLessThan(300);
      const event = await evidenceEvent(id, grant.evidenceId);
      expect(event.action, c.name).toBe('evidence.quarantined');
      expect(event.details.reason, c.name).toBe(c.reason);
      // The upload key is emptied once what it held is recorded.
      expect(await gone(grant.fields.key), c.name).toBe(true);
      expect(await exists(`quarantine/${grant.fields.key}`), c.name).toBe(true);
    }
    expect((await complaintRecord(id))!.evidenceCount).toBeUndefined();
    expect(evidenceFromEvents((await eventsOf(id)) as any)).toEqual([]);
  });

  it('quarantines an object written under a complaint without an upload this desk handed out', async () => {
    const { id } = await filed();
    const key = `complaints/${id}/evidence/AAAAAAAAAAAAAAAAAAAAAA`;
    await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: pngImage(), ContentType: 'image/png' }));
    const stray = `complaints/${id}/notes.txt`;
    await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: stray, Body: 'hello', ContentType: 'text/plain' }));
    const deadline = Date.now() + WAIT_MS;
    while (Date.now() < deadline && ((await exists(key)) || (await exists(stray))))
      await new Promise((r) => setTimeout(r, 100));
    expect(await exists(`quarantine/${key}`)).toBe(true);
    expect(await exists(`quarantine/${stray}`)).toBe(true);
    expect((await eventsOf(id)).filter((e) => e.action.startsWith('evidence.'))).toEqual([]);
  });

  it('records an upload once, and sets aside new bytes posted again over recorded evidence', async () => {
    const { id, token } = await filed();
    const png = pngImage();
    const grant = await grantUpload(id, token, { fileName: 'a.png', contentType: 'image/png', size: png.length });
    await postToS3(grant, png, 'image/png');
    await evidenceEvent(id, grant.evidenceId);
    // The same bytes again (a repeated notification, a double submit): nothing new.
    await postToS3(grant, png, 'image/png');
    await new Promise((r) => setTimeout(r, 1000));
    expect((await eventsOf(id)).filter((e) => e.action.startsWith('evidence.'))).toHaveLength(1);
    // Different bytes through the same (still valid) presigned POST: set aside and recorded.
    await postToS3(grant, pngImage(8, 8, [0, 0, 255]), 'image/png');
    const deadline = Date.now() + WAIT_MS;
    let events: Record<string, any>[] = [];
    while (Date.now() < deadline && !(events = await eventsOf(id)).some((e) => e.action === 'evidence.quarantined'))
      await new Promise((r) => setTimeout(r, 100));
    expect(events.find((e) => e.action === 'evidence.quarantined')!.details.reason).toBe('replaced-after-recording');
    expect((await complaintRecord(id))!.evidenceCount).toBe(1);
    // The recorded evidence is untouched: kept where no upload reaches, it still downloads as recorded.
    useStackSettingsInProcess();
    const { withDownloadLinks } = await import('../../functions/store/evidence-objects');
    const [kept] = await withDownloadLinks(evidenceFromEvents(events as any));
    expect(kept!.key).toMatch(/^recorded\/complaints\//);
    const download = await fetch(kept!.url);
    expect(download.status).toBe(200);
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(png));
  });
});

describe('staff evidence list', () => {
  it('lists recorded evidence with 5-minute download links that download the recorded bytes', async () => {
    const { id, token } = await filed();
    const png = pngImage(30, 30, [10, 200, 10]);
    const grant = await grantUpload(id, token, { fileName: '截图 1.png', contentType: 'image/png', size: png.length });
    await postToS3(grant, png, 'image/png');
    await evidenceEvent(id, grant.evidenceId);

    // The presigning runs here with the stack's settings, as a staff page's handler would.
    useStackSettingsInProcess();
    const { withDownloadLinks } = await import('../../functions/store/evidence-objects');
    const { evidenceList } = await import('../../functions/pages/evidence-list');
    const linked = await withDownloadLinks(evidenceFromEvents((await eventsOf(id)) as any));
    expect(linked).toHaveLength(1);
    const url = new URL(linked[0]!.url);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    const download = await fetch(linked[0]!.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename\*=UTF-8''/);
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(png));
    const html = evidenceList(linked, 'zh-CN', 'Asia/Shanghai').value;
    expect(html).toContain('截图 1.png');
    expect(html).toContain(sha256(png));
    expect(html).toContain(linked[0]!.url.replace(/&/g, '&amp;'));
    expect(html).toContain('5 分钟');
  });
});
