import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListBucketsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../functions/domain/analytics-shapes';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { DAY_KEYED_PURGE_DAYS, PURGE_DUE_SHARDS } from '../../functions/domain/erasure';
import { TTL_ATTRIBUTE } from '../../functions/store/schema';
import { grantUpload, pngImage, postToS3, tokenOf } from '../support/evidence';
import { ownStack } from '../support/own-stack';
import {
  CaseDriver,
  emailsTo,
  expectStatus,
  linkIn,
  moveClock,
  SUBJECTS,
  stack,
  track,
  useStackSettingsInProcess,
  WAIT_MS,
} from '../support/stack-client';
import { signIn, staffJson, staffPost } from '../support/staff-client';
import { complaintRecord, eventsOf, scanAll, setOnComplaint, TABLE, table } from '../support/table';

/**
 * Erasure (PIPL Art. 47) on a stack of this file's own, whose clock moves to the erasure's
 * deadline: the complainant asks from the tracking page (the open case is withdrawn first), and
 * once due the purge leaves none of the case's personal data in the table or the buckets (texts'
 * short links and the number's opt-out, raw mail included), while the desk's figures stay as they
 * were. A legal hold defers it until released.
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

/** What SES's configuration set reports of a hard bounce, handed to RecordMailEvent in this process. */
async function recordMailEvent(event: unknown): Promise<{ suppressed: number }> {
  useStackSettingsInProcess();
  process.env.REDRESS_LOG_LEVEL = 'silent';
  const { handler } = await import('../../functions/mail/record-mail-event');
  return (await handler(event as never, {} as never)) as { suppressed: number };
}

const bounce = (address: string) => ({
  source: 'aws.ses',
  'detail-type': 'Email Bounced',
  detail: {
    eventType: 'Bounce',
    mail: { messageId: 'm-1', timestamp: new Date().toISOString() },
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: address }],
      timestamp: new Date().toISOString(),
    },
  },
});

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

interface Text {
  to: string;
  body: string;
}

