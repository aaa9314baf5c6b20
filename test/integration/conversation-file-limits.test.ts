import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG, type DeskConfig } from '../../functions/domain/config';
import { DECLARED_UPLOAD_GRACE_SECONDS } from '../../functions/domain/evidence-policy';
import { pngImage, postToS3, requestUpload, tokenOf } from '../support/evidence';
import { runRoot, writeTestConfig } from '../support/local-stack-setup';
import { ownStack } from '../support/own-stack';
import {
  CaseDriver,
  complaintBody,
  emailsTo,
  expectStatus,
  linkIn,
  moveClock,
  NEEDS_SCREENSHOT,
  stack,
  SUBJECTS,
  track,
  waitForEmail,
  useStackSettingsInProcess,
  waitForStatus,
} from '../support/stack-client';
import { signIn, type Staff, staffPost, staffPostJson } from '../support/staff-client';
import { complaintRecord, eventsOf, queuedMailOf } from '../support/table';

/**
 * The conversation's files and the case's allowances (issue 25 gaps), on a stack of this file's
 * own with small limits: the complainant's side keeps 2 files, the respondent's 1.
 */
const desk: DeskConfig = {
  ...DEFAULT_DESK_CONFIG,
  evidence: {
    ...DEFAULT_DESK_CONFIG.evidence,
    maxFiles: 2,
    respondent: { ...DEFAULT_DESK_CONFIG.evidence.respondent, maxFiles: 1 },
  },
};
ownStack({ REDRESS_CONFIG_FILE: writeTestConfig(mkdtempSync(path.join(runRoot(), 'redress-limits-')), desk) });

const sessions = new Map<string, Promise<Staff>>();
const staffFor = (email: string) => {
  if (!sessions.has(email)) sessions.set(email, signIn(email));
  return sessions.get(email)!;
};

async function waitFor<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const found = await read();
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}

/** A case under investigation whose respondent has a link (from a message the desk sent them). */
async function withRespondent() {
  const c = await CaseDriver.file(1);
  const acceptance = await c.taskLink(SUBJECTS.acceptance);
  const handler = acceptance.email.destination.to[0]!;
  await c.act(acceptance.url, { decision: 'accept' });
  const investigation = await c.taskLink(SUBJECTS.investigation, handler);
  const id = (await track(c.trackingUrl)).json.id as string;
  const respondent = `resp-limits-${Date.now().toString(36)}@example.net`;
  await c.act(investigation.url, { decision: 'request-statement', respondentEmail: respondent, question: 'Why?' });
  await c.act((await c.taskLink(SUBJECTS.statement, respondent)).url, { statement: 'It was a mistake.' });
  await c.taskLink(SUBJECTS.investigation, handler);
  const staff = await staffFor(handler);
  expectStatus(
    await staffPostJson(staff, `/staff/complaints/${id}/messages`, { to: 'respondent', text: 'Send us the log.' }),
    201,
    'message to respondent',
  );
  const link = linkIn(await c.email(/A message about a complaint/, respondent), '/respond/');
  return { c, id, staff, link, token: new URL(link).searchParams.get('token')! };
}

const PNG = pngImage();

async function recorded(id: string, evidenceId: string) {
  return waitFor(`evidence ${evidenceId} recorded`, async () =>
    (await eventsOf(id)).find((e) => e.action === 'evidence.added' && e.details.evidenceId === evidenceId),
  );
}

