import { describe, expect, it } from 'vitest';
import { pngImage, postToS3 } from '../support/evidence';
import { segmentsOf } from '../../functions/domain/sms';
import {
  CaseDriver,
  complaintBody,
  expectStatus,
  linkIn,
  readMailbox,
  stack,
  SUBJECTS,
  track,
} from '../support/stack-client';
import { signIn, type Staff, staffPostJson } from '../support/staff-client';
import { complaintRecord, eventsOf } from '../support/table';

/**
 * The conversation's remaining gaps (issue 25), on the shared stack: a merged case's messages on
 * the surviving case's tracking page, the respondent's files, and messages by text.
 */

/** A signed-in member, reused across this file's tests (sign-ins per address are limited). */
const sessions = new Map<string, Promise<Staff>>();
const staffFor = (email: string) => {
  if (!sessions.has(email)) sessions.set(email, signIn(email));
  return sessions.get(email)!;
};

/** A case filed and accepted, now on its investigation step, with its handler signed in. */
async function underInvestigation(index = 1, overrides: Record<string, any> = {}) {
  const c = await CaseDriver.file(index, overrides);
  const acceptance = await c.taskLink(SUBJECTS.acceptance);
  const handler = acceptance.email.destination.to[0]!;
  await c.act(acceptance.url, { decision: 'accept' });
  const investigation = await c.taskLink(SUBJECTS.investigation, handler);
  const id = (await track(c.trackingUrl)).json.id as string;
  return { c, id, handler, investigationUrl: investigation.url, staff: await staffFor(handler) };
}

async function waitFor<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const found = await read();
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}

/** A file the staff member attaches to a message: granted, uploaded, recorded. */
async function attach(staff: Staff, id: string, name: string) {
  const png = pngImage();
  const grant = expectStatus(
    await staffPostJson(staff, `/staff/complaints/${id}/attachments`, {
      fileName: name,
      contentType: 'image/png',
      size: png.length,
    }),
    201,
    'attachment grant',
  ).json;
  expect((await postToS3(grant, png, 'image/png', name)).status).toBeLessThan(300);
  await waitFor('attachment recorded', async () =>
    (await eventsOf(id)).find((e) => e.action === 'evidence.added' && e.details.evidenceId === grant.evidenceId),
  );
  return grant.evidenceId as string;
}

describe('a merged case’s messages on the surviving case’s tracking page', () => {
  it('shows the complainant’s side of the merged case (marked with its number, files reachable) and never its notes', async () => {
    const email = `merge-track-${Date.now().toString(36)}@example.com`;
    const a = await underInvestigation(1, { complainant: { email } });
    const b = await underInvestigation(2, { complainant: { email } });
    const fileId = await attach(a.staff, a.id, 'merged-file.png');
    expectStatus(
      await staffPostJson(a.staff, `/staff/complaints/${a.id}/messages`, {
        to: 'complainant',
        text: 'MERGED-QUESTION from case A',
        attachments: [fileId],
      }),
      201,
      'message on A',
    );
    expectStatus(
      await staffPostJson(a.staff, `/staff/complaints/${a.id}/notes`, { note: 'MERGED-NOTE staff only' }),
      200,
      'note on A',
    );
    const answered = await fetch(`${stack().api}/complaints/${a.id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenOf(a.c.trackingUrl)}` },
      body: JSON.stringify({ text: 'MERGED-ANSWER on case A' }),
    });
    expect(answered.status).toBe(201);

    const supervisor = await staffFor('trust.supervisor@example.org');
    expectStatus(
      await staffPostJson(supervisor, `/staff/complaints/${a.id}/merge`, { into: b.c.number }),
      200,
      'merge',
    );
    await waitFor('A closed as merged', async () => (await complaintRecord(a.id))?.outcome === 'merged' || undefined);

    const tracked = (await track(b.c.trackingUrl)).json;
    const texts = tracked.messages.map((m: any) => m.text);
    expect(texts).toEqual(expect.arrayContaining(['MERGED-QUESTION from case A', 'MERGED-ANSWER on case A']));
    for (const m of tracked.messages.filter((x: any) => /MERGED-/.test(x.text)))
      expect(m.fromCase).toEqual({ id: a.id, number: a.c.number });
    const page = await (await fetch(`${b.c.trackingUrl}&lang=en`)).text();
    expect(page).toContain('MERGED-QUESTION from case A');
    expect(page).toContain(`From merged case ${a.c.number}`);
    for (const seen of [JSON.stringify(tracked), page]) expect(seen).not.toContain('MERGED-NOTE');
    // The merged case's evidence is listed with the surviving case's.
    expect(tracked.evidence.map((e: { name: string }) => e.name)).toContain('merged-file.png');
    // The merged case's file opens through the surviving case's link.
    const file = await fetch(
      `${stack().api}/complaints/${b.id}/files/${fileId}?token=${encodeURIComponent(tokenOf(b.c.trackingUrl))}`,
      { redirect: 'manual' },
    );
    expect(file.status).toBe(302);
  });
});

