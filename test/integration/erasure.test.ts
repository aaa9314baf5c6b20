import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { grantUpload, pngImage, postToS3, tokenOf } from '../support/evidence';
import { ownStack } from '../support/own-stack';
import { CaseDriver, expectStatus, moveClock, SUBJECTS, stack, track, WAIT_MS } from '../support/stack-client';
import { signIn, staffJson, staffPost } from '../support/staff-client';
import { complaintRecord, eventsOf, scanAll } from '../support/table';

/**
 * Erasure (PIPL Art. 47) on a stack of this file's own, whose clock moves to the erasure's
 * deadline: the complainant asks from the tracking page (the open case is withdrawn first), and
 * once due the purge leaves none of the case's personal data in the table or the buckets, while
 * the desk's figures stay as they were. A legal hold defers it until released.
 */
const OPERATOR = 'desk.operator@example.org';
const desk = { ...DEFAULT_DESK_CONFIG, admins: [OPERATOR], analytics: { refreshSeconds: 0 } };
const configDir = mkdtempSync(path.join(os.tmpdir(), 'redress-erasure-'));
const configFile = path.join(configDir, 'redress.config.json');
writeFileSync(configFile, JSON.stringify({ mailFrom: 'complaints@redress.test', desk }));
ownStack({ REDRESS_CONFIG_FILE: configFile, REDRESS_RECONCILE_EVERY_MS: '1000' });
afterAll(() => rmSync(configDir, { recursive: true, force: true }));

const DAY = 86_400;
const TRUST_SUPERVISOR = DEFAULT_DESK_CONFIG.teams.trust!.supervisor;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const s3 = () =>
  new S3Client({
    endpoint: stack().s3,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/** Every object of every local bucket: its bucket, key, text and hash. */
async function everyObject(): Promise<{ where: string; text: string; sha256: string }[]> {
  const client = s3();
  const found: { where: string; text: string; sha256: string }[] = [];
  for (const bucket of (await client.send(new ListBucketsCommand({}))).Buckets ?? []) {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket.Name!, ...(token ? { ContinuationToken: token } : {}) }),
      );
      for (const object of page.Contents ?? []) {
        const body = await (
          await client.send(new GetObjectCommand({ Bucket: bucket.Name!, Key: object.Key! }))
        ).Body!.transformToByteArray();
        found.push({
          where: `${bucket.Name}/${object.Key}`,
          text: Buffer.from(body).toString('utf8'),
          sha256: sha256(body),
        });
      }
      token = page.NextContinuationToken;
    } while (token);
  }
  return found;
}

async function erasureRequest(trackingUrl: string, confirm?: string) {
  const url = new URL(trackingUrl);
  const response = await fetch(`${url.origin}${url.pathname}/erasure-request${url.search}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(confirm ? { confirm } : {}),
  });
  return { response, json: (await response.json()) as any };
}

async function until<T>(
  what: string,
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  nudge?: () => Promise<unknown>,
) {
  const deadline = Date.now() + WAIT_MS;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await nudge?.();
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} did not happen in ${WAIT_MS} ms; last: ${JSON.stringify(last)?.slice(0, 500)}`);
}

/** A case with personal data in every place a case keeps it: the record, the history, a task link, the outbox, evidence. */
async function personalCase(tag: string) {
  const person = {
    name: `Erin Erasable ${tag}`,
    email: `erin-${tag}@example.com`,
    phone: `+86 139 ${tag.slice(-4).replace(/\D/g, '7').padStart(4, '7')} 0${tag.length}01`,
  };
  const texts = {
    description: `My wallet ${tag} was charged twice on the evening of the outage; order ${tag}-991.`,
    desiredOutcome: `Refund the second charge of order ${tag}-991.`,
    contactHistory: `Wrote to support about ${tag} twice; no answer.`,
  };
  const c = await CaseDriver.file(1, {
    complainant: { ...person, language: 'en' },
    ...texts,
    subject: { type: 'service', name: 'Wallet payments' },
  });
  const id = (await track(c.trackingUrl)).json.id as string;
  const png = pngImage(17, 11, [tag.charCodeAt(0), 80, 160]);
  const grant = await grantUpload(id, tokenOf(c.trackingUrl), {
    fileName: `receipt-${tag}.png`,
    contentType: 'image/png',
    size: png.length,
  });
  expect((await postToS3(grant, png, 'image/png')).status).toBeLessThan(300);
  await until(
    'evidence recorded',
    () => eventsOf(id),
    (events) => events.some((e) => e.action === 'evidence.added'),
  );
  await c.taskLink(SUBJECTS.acceptance);
  return { c, id, person, texts, png, secrets: [person.name, person.email, person.phone, ...Object.values(texts)] };
}

/** Where any of these strings or these bytes is still held: table items and bucket objects. */
async function stillHeld(secrets: string[], bytes: Uint8Array) {
  const items = await scanAll();
  const objects = await everyObject();
  const hash = sha256(bytes);
  return [
    ...items.flatMap((item) => {
      const text = JSON.stringify(item);
      return secrets.filter((s) => text.includes(s)).map((s) => `table ${item.pk} ${item.sk}: ${s}`);
    }),
    ...objects.flatMap((o) => [
      ...secrets.filter((s) => o.text.includes(s)).map((s) => `bucket ${o.where}: ${s}`),
      ...(o.sha256 === hash ? [`bucket ${o.where}: the evidence bytes`] : []),
    ]),
  ];
}