describe('each side of a case keeps its own file allowance', () => {
  it('a respondent’s files no longer use up the complainant’s; each side’s limit is a bilingual problem', async () => {
    const r = await withRespondent();
    const respondentAsks = (language: string) =>
      fetch(`${stack().api}/respond/${r.id}/attachments`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'accept-language': language,
          authorization: `Bearer ${r.token}`,
        },
        body: JSON.stringify({ fileName: 'log.png', contentType: 'image/png', size: PNG.length }),
      });
    // The respondent's allowance: one file kept, two uploads handed out.
    const first = expectStatus({ response: await respondentAsks('en'), json: undefined }, 201, 'respondent grant');
    const grant = (await first.response.json()) as any;
    expect((await postToS3(grant, PNG, 'image/png', 'log.png')).status).toBeLessThan(300);
    await recorded(r.id, grant.evidenceId);
    expect((await respondentAsks('en')).status).toBe(201);
    const refusedEn = await respondentAsks('en');
    expect(refusedEn.status).toBe(409);
    expect(refusedEn.headers.get('content-type')).toContain('application/problem+json');
    expect(await refusedEn.json()).toMatchObject({
      type: 'urn:redress:problem:evidence-limit-reached',
      title: 'You have sent as many files on this complaint as you can',
      detail: 'The respondent may send at most 1 files on a complaint.',
    });
    expect(await (await respondentAsks('zh-CN')).json()).toMatchObject({
      title: '您在该投诉中的文件数量已达上限',
      detail: '被投诉方在每个投诉中最多提交 1 个文件。',
    });

    // The complainant's allowance is untouched: two files recorded, four uploads handed out.
    const token = tokenOf(r.c.trackingUrl);
    const body = { fileName: 'shot.png', contentType: 'image/png', size: PNG.length };
    for (let i = 0; i < 2; i++) {
      const { response, json } = await requestUpload(r.id, token, body);
      expect(response.status).toBe(201);
      expect((await postToS3(json, PNG, 'image/png', 'shot.png')).status).toBeLessThan(300);
      await recorded(r.id, json.evidenceId);
    }
    for (let i = 0; i < 2; i++) expect((await requestUpload(r.id, token, body)).response.status).toBe(201);
    const full = await fetch(`${stack().api}/complaints/${r.id}/evidence`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    expect(full.status).toBe(409);
    expect(await full.json()).toMatchObject({
      type: 'urn:redress:problem:evidence-limit-reached',
      title: '该投诉的证据数量已达上限',
      detail: '每个投诉最多 2 个文件。',
    });
    expect(await complaintRecord(r.id)).toMatchObject({
      evidenceCount: 2,
      uploadsIssued: 4,
      respondentEvidenceCount: 1,
      respondentUploadsIssued: 2,
    });
  });
});

const OPS_HANDLER = DEFAULT_DESK_CONFIG.teams.operations!.handlers[0]!;

/** A hotline complaint entered by staff with the caller's files declared (the same body and key: a replay). */
async function enterWithFile(
  fileName: string | string[],
  again?: { body: Record<string, any>; key: string },
): Promise<any> {
  const staff = await staffFor(OPS_HANDLER);
  const body = again?.body ?? complaintBody(0, { ...NEEDS_SCREENSHOT, channel: 'hotline' });
  const names = Array.isArray(fileName) ? fileName : [fileName];
  const response = await fetch(`${stack().api}/staff/complaints`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      cookie: staff.cookie,
      'x-redress-nonce': staff.nonce,
      ...(again ? { 'idempotency-key': again.key } : {}),
    },
    body: JSON.stringify({
      ...body,
      evidence: names.map((name) => ({ fileName: name, contentType: 'image/png', size: PNG.length })),
    }),
  });
  const filed = expectStatus({ response, json: await response.json() }, 201, 'entry with a declared file').json as any;
  expect(filed.evidence).toEqual({ required: true, satisfiedBy: 'desk' });
  return { ...filed, email: body.complainant.email as string, staff, body };
}

/** The case as a manager sees it (the entering member's team may not be the category's). */
async function staffCase(_enteredBy: Staff, id: string, language = 'en') {
  const staff = await staffFor(DEFAULT_DESK_CONFIG.teams.operations!.manager);
  const json = (await (
    await fetch(`${stack().api}/staff/complaints/${id}`, {
      headers: { accept: 'application/json', cookie: staff.cookie },
    })
  ).json()) as any;
  const html = await (
    await fetch(`${stack().api}/staff/complaints/${id}?lang=${language}`, { headers: { cookie: staff.cookie } })
  ).text();
  return { json, html };
}

/** The evidence step's task was opened (its request, if any, written with it). */
async function evidenceTaskOpened(id: string) {
  return waitFor('evidence task opened', async () =>
    (await eventsOf(id)).find((e) => e.action === 'task.assigned' && e.details.step === 'evidence'),
  );
}