/** A case under investigation whose respondent has a link (from a message the desk sent them). */
async function withRespondent() {
  const inv = await underInvestigation(1);
  const respondent = `resp-files-${Date.now().toString(36)}@example.net`;
  await inv.c.act(inv.investigationUrl, {
    decision: 'request-statement',
    respondentEmail: respondent,
    question: 'Did you post it?',
  });
  const statement = await inv.c.taskLink(SUBJECTS.statement, respondent);
  await inv.c.act(statement.url, { statement: 'STATEMENT-text' });
  await inv.c.taskLink(SUBJECTS.investigation, inv.handler);
  expectStatus(
    await staffPostJson(inv.staff, `/staff/complaints/${inv.id}/messages`, {
      to: 'respondent',
      text: 'Please send us the moderation log.',
    }),
    201,
    'message to respondent',
  );
  const mail = await inv.c.email(/A message about a complaint/, respondent);
  const link = linkIn(mail, '/respond/');
  return { ...inv, respondent, link, token: new URL(link).searchParams.get('token')! };
}

describe('the respondent attaches files to an answer from their link', () => {
  it('uploads through the evidence checks, recorded as the respondent’s; staff see the answer with its file, the complainant neither', async () => {
    const r = await withRespondent();
    const page = await fetch(`${r.link}&lang=en`);
    const html = await page.text();
    expect(html).toContain('id="message-files"');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'nonce-/);

    const png = pngImage();
    const asked = (body: unknown) =>
      fetch(`${stack().api}/respond/${r.id}/attachments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${r.token}` },
        body: JSON.stringify(body),
      });
    // The same checks as evidence; a wrong token opens nothing.
    const refused = await asked({ fileName: 'x.exe', contentType: 'application/x-msdownload', size: 10 });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as any).errors.map((e: any) => e.path)).toEqual(['contentType']);
    const wrong = await fetch(`${stack().api}/respond/${r.id}/attachments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
      body: JSON.stringify({ fileName: 'log.png', contentType: 'image/png', size: png.length }),
    });
    expect(wrong.status).toBe(404);
    const granted = await asked({ fileName: 'moderation-log.png', contentType: 'image/png', size: png.length });
    expect(granted.status).toBe(201);
    const grant = (await granted.json()) as any;
    expect((await postToS3(grant, png, 'image/png', 'moderation-log.png')).status).toBeLessThan(300);
    const added = await waitFor('respondent file recorded', async () =>
      (await eventsOf(r.id)).find((e) => e.action === 'evidence.added' && e.details.evidenceId === grant.evidenceId),
    );
    expect(added).toMatchObject({ actor: 'respondent', details: { party: 'respondent' } });
    expect(added.details.uploadedBy).toBeUndefined();
    const view = (await (await fetch(r.link, { headers: { accept: 'application/json' } })).json()) as {
      evidence: { id: string; name: string }[];
    };
    expect(view.evidence).toEqual([{ id: grant.evidenceId, name: 'moderation-log.png' }]);

    // Only their own checked files may go with an answer.
    const deskFile = await attach(r.staff, r.id, 'desk-only.png');
    const notTheirs = await fetch(r.link, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'RESP-FILES answer', attachments: [deskFile] }),
    });
    expect(notTheirs.status).toBe(400);
    expect(((await notTheirs.json()) as any).errors.map((e: any) => e.path)).toEqual(['attachments']);
    const answered = await fetch(r.link, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'RESP-FILES answer', attachments: [grant.evidenceId] }),
    });
    expect(answered.status).toBe(201);

    const staffView = (
      await fetch(`${stack().api}/staff/complaints/${r.id}`, {
        headers: { accept: 'application/json', cookie: r.staff.cookie },
      })
    ).json() as Promise<any>;
    const thread = (await staffView).thread as any[];
    expect(thread.find((e) => e.from === 'respondent' && e.text === 'RESP-FILES answer')?.attachments).toEqual([
      expect.objectContaining({ id: grant.evidenceId, name: 'moderation-log.png' }),
    ]);
    // The respondent opens their own file through their link; the complainant sees none of it.
    expect(
      (await fetch(`${stack().api}/respond/${r.id}/files/${grant.evidenceId}?token=${r.token}`, { redirect: 'manual' }))
        .status,
    ).toBe(302);
    const tracked = JSON.stringify((await track(r.c.trackingUrl)).json);
    const trackingPage = await (await fetch(r.c.trackingUrl)).text();
    for (const seen of [tracked, trackingPage]) {
      expect(seen).not.toContain('moderation-log.png');
      expect(seen).not.toContain('RESP-FILES');
    }
    expect(
      (
        await fetch(
          `${stack().api}/complaints/${r.id}/files/${grant.evidenceId}?token=${encodeURIComponent(tokenOf(r.c.trackingUrl))}`,
          { redirect: 'manual' },
        )
      ).status,
    ).toBe(404);
  });
});

describe('a message to a complainant who gave only a mobile number', () => {
  it('goes as a text in their language with one short link to the tracking page, where the message is; no email', async () => {
    const staff = await staffFor('trust.handler@example.org');
    const digits = `139${String(Date.now()).slice(-8)}`;
    const phone = `+86${digits}`;
    const body = complaintBody(1, { channel: 'hotline' });
    body.complainant = { name: '王芳', language: 'zh-CN', phone: digits };
    const filed = expectStatus(
      await staffPostJson(staff, '/staff/complaints', body),
      201,
      'hotline entry with a phone only',
    ).json;
    const seen = new Set<string>();
    const acknowledgement = await nextText(phone, /已收到您的投诉/, seen);
    const trackingUrl = (await follow(acknowledgement)) as string;
    const c = new CaseDriver(filed.number, trackingUrl, '');
    await c.act((await c.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
    await c.taskLink(SUBJECTS.investigation);

    expectStatus(
      await staffPostJson(staff, `/staff/complaints/${filed.id}/messages`, {
        to: 'complainant',
        text: 'SMS-MSG 请说明最后一次正常登录的时间。',
        awaitAnswer: true,
        answerWithinDays: 3,
      }),
      201,
      'message',
    );
    const text = await nextText(phone, /有处理人员的新消息/, seen);
    expect(text.body).toContain(filed.number);
    expect(text.body).toMatch(/请于\d+\/\d+ \d\d:\d\d前回复/);
    // The message itself is behind the link, never in the text.
    expect(text.body).not.toContain('SMS-MSG');
    expect(segmentsOf(text.body).segments).toBeLessThanOrEqual(2);
    expect(await follow(text)).toBe(trackingUrl);
    const page = await (await fetch(trackingUrl)).text();
    expect(page).toContain('SMS-MSG 请说明最后一次正常登录的时间。');
    const sent = await waitFor('the message’s outbox item sent', async () =>
      (await eventsOf(filed.id)).find((e) => e.action === 'message.to-complainant'),
    );
    expect(sent.details.to).toBe('complainant');
    expect((await readMailbox()).some((m) => JSON.stringify(m).includes(filed.number) && /消息/.test(m.subject))).toBe(
      false,
    );
  });
});

interface Text {
  messageId: string;
  to: string;
  body: string;
}

/** The next text to `to` matching `pattern` that `seen` does not hold yet (the outbox's sender ticks on its own). */
async function nextText(to: string, pattern: RegExp, seen: Set<string>): Promise<Text> {
  let mine: Text[] = [];
  for (let i = 0; i < 1200; i++) {
    mine = ((await (await fetch(`${stack().phone}/store`)).json()) as { texts: Text[] }).texts.filter(
      (t) => t.to === to,
    );
    const found = mine.find((t) => !seen.has(t.messageId) && pattern.test(t.body));
    if (found) {
      seen.add(found.messageId);
      return found;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no text to ${to} matching ${pattern}; got: ${mine.map((t) => t.body).join(' | ') || 'none'}`);
}

/** The text's one short link, followed to where it leads. */
async function follow(text: Text): Promise<string> {
  const links = text.body.match(/https?:\/\/\S+\/s\/[0-9A-Za-z]{10}\b/g) ?? [];
  expect(links, text.body).toHaveLength(1);
  const hop = await fetch(links[0]!, { redirect: 'manual' });
  expect(hop.status).toBe(302);
  return hop.headers.get('location')!;
}

function tokenOf(trackingUrl: string): string {
  return new URL(trackingUrl).searchParams.get('token')!;
}