/** The next text to `to` with a short link, and its code. */
async function shortLinkTextTo(to: string): Promise<string> {
  return until(
    `a text with a short link to ${to}`,
    async () => ((await (await fetch(`${stack().phone}/store`)).json()) as { texts: Text[] }).texts,
    (texts) => texts.some((t) => t.to === to && /\/s\/[0-9A-Za-z]{10}\b/.test(t.body)),
  ).then((texts) => /\/s\/([0-9A-Za-z]{10})\b/.exec(texts.find((t) => t.to === to && /\/s\//.test(t.body))!.body)![1]!);
}

/** A mail from the complainant to the case's reply address, over SMTP to the stand-in (SES receiving's). */
async function mailIn(mail: { from: string; to: string; subject: string; text: string }) {
  const [host, port] = stack().inboundSmtp.split(':');
  const smtp = nodemailer.createTransport({ host: host!, port: Number(port), secure: false, ignoreTLS: true });
  try {
    expect((await smtp.sendMail(mail)).rejected).toEqual([]);
  } finally {
    smtp.close();
  }
}

/**
 * A case with personal data in every place a case keeps it: the record, the history, a task link,
 * the outbox, evidence, a text's short link and the number's opt-out, a mailed reply (raw mail).
 */
async function personalCase(tag: string) {
  const digits = `139${tag.slice(-4).replace(/\D/g, '7').padStart(4, '7')}0${tag.length}01`;
  const person = {
    name: `Erin Erasable ${tag}`,
    email: `erin-${tag}@example.com`,
    phone: `+86 ${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`,
  };
  const e164 = `+86${digits}`;
  const texts = {
    description: `My wallet ${tag} was charged twice on the evening of the outage; order ${tag}-991.`,
    desiredOutcome: `Refund the second charge of order ${tag}-991.`,
    contactHistory: `Wrote to support about ${tag} twice; no answer.`,
  };
  const c = await CaseDriver.file(1, {
    complainant: { ...person, language: 'en', contactBy: 'both' },
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
  // The acknowledgement went by text too, with a short link; then the number opts out.
  const shortCode = await shortLinkTextTo(e164);
  const optOut = await fetch(`${stack().phone}/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from: e164, body: 'TD' }),
  });
  expect(await optOut.json()).toEqual({ outcome: 'opted-out', keyword: 'TD' });
  // A reply by mail lands on the case; its raw mail is kept with it.
  const ack = await c.email(/We have received your complaint/, person.email);
  const replyTo = ([] as string[]).concat((ack as unknown as { replyTo?: string | string[] }).replyTo ?? [])[0]!;
  const reply = `Mailed reply ${tag}: the second charge is still on my statement.`;
  await mailIn({
    from: person.email,
    to: replyTo,
    subject: `Re: [${c.number}] We have received your complaint`,
    text: reply,
  });
  await until(
    'the mailed reply landed',
    () => eventsOf(id),
    (events) => events.some((e) => e.action === 'complainant.replied'),
  );
  // A copy of their data was downloaded: the archive sits under exports/ for its link's lifetime.
  const url = new URL(c.trackingUrl);
  const copy = await fetch(`${url.origin}${url.pathname}/export${url.search}`, { redirect: 'manual' });
  expect(copy.status).toBe(303);
  return {
    c,
    id,
    person,
    texts,
    png,
    shortCode,
    secrets: [person.name, person.email, person.phone, e164, digits, reply, ...Object.values(texts)],
    // Kept under hashes of the number and the address (opt-out, text counts, proof of the address),
    // and the tracking token a text's short link stands for.
    hashed: [
      tokenOf(c.trackingUrl),
      createHash('sha256').update(`phone:${e164}`).digest('hex'),
      createHash('sha256').update(`complainant:${person.email}`).digest('hex'),
      createHash('sha256').update(`suppressed:${person.email}`).digest('hex'),
    ],
  };
}

/**
 * Where any of these strings or these bytes is still held: table items and bucket objects (and
 * objects filed under the case's id); and
 * which live items are still kept under these hashes (an item whose TTL passed is DynamoDB's to
 * delete, which DynamoDB Local does not: the hourly rate windows, gone an hour after their hour).
 */
async function stillHeld(secrets: string[], bytes: Uint8Array, hashed: string[] = [], now = 0, id?: string) {
  const items = await scanAll();
  const objects = await everyObject();
  const hash = sha256(bytes);
  return [
    ...items.flatMap((item) => {
      const text = JSON.stringify(item);
      const live = !(typeof item[TTL_ATTRIBUTE] === 'number' && item[TTL_ATTRIBUTE] * 1000 <= now);
      return [
        ...secrets.filter((s) => text.includes(s)).map((s) => `table ${item.pk} ${item.sk}: ${s}`),
        ...(live ? hashed.filter((h) => text.includes(h)).map((h) => `table ${item.pk} ${item.sk}: hash ${h}`) : []),
      ];
    }),
    ...objects.flatMap((o) => [
      ...secrets.filter((s) => o.text.includes(s)).map((s) => `bucket ${o.where}: ${s}`),
      ...(o.sha256 === hash ? [`bucket ${o.where}: the evidence bytes`] : []),
      // Anything still filed under the case (evidence, raw mail, archives, whose ZIPs are compressed).
      ...(id && o.where.includes(id) ? [`bucket ${o.where}: filed under the case`] : []),
    ]),
  ];
}

describe('erasure', () => {
  it('withdraws the open case, and at the deadline leaves none of its personal data in the table or the buckets; the figures stay as they were', async () => {
    let manager = await signIn(OPERATOR);
    const tag = `e${Date.now().toString(36)}`;
    const k = await personalCase(tag);
    const held = await stillHeld(k.secrets, k.png, k.hashed, 0, k.id);
    // Every kind of place is held before: the number's opt-out, a text's short link, the raw mail.
    expect(held.filter((w) => w.startsWith('table PHONE#')).length, held.join('\n')).toBeGreaterThan(0);
    expect(held.filter((w) => w.startsWith(`table SHORT#${k.shortCode}`)).length, held.join('\n')).toBeGreaterThan(0);
    expect(held.filter((w) => w.includes(`/exports/${k.id}/`)).length, held.join('\n')).toBeGreaterThan(0);
    expect(held.filter((w) => w.includes(`/mail/complaints/${k.id}/`)).length, held.join('\n')).toBeGreaterThan(0);
    expect((await fetch(`${stack().api}/s/${k.shortCode}`, { redirect: 'manual' })).status).toBe(302);

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
    // SES reported the address bounced (locally SES never bounces: the event is handed to RecordMailEvent).
    expect(await recordMailEvent(bounce(k.person.email))).toEqual({ suppressed: 1 });
    expect((await stillHeld([], new Uint8Array(), k.hashed)).some((w) => w.startsWith('table SUPPRESSED#'))).toBe(true);
    // Staff see the deadline on the case.
    const page = await (
      await fetch(`${stack().api}/staff/complaints/${k.id}?lang=en`, { headers: { cookie: manager.cookie } })
    ).text();
    expect(page).toContain('The complainant asked for erasure; erase by');

    // The figures' days are the desk's (Asia/Shanghai): from 16:00 UTC on, a day ahead of UTC's.
    const day = dayOf(asked.json.erasureRequestedAt, desk.timeZone);
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
    expect(await stillHeld(k.secrets, k.png, k.hashed, new Date(erased!.erasedAt).getTime(), k.id)).toEqual([]);
    expect((await fetch(`${stack().api}/s/${k.shortCode}`, { redirect: 'manual' })).status).toBe(404);
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
    const erased = await complaintRecord(k.id);
    expect(await stillHeld(k.secrets, k.png, k.hashed, new Date(erased!.erasedAt).getTime(), k.id)).toEqual([]);
  });

  it('erases a case an earlier release put under its due day, walking the days from that release’s checkpoint, and ends the walk once no such case can be due', async () => {
    const k = await personalCase(`d${Date.now().toString(36)}`);
    expect((await erasureRequest(k.c.trackingUrl, 'yes')).response.status).toBe(202);
    const asked = (await complaintRecord(k.id))!;
    expect(asked.purgeDue).toMatch(new RegExp(`^PURGE#[0-${PURGE_DUE_SHARDS - 1}]$`));
    // As the day-keyed release wrote them: the case under its due day, and the days read so far.
    await setOnComplaint(k.id, { purgeDue: `PURGE#${String(asked.purgeDueAt).slice(0, 10)}#1` });
    const checkpointKey = { pk: 'SWEEP#purge', sk: 'META' };
    const checkpoint = async () =>
      (await table().send(new GetCommand({ TableName: TABLE, Key: checkpointKey, ConsistentRead: true }))).Item;
    const today = String(asked.erasureRequestedAt).slice(0, 10);
    await table().send(new PutCommand({ TableName: TABLE, Item: { ...checkpointKey, purgedBefore: today } }));

    await moveClock(16 * DAY, ['PurgeDueErasures']);
    await until(
      'the day-keyed case erased',
      () => complaintRecord(k.id),
      (r) => !!r?.erasedAt,
    );
    const moved = (await checkpoint())!;
    expect(moved.purgedBefore > today).toBe(true);
    // The last day a day-keyed case can be due: the longest erasure period on from the first move.
    expect(moved.dayKeyedUntil > moved.purgedBefore).toBe(true);

    await moveClock((DAY_KEYED_PURGE_DAYS + 1) * DAY, ['PurgeDueErasures']);
    await until('the checkpoint removed', checkpoint, (item) => item === undefined);
  });

  it('forgets a corrected-away address with the case: its proof and its suppression after a bounce go too', async () => {
    const tag = `c${Date.now().toString(36)}`;
    const oldAddress = `carl-${tag}@example.com`;
    const newAddress = `carl-moved-${tag}@example.net`;
    const c = await CaseDriver.file(1, {
      complainant: { name: `Carl Corrected ${tag}`, email: oldAddress, language: 'en', contactBy: 'email' },
      subject: { type: 'service', name: 'Wallet payments' },
    });
    const id = (await track(c.trackingUrl)).json.id as string;
    // The old address proves real (a mail in from it), then bounces.
    const ack = await c.email(/We have received your complaint/, oldAddress);
    const replyTo = ([] as string[]).concat((ack as unknown as { replyTo?: string | string[] }).replyTo ?? [])[0]!;
    await mailIn({
      from: oldAddress,
      to: replyTo,
      subject: `Re: [${c.number}]`,
      text: `Reply ${tag} from the old box.`,
    });
    await until(
      'the mailed reply landed',
      () => eventsOf(id),
      (events) => events.some((e) => e.action === 'complainant.replied'),
    );
    expect(await recordMailEvent(bounce(oldAddress))).toEqual({ suppressed: 1 });
    // The complainant moves to a new address, confirmed from its own mailbox.
    const url = new URL(c.trackingUrl);
    const asked = await fetch(`${url.origin}${url.pathname}/contact${url.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: newAddress }),
    });
    expect(asked.status).toBe(200);
    const confirmMail = await until(
      'the confirmation mail',
      () => emailsTo(newAddress),
      (mails) => mails.some((m) => /Confirm your new email address/.test(m.subject)),
    );
    const link = new URL(linkIn(confirmMail.find((m) => /Confirm/.test(m.subject))!, '/complaints/'));
    const confirmed = await fetch(`${link.origin}${link.pathname}?lang=en`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: link.searchParams.get('code')! }).toString(),
    });
    expect(confirmed.status).toBe(200);
    const record = await complaintRecord(id);
    expect(record!.complainant.email).toBe(newAddress);
    // The case keeps only hashes of the address it left, never the address itself.
    expect(JSON.stringify(record)).not.toContain(oldAddress);
    // Then they ask for a third address, whose confirmation mail bounces: it is never confirmed.
    const thirdAddress = `carl-third-${tag}@example.org`;
    const third = await fetch(`${url.origin}${url.pathname}/contact${url.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: thirdAddress }),
    });
    expect(third.status).toBe(200);
    expect(await recordMailEvent(bounce(thirdAddress))).toEqual({ suppressed: 1 });
    const hashOf = (what: string, address: string) => createHash('sha256').update(`${what}:${address}`).digest('hex');
    const hashed = [
      hashOf('complainant', oldAddress),
      hashOf('suppressed', oldAddress),
      hashOf('complainant', newAddress),
      hashOf('suppressed', newAddress),
      hashOf('suppressed', thirdAddress),
    ];
    const before = await stillHeld([], new Uint8Array(), hashed);
    expect(
      before.some((w) => w.includes(`COMPLAINANT#${hashed[0]} ENGAGED`)),
      before.join('\n'),
    ).toBe(true);
    for (const suppressed of [hashed[1], hashed[4]])
      expect(
        before.some((w) => w.includes(`SUPPRESSED#${suppressed}`)),
        before.join('\n'),
      ).toBe(true);

    expect((await erasureRequest(c.trackingUrl, 'yes')).response.status).toBe(202);
    await moveClock(16 * DAY, ['PurgeDueErasures']);
    const erased = await until(
      'the case erased',
      () => complaintRecord(id),
      (r) => !!r?.erasedAt,
    );
    expect(
      await stillHeld(
        [oldAddress, newAddress, thirdAddress],
        new Uint8Array(),
        hashed,
        new Date(erased!.erasedAt).getTime(),
        id,
      ),
    ).toEqual([]);
    // Nor anything filed under the key the case was filed with, even what TTL would delete in time
    // (the pointer on the matter lives up to intake.duplicateDays, longer than the erasure period may
    // be), but for the hourly filing counts, gone an hour after their hour.
    expect(
      (await scanAll())
        .filter((item) => String(item.pk).includes(hashed[0]!) && !String(item.sk).startsWith('WINDOW#'))
        .map((i) => `${i.pk} ${i.sk}`),
    ).toEqual([]);
  });

  it('keeps the number’s opt-out while another kept case holds the number: its texts stay stopped', async () => {
    const tag = `s${Date.now().toString(36)}`;
    const e164 = `+86138${tag.slice(-4).replace(/\D/g, '7').padStart(4, '7')}0${tag.length}02`;
    const complainant = {
      name: `Sam Shared ${tag}`,
      email: `sam-${tag}@example.com`,
      phone: e164,
      language: 'en',
      contactBy: 'both',
    };
    const erased = await CaseDriver.file(1, { complainant, subject: { type: 'service', name: 'Wallet payments' } });
    await CaseDriver.file(1, { complainant, subject: { type: 'service', name: `Parcel lockers ${tag}` } });
    const optOut = await fetch(`${stack().phone}/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: e164, body: 'TD' }),
    });
    expect(await optOut.json()).toEqual({ outcome: 'opted-out', keyword: 'TD' });
    const id = (await track(erased.trackingUrl)).json.id as string;
    expect((await erasureRequest(erased.trackingUrl, 'yes')).response.status).toBe(202);
    await moveClock(16 * DAY, ['PurgeDueErasures']);
    await until(
      'the case erased',
      () => complaintRecord(id),
      (r) => !!r?.erasedAt,
    );
    const optOutKey = `PHONE#${createHash('sha256').update(`phone:${e164}`).digest('hex')}`;
    expect((await scanAll()).filter((item) => item.pk === optOutKey).map((item) => item.sk)).toContain('OPTOUT');
  });

  it('keeps the number’s opt-out while another person’s kept case holds the number, and forgets it with the last such case', async () => {
    const tag = `p${Date.now().toString(36)}`;
    const e164 = `+86137${tag.slice(-4).replace(/\D/g, '7').padStart(4, '7')}0${tag.length}03`;
    const person = (who: string) => ({
      name: `${who} Shared ${tag}`,
      email: `${who.toLowerCase()}-${tag}@example.com`,
      phone: e164,
      language: 'en',
      contactBy: 'both',
    });
    // Two people give the same number (a household's phone): neither's cases are the other's.
    const first = await CaseDriver.file(1, {
      complainant: person('Pat'),
      subject: { type: 'service', name: 'Wallet' },
    });
    const second = await CaseDriver.file(1, {
      complainant: person('Kim'),
      subject: { type: 'service', name: 'Lockers' },
    });
    const optOut = await fetch(`${stack().phone}/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: e164, body: 'TD' }),
    });
    expect(await optOut.json()).toEqual({ outcome: 'opted-out', keyword: 'TD' });
    const phoneKey = `PHONE#${createHash('sha256').update(`phone:${e164}`).digest('hex')}`;
    const phoneItems = async () =>
      (await scanAll())
        .filter((item) => item.pk === phoneKey)
        .map((item) => String(item.sk))
        .filter((sk) => !sk.startsWith('WINDOW#'));

    const eraseAndWait = async (trackingUrl: string) => {
      const id = (await track(trackingUrl)).json.id as string;
      expect((await erasureRequest(trackingUrl, 'yes')).response.status).toBe(202);
      await moveClock(16 * DAY, ['PurgeDueErasures']);
      await until(
        'the case erased',
        () => complaintRecord(id),
        (r) => !!r?.erasedAt,
      );
    };
    await eraseAndWait(first.trackingUrl);
    // Kim's case still holds the number: its texts stay stopped.
    expect(await phoneItems()).toContain('OPTOUT');
    await eraseAndWait(second.trackingUrl);
    // The last case that held the number is gone: nothing is kept under it.
    expect(await phoneItems()).toEqual([]);
  });
});