describe('the caller’s files declared at staff entry that never land', () => {
  it('ask the caller for evidence once the declared uploads can no longer land, and the staff page says the file never arrived; a file that lands asks nobody', async () => {
    // Never uploaded; uploaded but refused by the check; uploaded and recorded.
    const never = await enterWithFile('never-sent.png');
    const refused = await enterWithFile('not-a-png.png');
    const landed = await enterWithFile('landed.png');
    expect(
      (await postToS3(refused.uploads[0], Buffer.from('MZ this is no image at all'), 'image/png', 'x.png')).status,
    ).toBeLessThan(300);
    expect((await postToS3(landed.uploads[0], PNG, 'image/png', 'landed.png')).status).toBeLessThan(300);
    await waitFor('refused file quarantined', async () =>
      (await eventsOf(refused.id)).find((e) => e.action === 'evidence.quarantined'),
    );
    await recorded(landed.id, landed.uploads[0].evidenceId);
    await waitForStatus(landed.trackingUrl, (t) => t.status === 'acceptance-review');

    // While the declared uploads may still land, the case waits for evidence and asks nobody.
    for (const c of [never, refused]) {
      await evidenceTaskOpened(c.id);
      const tracked = (await track(c.trackingUrl)).json;
      expect(tracked.status).toBe('awaiting-evidence');
      expect(JSON.stringify(tracked.history)).not.toContain('请您上传证据');
      expect(JSON.stringify(tracked.history)).toContain('工作人员正在上传您提供的证据');
      expect((await emailsTo(c.email)).filter((e) => SUBJECTS.evidence.test(e.subject))).toEqual([]);
    }
    expect((await staffCase(never.staff, never.id)).json.declared).toEqual([
      { evidenceId: never.uploads[0].evidenceId, name: 'never-sent.png', state: 'expected' },
    ]);
    expect((await staffCase(refused.staff, refused.id)).json.declared).toEqual([
      {
        evidenceId: refused.uploads[0].evidenceId,
        name: 'not-a-png.png',
        state: 'refused',
        reason: 'content-not-matching-type',
      },
    ]);

    // Past the links' expiry (and a check's time), the caller is asked after all; the case whose file landed is not.
    // The outbox's sender then sends what is due on its own schedule.
    await moveClock(desk.evidence.uploadSeconds + DECLARED_UPLOAD_GRACE_SECONDS + 60);
    for (const c of [never, refused]) await waitForEmail(c.email, SUBJECTS.evidence);
    expect((await emailsTo(landed.email)).filter((e) => SUBJECTS.evidence.test(e.subject))).toEqual([]);
    expect((await track(landed.trackingUrl)).json.status).toBe('acceptance-review');

    const { json, html } = await staffCase(never.staff, never.id);
    expect(json.declared).toEqual([
      { evidenceId: never.uploads[0].evidenceId, name: 'never-sent.png', state: 'never-uploaded' },
    ]);
    expect(html).toContain('id="declared-files"');
    expect(html).toContain('Its upload link expired; the file never arrived');
    expect((await staffCase(never.staff, never.id, 'zh-CN')).html).toContain('上传链接已过期，文件从未到达');
    const refusedPage = (await staffCase(refused.staff, refused.id)).html;
    expect(refusedPage).toContain('Refused by the check; never arrived');
    expect(refusedPage).toContain('The content does not match its type');
    // A file that landed is evidence, not a missing declaration.
    expect((await staffCase(landed.staff, landed.id)).html).not.toContain('id="declared-files"');
  });
});

describe('the caller’s evidence request held while declared files may land', () => {
  it('goes once when the evidence task was opened again meanwhile (as a redriven workflow opens it): the first task’s request is withdrawn', async () => {
    const twice = await enterWithFile('reopened.png');
    const first = await evidenceTaskOpened(twice.id);
    expect(first.details.askFrom).toBeDefined();
    // The workflow opens the step's task again (a restart's redrive does), in this process on the
    // stack's table at the stack's time, with this file's desk.
    useStackSettingsInProcess();
    process.env.REDRESS_CONFIG = JSON.stringify({ ...desk, inbound: { ...desk.inbound, enabled: true } });
    // The request's tracking link is signed with a key of this process: this test follows no link.
    process.env.LINK_SIGNING_KEY = 'reopened-evidence-task-test-link-signing-key-0123456789';
    const { moveClockForward } = await import('../../functions/lib/clock');
    const stackNow = await moveClock(1);
    moveClockForward(Math.max(0, stackNow.getTime() - Date.now()));
    const { openTask } = await import('../../functions/app/open-task');
    await openTask({
      complaintId: twice.id,
      step: 'evidence',
      level: 0,
      taskToken: 'reopened-task-token',
      timeoutSeconds: 7 * 86_400,
    });
    expect((await queuedMailOf(twice.id)).filter((item) => item.purpose === 'task.evidence')).toHaveLength(2);

    // The outbox's sender then sends what is due on its own schedule.
    await moveClock(desk.evidence.uploadSeconds + DECLARED_UPLOAD_GRACE_SECONDS + 60);
    await waitForEmail(twice.email, SUBJECTS.evidence);
    await waitFor('both requests out of the outbox', async () =>
      (await queuedMailOf(twice.id)).some((item) => item.purpose === 'task.evidence') ? undefined : true,
    );
    expect((await emailsTo(twice.email)).filter((e) => SUBJECTS.evidence.test(e.subject))).toHaveLength(1);
  });
});