describe('erasure', () => {
  it('withdraws the open case, and at the deadline leaves none of its personal data in the table or the buckets; the figures stay as they were', async () => {
    let manager = await signIn(OPERATOR);
    const tag = `e${Date.now().toString(36)}`;
    const k = await personalCase(tag);
    expect(await stillHeld(k.secrets, k.png)).not.toEqual([]);

    // The confirmation step: without confirm=yes nothing happens.
    const unconfirmed = await erasureRequest(k.c.trackingUrl);
    expect(unconfirmed.response.status).toBe(400);
    expect(unconfirmed.json.errors[0].path).toBe('confirm');
    expect((await complaintRecord(k.id))!.status).not.toBe('closed');

    const asked = await erasureRequest(k.c.trackingUrl, 'yes');
    expect(asked.response.status, JSON.stringify(asked.json)).toBe(202);
    const record = await complaintRecord(k.id);
    expect(record).toMatchObject({ status: 'closed', outcome: 'withdrawn', erasureDueAt: asked.json.erasureDueAt });
    expect(new Date(asked.json.erasureDueAt).getTime() - new Date(asked.json.erasureRequestedAt).getTime()).toBe(
      15 * DAY * 1000,
    );
    await k.c.email(/删除申请|erase your data/, k.person.email);
    expect((await erasureRequest(k.c.trackingUrl, 'yes')).response.status).toBe(409);
    // Staff see the deadline on the case.
    const page = await (
      await fetch(`${stack().api}/staff/complaints/${k.id}?lang=en`, { headers: { cookie: manager.cookie } })
    ).text();
    expect(page).toContain('The complainant asked for erasure; erase by');

    const day = asked.json.erasureRequestedAt.slice(0, 10);
    const figures = async () =>
      expectStatus(await staffJson(`/staff/analytics?from=${day}&to=${day}`, manager.cookie), 200, 'analytics').json;
    const before = await until('the withdrawal counted', figures, (view) => view.outcomes?.withdrawn === 1);

    // Not yet due: a day before the deadline the data are all there.
    await moveClock(14 * DAY, ['PurgeDueErasures']);
    expect((await complaintRecord(k.id))!.erasedAt).toBeUndefined();

    await moveClock(DAY + 3600, ['PurgeDueErasures']);
    const erased = await until(
      'the case erased',
      () => complaintRecord(k.id),
      (r) => !!r?.erasedAt,
    );
    expect(erased).toMatchObject({
      id: k.id,
      number: k.c.number,
      status: 'closed',
      erasureRequestedAt: record!.erasureRequestedAt,
    });
    expect(await stillHeld(k.secrets, k.png)).toEqual([]);
    // The fact and date of erasure stay; the tracking link opens nothing.
    expect((await eventsOf(k.id)).map((e) => e.action)).toEqual(['case.erased']);
    expect((await track(k.c.trackingUrl)).response.status).toBe(404);
    // Sessions last 12 hours: the clock moved 15 days.
    manager = await signIn(OPERATOR);
    const after = await figures();
    // Staff still see that the case existed and when it was erased.
    const erasedPage = await fetch(`${stack().api}/staff/complaints/${k.id}?lang=en`, {
      headers: { cookie: manager.cookie },
    });
    expect(erasedPage.status).toBe(200);
    expect(await erasedPage.text()).toContain('Personal data erased');
    for (const part of ['received', 'serviceLevels', 'outcomes', 'satisfaction', 'hotspots', 'rising', 'handlers']) {
      expect(before, part).toHaveProperty(part);
      expect(after[part], part).toEqual(before[part]);
    }
  });

  it('waits for a legal hold: the complainant is told, nothing is erased at the deadline, and the release lets it go on', async () => {
    let supervisor = await signIn(TRUST_SUPERVISOR);
    const tag = `h${Date.now().toString(36)}`;
    const k = await personalCase(tag);
    expect((await erasureRequest(k.c.trackingUrl, 'yes')).response.status).toBe(202);
    const reason = `Dispute ${tag} before the market regulator`;
    const noReason = await staffPost(
      `/staff/complaints/${k.id}/legal-hold`,
      supervisor,
      { nonce: supervisor.nonce, action: 'place' },
      'application/json',
    );
    expect(noReason.response.status).toBe(400);
    const placed = await staffPost(
      `/staff/complaints/${k.id}/legal-hold`,
      supervisor,
      { nonce: supervisor.nonce, action: 'place', reason },
      'application/json',
    );
    expect(placed.response.status, placed.text).toBe(200);
    const told = await k.c.email(/暂予保留|kept for now/, k.person.email);
    expect(told.body.text).toContain(reason);
    expect((await track(k.c.trackingUrl)).json.legalHold.reason).toBe(reason);

    await moveClock(16 * DAY, ['PurgeDueErasures']);
    const held = await complaintRecord(k.id);
    expect(held!.erasedAt).toBeUndefined();
    expect(held!.purgeDue).toBeUndefined();
    expect(await stillHeld(k.secrets, k.png)).not.toEqual([]);

    supervisor = await signIn(TRUST_SUPERVISOR);
    const released = await staffPost(
      `/staff/complaints/${k.id}/legal-hold`,
      supervisor,
      { nonce: supervisor.nonce, action: 'release' },
      'application/json',
    );
    expect(released.response.status, released.text).toBe(200);
    await moveClock(60, ['PurgeDueErasures']);
    await until(
      'the case erased after the release',
      () => complaintRecord(k.id),
      (r) => !!r?.erasedAt,
    );
    expect(await stillHeld(k.secrets, k.png)).toEqual([]);
  });
});