describe('a replayed staff entry (the same Idempotency-Key)', () => {
  it('hands out links for the same upload slots while they are open, never new slots, and none for a file already recorded', async () => {
    const key = `entry-replay-${Date.now().toString(36)}`;
    const first = await enterWithFile(['one.png', 'two.png'], {
      body: complaintBody(0, { ...NEEDS_SCREENSHOT, channel: 'hotline' }),
      key,
    });
    expect(first.uploads).toHaveLength(2);
    const issued = (await complaintRecord(first.id))!.uploadsIssued;
    expect(issued).toBe(2);

    const again = await enterWithFile(['one.png', 'two.png'], { body: first.body, key });
    expect(again.id).toBe(first.id);
    expect(again.uploads.map((u: any) => u.evidenceId)).toEqual(first.uploads.map((u: any) => u.evidenceId));
    expect(again.uploads.map((u: any) => u.expiresAt)).toEqual(first.uploads.map((u: any) => u.expiresAt));
    expect(again.uploads.map((u: any) => u.fields.key)).toEqual(first.uploads.map((u: any) => u.fields.key));
    expect((await complaintRecord(first.id))!.uploadsIssued).toBe(issued);

    // A re-issued link uploads to its slot: recorded once, under the first answer's evidence id.
    expect((await postToS3(again.uploads[0], PNG, 'image/png', 'one.png')).status).toBeLessThan(300);
    await recorded(first.id, first.uploads[0].evidenceId);
    const third = await enterWithFile([], { body: first.body, key });
    expect(third.uploads.map((u: any) => u.evidenceId)).toEqual([first.uploads[1].evidenceId]);
    expect((await complaintRecord(first.id))!).toMatchObject({ uploadsIssued: issued, evidenceCount: 1 });
  });
});

const unescapeHtml = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The form a page without its script is answered with: where it posts and its hidden fields. */
function storeForm(page: string) {
  const form =
    /<form method="post" action="([^"]+)" enctype="multipart\/form-data" id="form-upload">([\s\S]*?)<\/form>/.exec(
      page,
    );
  expect(form, 'the upload form').toBeTruthy();
  const fields = Object.fromEntries(
    [...form![2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
      m[1]!,
      unescapeHtml(m[2]!),
    ]),
  );
  expect(form![2]).toContain('<select id="upload-type" name="Content-Type" required>');
  return { action: unescapeHtml(form![1]!), fields };
}

/** What a browser without scripts sends: the hidden fields, the type picked, then the file. */
async function submitStoreForm(form: { action: string; fields: Record<string, string> }, type: string, bytes: Buffer) {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('Content-Type', type);
  body.append('file', new Blob([new Uint8Array(bytes)], { type }), 'picked-file');
  return fetch(form.action, { method: 'POST', body, redirect: 'manual' });
}

/** How a form upload ended: recorded or quarantined (a failure then shows the reason at once, not after the wait). */
async function settledUpload(id: string, form: { fields: Record<string, string> }) {
  const evidenceId = form.fields.key!.split('/').pop();
  return waitFor(`form upload ${evidenceId} recorded or quarantined`, async () =>
    (await eventsOf(id)).find(
      (e) =>
        (e.action === 'evidence.added' || e.action === 'evidence.quarantined') && e.details.evidenceId === evidenceId,
    ),
  );
}

async function quarantined(id: string, reason: string) {
  return waitFor(`a file quarantined as ${reason}`, async () =>
    (await eventsOf(id)).find((e) => e.action === 'evidence.quarantined' && e.details.reason === reason),
  );
}

describe('uploading without JavaScript', () => {
  it('the respondent’s page and the staff case page ask for an upload by a plain form and send the file by the store’s form, back to the page; the same checks', async () => {
    const r = await withRespondent();
    // The respondent's page offers the plain form beside its picker.
    const respondentPage = await (await fetch(`${r.link}&lang=en`)).text();
    expect(respondentPage).toContain('<noscript><form method="post"');
    expect(respondentPage).toContain('Upload a file (without JavaScript)');
    expect(await (await fetch(`${r.link}&lang=zh-CN`)).text()).toContain('上传文件（无需 JavaScript）');

    const askAsRespondent = () =>
      fetch(`${stack().api}/respond/${r.id}/attachments?lang=en`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: r.token }).toString(),
      });
    // A file whose bytes are not the type picked is quarantined, as any upload.
    const first = storeForm(await (await askAsRespondent()).text());
    expect((await submitStoreForm(first, 'image/png', Buffer.from('MZ not an image'))).status).toBe(303);
    await quarantined(r.id, 'content-not-matching-type');

    const asked = await askAsRespondent();
    expect(asked.status).toBe(200);
    expect(asked.headers.get('content-security-policy')).toMatch(/form-action 'self' http:\/\/127\.0\.0\.1:\d+;/);
    const form = storeForm(await asked.text());
    expect(form.fields.success_action_redirect).toBe(
      `${new URL(r.link).origin}${new URL(r.link).pathname}?token=${encodeURIComponent(r.token)}&lang=en`,
    );
    const sent = await submitStoreForm(form, 'image/png', PNG);
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toContain(`/respond/${r.id}?token=`);
    const added = await settledUpload(r.id, form);
    expect(added).toMatchObject({
      action: 'evidence.added',
      actor: 'respondent',
      details: { party: 'respondent', contentType: 'image/png' },
    });
    expect(added.details.name).toMatch(/\.png$/);
    // Recorded, it may go with their answer.
    const answered = await fetch(r.link, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'NO-SCRIPT answer', attachments: [added.details.evidenceId] }),
    });
    expect(answered.status).toBe(201);
    // The staff case page: the same plain form, with the page's nonce.
    const casePage = await (
      await fetch(`${stack().api}/staff/complaints/${r.id}?lang=en`, { headers: { cookie: r.staff.cookie } })
    ).text();
    expect(casePage).toContain('id="upload-without-script"');
    const staffAsked = await staffPost(`/staff/complaints/${r.id}/attachments?lang=en`, r.staff, {
      nonce: r.staff.nonce,
    });
    expect(staffAsked.response.status).toBe(200);
    const staffForm = storeForm(staffAsked.text);
    const staffSent = await submitStoreForm(staffForm, 'text/plain', Buffer.from('2026-12-01 10:00 moderation log\n'));
    expect(staffSent.status).toBe(303);
    expect(staffSent.headers.get('location')).toContain(`/staff/complaints/${r.id}?lang=en`);
    const staffAdded = await settledUpload(r.id, staffForm);
    expect(staffAdded).toMatchObject({
      action: 'evidence.added',
      details: { contentType: 'text/plain', uploadedBy: r.staff.email },
    });
    expect(staffAdded.details.name).toMatch(/\.txt$/);
    // A type the desk does not accept is refused when it lands.
    const third = storeForm(
      (await staffPost(`/staff/complaints/${r.id}/attachments?lang=en`, r.staff, { nonce: r.staff.nonce })).text,
    );
    expect((await submitStoreForm(third, 'application/x-msdownload', Buffer.from('MZ'))).status).toBe(303);
    await quarantined(r.id, 'type-not-allowed');
    // Without the page's nonce, no upload is handed out.
    expect((await staffPost(`/staff/complaints/${r.id}/attachments?lang=en`, r.staff, {})).response.status).toBe(403);
  });

  it('the complainant’s evidence page uploads one file at a time by the store’s form, back to the page, and the evidence step is answered', async () => {
    const body = complaintBody(0, NEEDS_SCREENSHOT);
    const filed = expectStatus(
      await (async () => {
        const response = await fetch(`${stack().api}/complaints`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { response, json: (await response.json()) as any };
      })(),
      201,
      'filing',
    ).json;
    const token = tokenOf(filed.trackingUrl);
    const pageUrl = `${stack().api}/complaints/${filed.id}/evidence?token=${encodeURIComponent(token)}&lang=en`;
    const evidencePage = await (await fetch(pageUrl)).text();
    expect(evidencePage).toContain('<noscript><form method="post"');
    expect(evidencePage).toContain('upload one file at a time with the button below');
    const asked = await fetch(`${stack().api}/complaints/${filed.id}/evidence?lang=en`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(asked.status).toBe(200);
    const form = storeForm(await asked.text());
    const sent = await submitStoreForm(
      form,
      'image/jpeg',
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]),
    );
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toContain(`/complaints/${filed.id}/evidence?token=`);
    const added = await waitFor('the complainant’s form upload recorded', async () =>
      (await eventsOf(filed.id)).find((e) => e.action === 'evidence.added'),
    );
    expect(added).toMatchObject({ actor: 'complainant', details: { contentType: 'image/jpeg' } });
    expect(added.details.name).toMatch(/\.jpg$/);
    await waitForStatus(filed.trackingUrl, (t) => t.status === 'acceptance-review');
    // Without the token, nothing is handed out.
    const without = await fetch(`${stack().api}/complaints/${filed.id}/evidence?lang=en`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(without.status).toBe(404);
  });
});
