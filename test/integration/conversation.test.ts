import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { ownStack } from '../support/own-stack';
import {
  CaseDriver,
  expectStatus,
  linkIn,
  moveClock,
  stack,
  SUBJECTS,
  track,
  waitForStatus,
  type Email,
} from '../support/stack-client';
import { signIn, staffJson, type Staff, staffPostJson } from '../support/staff-client';
import { complaintRecord, eventsOf } from '../support/table';
import { pngImage, postToS3 } from '../support/evidence';

async function waitForEvent(id: string, predicate: (e: Record<string, any>) => boolean) {
  for (let i = 0; i < 1200; i++) {
    const found = (await eventsOf(id)).find(predicate);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no matching event on ${id}`);
}

/**
 * The conversation, on a stack of this file's own (its clock moves): staff write to the
 * complainant or the respondent at any step; a message that awaits an answer pauses the step's
 * clock, which resumes with the time it had left when the answer comes (by mail, the tracking
 * page or the respondent's link) or when the wait's own deadline passes.
 */
ownStack();

const HOUR = 3600;
let smtp: ReturnType<typeof nodemailer.createTransport> | undefined;
afterAll(() => smtp?.close());
function mailer() {
  const [host, port] = stack().inboundSmtp.split(':');
  smtp ??= nodemailer.createTransport({ host: host!, port: Number(port), secure: false, ignoreTLS: true });
  return smtp;
}

const replyToOf = (email: Email): string =>
  ([] as string[]).concat((email as unknown as { replyTo?: string | string[] }).replyTo ?? [])[0] ?? '';

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

/** A signed-in member, signed in again only when the session lapsed (the clock moves; sign-ins per address are limited). */
const sessions = new Map<string, Staff>();
async function staffFor(email: string): Promise<Staff> {
  const known = sessions.get(email);
  if (known && (await staffJson('/staff/queue?limit=1', known.cookie)).response.status === 200) return known;
  const fresh = await signIn(email);
  sessions.set(email, fresh);
  return fresh;
}

const waitForRecord = async (id: string, predicate: (r: Record<string, any>) => boolean) => {
  for (let i = 0; i < 1200; i++) {
    const record = await complaintRecord(id);
    if (record && predicate(record)) return record;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`record ${id} never matched; last: ${JSON.stringify(await complaintRecord(id))}`);
};

describe('messages at any step', () => {
  it('pauses the investigation while a question awaits the complainant, resumes it with the time left when the answer comes by mail, and shows the whole exchange', async () => {
    const { c, id, staff } = await underInvestigation(1);
    const before = await complaintRecord(id);
    expect(before!.status).toBe('investigation');

    // An internal note first: staff-only, marked apart, never outside.
    expectStatus(
      await staffPostJson(staff, `/staff/complaints/${id}/notes`, { note: 'NOTE-被盗时间需核对' }),
      200,
      'note',
    );

    await moveClock(10 * HOUR);
    // The handler attaches a file: the same presigned upload and checks as evidence.
    const grant = expectStatus(
      await staffPostJson(staff, `/staff/complaints/${id}/attachments`, {
        fileName: '登录记录.png',
        contentType: 'image/png',
        size: pngImage().length,
      }),
      201,
      'attachment grant',
    ).json;
    expect((await postToS3(grant, pngImage(), 'image/png', '登录记录.png')).status).toBeLessThan(300);
    const recorded = await waitForEvent(
      id,
      (e) => e.action === 'evidence.added' && e.details.evidenceId === grant.evidenceId,
    );
    expect(recorded.details.uploadedBy).toBe(staff.email);
    const question = '请提供被盗当天收到的登录提醒短信截图，并说明最后一次正常登录的时间。';
    const sent = expectStatus(
      await staffPostJson(staff, `/staff/complaints/${id}/messages`, {
        to: 'complainant',
        text: question,
        awaitAnswer: true,
        answerWithinDays: 5,
        attachments: [grant.evidenceId],
      }),
      201,
      'message',
    ).json;
    expect(sent).toMatchObject({ awaiting: true, message: { to: 'complainant', text: question } });

    // The mail goes in the complainant's language, with the case's reply address.
    const mail = await c.email(/处理人员给您的消息|A message about your complaint/, c.complainantEmail);
    expect(mail.body.text).toContain(question);
    // No raw attachment in the mail: it names the file, fetched from the tracking page.
    expect(mail.body.text).toContain('登录记录.png');
    expect((mail as unknown as { attachments?: unknown[] }).attachments ?? []).toHaveLength(0);
    expect(replyToOf(mail)).toMatch(new RegExp(`^reply\\+${id.toLowerCase()}\\.[0-9a-f]{24}@`));

    const paused = await waitForRecord(id, (r) => r.status === 'awaiting-answer' && r.currentStep === 'answer');
    const remainingMs = new Date(before!.deadlineAt).getTime() - new Date(paused.paused.since).getTime();
    expect(paused.paused).toMatchObject({ step: 'investigation', to: 'complainant', level: 0, remainingMs });
    expect(remainingMs).toBeGreaterThan(37 * HOUR * 1000);

    // Three days pass while the desk waits: nothing escalates (the investigation's 48 h would have).
    await moveClock(3 * 24 * HOUR);
    const waiting = await complaintRecord(id);
    expect(waiting).toMatchObject({ status: 'awaiting-answer', level: 0 });
    expect((await eventsOf(id)).some((e) => e.action === 'task.escalated')).toBe(false);

    // The complainant answers by replying to the mail, quoting it.
    const answer = '最后一次正常登录是11月19日晚上。\n截图稍后补充。\n第三行也要完整显示。';
    const info = await mailer().sendMail({
      from: c.complainantEmail,
      to: replyToOf(mail),
      subject: `回复：${mail.subject}`,
      text: `${answer}\n\n在 2026年12月7日，Redress 写道：\n> ${question}`,
    });
    expect(info.rejected).toEqual([]);

    const resumed = await waitForRecord(id, (r) => r.status === 'investigation' && r.currentStep === 'investigation');
    expect(resumed.paused).toBeUndefined();
    const answered = (await eventsOf(id)).find((e) => e.action === 'message.answered')!;
    expect(answered).toBeDefined();
    // The deadline is the answer's time plus exactly what was left when it paused.
    expect(new Date(resumed.deadlineAt).getTime() - new Date(answered.at).getTime()).toBe(remainingMs);

    // The staff page (a new session: the clock moved past the first one's 12 h): the whole
    // exchange, the reply's full text, the note marked apart.
    const again = await staffFor(staff.email);
    const page = await (
      await fetch(`${stack().api}/staff/complaints/${id}?lang=en`, { headers: { cookie: again.cookie } })
    ).text();
    expect(page).toContain(question);
    for (const line of answer.split('\n')) expect(page).toContain(line);
    expect(page).toContain('NOTE-被盗时间需核对');
    expect(page).toContain('Internal note · never sent, staff only');
    const staffView = expectStatus(await staffJson(`/staff/complaints/${id}`, again.cookie), 200, 'case').json;
    expect(staffView.thread.map((e: any) => [e.kind, e.from])).toEqual(
      expect.arrayContaining([
        ['note', 'desk'],
        ['message', 'desk'],
        ['message', 'complainant'],
      ]),
    );

    // The tracking page and JSON: the complainant's side, never the note.
    const tracked = (await track(c.trackingUrl)).json;
    const texts = tracked.messages.map((m: any) => m.text);
    expect(texts).toContain(question);
    expect(texts.some((t: string) => t.includes('最后一次正常登录'))).toBe(true);
    expect(JSON.stringify(tracked)).not.toContain('NOTE-');
    const trackingPage = await (await fetch(c.trackingUrl)).text();
    expect(trackingPage).toContain(question);
    expect(trackingPage).not.toContain('NOTE-');

    // The file: the complainant's own link fetches it (a short-lived download), nobody else's.
    const token = new URL(c.trackingUrl).searchParams.get('token')!;
    const fileUrl = `${stack().api}/complaints/${id}/files/${grant.evidenceId}`;
    const redirect = await fetch(`${fileUrl}?token=${token}`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const download = await fetch(redirect.headers.get('location')!);
    expect(Buffer.from(await download.arrayBuffer()).equals(pngImage())).toBe(true);
    expect((await fetch(`${fileUrl}?token=wrong`, { redirect: 'manual' })).status).toBe(404);
    expect(
      (await fetch(`${stack().api}/complaints/${id}/files/nope?token=${token}`, { redirect: 'manual' })).status,
    ).toBe(404);
  });

  it('lets the wait lapse at its own deadline: the step goes on with the time it had left, and the history says so', async () => {
    const { c, id, staff } = await underInvestigation(2);
    expectStatus(
      await staffPostJson(staff, `/staff/complaints/${id}/messages`, {
        to: 'complainant',
        text: 'Any order number?',
        awaitAnswer: true,
        answerWithinDays: 1,
      }),
      201,
      'message',
    );
    const paused = await waitForRecord(id, (r) => r.currentStep === 'answer');
    await c.email(/处理人员给您的消息|A message about your complaint/, c.complainantEmail);
    await moveClock(25 * HOUR);
    const resumed = await waitForRecord(id, (r) => r.status === 'investigation');
    const lapsed = (await eventsOf(id)).find((e) => e.action === 'message.unanswered')!;
    expect(lapsed.details).toMatchObject({ awaiting: 'complainant', resumes: 'investigation' });
    expect(new Date(resumed.deadlineAt).getTime() - new Date(lapsed.at).getTime()).toBe(paused.paused.remainingMs);
  });

  it('sends a message without a wait at any step, and the tracking page answers it without pausing anything', async () => {
    const { c, id, staff } = await underInvestigation(1);
    expectStatus(
      await staffPostJson(staff, `/staff/complaints/${id}/messages`, { to: 'complainant', text: 'We are on it.' }),
      201,
      'message',
    );
    await c.email(/处理人员给您的消息|A message about your complaint/, c.complainantEmail);
    const token = new URL(c.trackingUrl).searchParams.get('token')!;
    const posted = await fetch(`${stack().api}/complaints/${id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ text: 'Thank you, here is more.' }),
    });
    expect(posted.status).toBe(201);
    expect(await posted.json()).toMatchObject({ sent: true, answeredWait: false });
    const bad = await fetch(`${stack().api}/complaints/${id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ text: '' }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].path).toBe('text');
    const tracked = await waitForStatus(c.trackingUrl, (x) => x.messages.length >= 2);
    expect(tracked.messages.map((m: any) => [m.from, m.text])).toEqual([
      ['desk', 'We are on it.'],
      ['complainant', 'Thank you, here is more.'],
    ]);
    expect((await complaintRecord(id))!.status).toBe('investigation');
    // A bad message is named field by field.
    const invalid = await staffPostJson(staff, `/staff/complaints/${id}/messages`, { to: 'someone', text: '' });
    expect(invalid.response.status).toBe(400);
    expect(invalid.json.errors.map((e: any) => e.path).sort()).toEqual(['text', 'to']);
    const noRespondent = await staffPostJson(staff, `/staff/complaints/${id}/messages`, {
      to: 'respondent',
      text: 'Hello',
    });
    expect(noRespondent.response.status).toBe(400);
  });

  it('lets a respondent answer a message from their link; the complainant never sees it', async () => {
    const { c, id, staff, investigationUrl, handler } = await underInvestigation(1);
    const respondent = `resp-${Date.now().toString(36)}@example.net`;
    await c.act(investigationUrl, {
      decision: 'request-statement',
      respondentEmail: respondent,
      question: 'Did you post it?',
    });
    const statement = await c.taskLink(SUBJECTS.statement, respondent);
    await c.act(statement.url, { statement: 'STATEMENT-text' });
    await c.taskLink(SUBJECTS.investigation, handler);
    await waitForRecord(id, (r) => r.status === 'investigation');

    const toRespondent = 'RESP-QUESTION: when was it removed?';
    expectStatus(
      await staffPostJson(staff, `/staff/complaints/${id}/messages`, {
        to: 'respondent',
        text: toRespondent,
        awaitAnswer: true,
        answerWithinDays: 3,
      }),
      201,
      'message',
    );
    const mail = await c.email(/A message about a complaint/, respondent);
    expect(mail.body.text).toContain(toRespondent);
    expect(mail.body.text).not.toContain(c.complainantEmail);
    const link = linkIn(mail, '/respond/');
    await waitForRecord(id, (r) => r.currentStep === 'answer' && r.paused?.to === 'respondent');
    const respondentPage = await (await fetch(`${link}&lang=en`)).text();
    expect(respondentPage).toContain(toRespondent);
    // A wrong token opens nothing.
    expect((await fetch(link.replace(/token=[^&]+/, 'token=x'))).status).toBe(404);
    const posted = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'RESP-ANSWER: removed on Monday' }),
    });
    expect(posted.status).toBe(201);
    expect(await posted.json()).toMatchObject({ answeredWait: true });
    await waitForRecord(id, (r) => r.status === 'investigation');

    const staffView = (await staffJson(`/staff/complaints/${id}`, staff.cookie)).json;
    expect(
      staffView.thread.some((e: any) => e.from === 'respondent' && e.text === 'RESP-ANSWER: removed on Monday'),
    ).toBe(true);
    const tracked = JSON.stringify((await track(c.trackingUrl)).json);
    const trackingPage = await (await fetch(c.trackingUrl)).text();
    for (const seen of [tracked, trackingPage]) {
      expect(seen).not.toContain('RESP-ANSWER');
      expect(seen).not.toContain('RESP-QUESTION');
      expect(seen).not.toContain('STATEMENT-text');
    }
  });
});

describe('canned replies', () => {
  it('refuses an unknown placeholder by field; a saved reply fills in the recipient’s language, zh-CN and English', async () => {
    const supervisor = await staffFor('trust.supervisor@example.org');
    const refused = await staffPostJson(supervisor, '/staff/canned-replies', {
      scope: 'trust',
      title: 'Bad',
      textZh: '您好 {name}',
      textEn: 'Hello {nmae}',
    });
    expect(refused.response.status).toBe(400);
    expect(refused.json.errors).toEqual([{ path: 'textEn', message: expect.stringContaining('{nmae}') }]);
    // A supervisor keeps their team's replies, not the desk's.
    const desk = await staffPostJson(supervisor, '/staff/canned-replies', {
      scope: 'desk',
      title: 'Desk',
      textZh: '好',
      textEn: 'ok',
    });
    expect(desk.response.status).toBe(403);
    const saved = expectStatus(
      await staffPostJson(supervisor, '/staff/canned-replies', {
        scope: 'trust',
        title: 'Received / 已收到',
        textZh: '{name}，您好：投诉 {number}（{category}）已由 {holder} 处理，期限 {deadline}。',
        textEn: 'Dear {name}, complaint {number} ({category}) is with {holder}, due {deadline}.',
      }),
      201,
      'canned reply',
    ).json;
    const listed = (await staffJson('/staff/canned-replies', supervisor.cookie)).json;
    expect(listed.replies.map((r: any) => r.id)).toEqual(expect.arrayContaining(['seed-1', saved.id]));

    for (const language of ['zh-CN', 'en'] as const) {
      const { c, id, staff, investigationUrl } = await underInvestigation(1, { complainant: { language } });
      const record = await complaintRecord(id);
      expect(record!.language).toBe(language);
      const page = await (
        await fetch(`${stack().api}/staff/complaints/${id}?lang=en`, { headers: { cookie: staff.cookie } })
      ).text();
      expect(page).toContain(`value="${saved.id}"`);
      expectStatus(
        await staffPostJson(staff, `/staff/complaints/${id}/messages`, {
          to: 'complainant',
          text: '',
          canned: saved.id,
        }),
        201,
        'canned message',
      );
      const mail = await c.email(/处理人员给您的消息|A message about your complaint/, c.complainantEmail);
      const name = record!.complainant.name as string;
      if (language === 'zh-CN') {
        expect(mail.body.text).toContain(
          `${name}，您好：投诉 ${record!.number}（账号（被盗、封禁、支付））已由 ${staff.email} 处理，期限`,
        );
      } else {
        expect(mail.body.text).toContain(
          `Dear ${name}, complaint ${record!.number} (Account (stolen, banned, payment)) is with ${staff.email}, due `,
        );
      }
      expect(mail.body.text).not.toMatch(/\{(name|number|category|holder|deadline)\}/);

      // The reply step's form takes it too: chosen with the reply left empty, it fills the reply.
      await c.act(investigationUrl, { decision: 'record-findings', findings: 'Checked.' });
      await c.taskLink(SUBJECTS.reply, staff.email);
      await waitForRecord(id, (r) => r.currentStep === 'reply');
      const decided = await fetch(`${stack().api}/staff/complaints/${id}?lang=en`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: staff.cookie,
          accept: 'application/json',
        },
        body: new URLSearchParams({
          nonce: staff.nonce,
          step: 'reply',
          decision: 'send-reply',
          canned: saved.id,
          reply: '',
          grounds: 'Rule 4.2',
        }).toString(),
      });
      expect(decided.status).toBe(200);
      const replied = await waitForRecord(id, (r) => !!r.reply);
      expect(replied.reply.reply).toContain(record!.number);
      expect(replied.reply.reply).toContain(language === 'zh-CN' ? '，您好：投诉' : 'Dear ');
    }
  });
});

async function describeExecution(executionArn: string) {
  const response = await fetch(stack().stepFunctions, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.DescribeExecution' },
    body: JSON.stringify({ executionArn }),
  });
  return (await response.json()) as { status: string };
}

describe('merging a case into another of the same complainant', () => {
  it('lists the complainant’s other cases; a merge closes the case and its execution, tells the complainant, and the surviving case shows both', async () => {
    const email = `merge-${Date.now().toString(36)}@example.com`;
    const a = await underInvestigation(1, { complainant: { email } });
    const b = await underInvestigation(2, { complainant: { email } });
    expect(a.id).not.toBe(b.id);
    expectStatus(
      await staffPostJson(a.staff, `/staff/complaints/${a.id}/messages`, {
        to: 'complainant',
        text: 'MERGED-MSG from case A',
      }),
      201,
      'message',
    );
    await a.c.email(/处理人员给您的消息|A message about your complaint/, email);

    // Someone else complains about the same matter.
    const other = await CaseDriver.file(1);
    // The case page lists the complainant's other case (byComplainant) and the other open case on the matter (bySubject).
    const supervisor = await staffFor('trust.supervisor@example.org');
    const before = expectStatus(await staffJson(`/staff/complaints/${a.id}`, supervisor.cookie), 200, 'case').json;
    expect(before.related.complainant.map((c: any) => c.number)).toContain(b.c.number);
    const onSubject = before.related.subject.map((c: any) => c.number);
    expect(onSubject).toContain(other.number);
    expect(onSubject).not.toContain(a.c.number);
    const page = await (
      await fetch(`${stack().api}/staff/complaints/${a.id}?lang=en`, { headers: { cookie: supervisor.cookie } })
    ).text();
    expect(page).toContain('The complainant’s other cases');
    expect(page).toContain(`<option value="${b.c.number}">`);

    // A handler may not merge; a supervisor may.
    expect(
      (await staffPostJson(a.staff, `/staff/complaints/${a.id}/merge`, { into: b.c.number })).response.status,
    ).toBe(403);
    const merged = expectStatus(
      await staffPostJson(supervisor, `/staff/complaints/${a.id}/merge`, { into: b.c.number }),
      200,
      'merge',
    ).json;
    expect(merged).toEqual({ merged: a.id, into: { id: b.id, number: b.c.number } });

    const closed = await complaintRecord(a.id);
    expect(closed).toMatchObject({ status: 'closed', outcome: 'merged', mergedInto: { id: b.id, number: b.c.number } });
    for (let i = 0; i < 600 && (await describeExecution(closed!.executionArn)).status === 'RUNNING'; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect((await describeExecution(closed!.executionArn)).status).not.toBe('RUNNING');
    // Its deadline passing escalates nothing.
    await moveClock(3 * 24 * HOUR);
    expect((await eventsOf(a.id)).some((e) => e.action === 'task.escalated')).toBe(false);

    const told = await a.c.email(/已并入|now continues as/, email);
    expect(told.body.text).toContain(b.c.number);
    expect(told.body.text).toContain(b.c.trackingUrl);

    // The merged case's tracking link shows where it went.
    const tracked = (await track(a.c.trackingUrl)).json;
    expect(tracked).toMatchObject({
      outcome: 'merged',
      mergedInto: { number: b.c.number, trackingUrl: b.c.trackingUrl },
    });
    const trackingPage = await (await fetch(a.c.trackingUrl)).text();
    expect(trackingPage).toContain('id="merged-into"');

    // The surviving case shows the merged case's messages in its thread.
    const again = await staffFor('trust.supervisor@example.org');
    const survivor = expectStatus(await staffJson(`/staff/complaints/${b.id}`, again.cookie), 200, 'survivor').json;
    expect(survivor.thread.find((e: any) => e.text === 'MERGED-MSG from case A')?.fromCase).toEqual({
      id: a.id,
      number: a.c.number,
    });
    expect(survivor.events.some((e: any) => e.action === 'complaint.merged-in')).toBe(true);
    const survivorPage = await (
      await fetch(`${stack().api}/staff/complaints/${b.id}?lang=en`, { headers: { cookie: again.cookie } })
    ).text();
    expect(survivorPage).toContain(`From merged case ${a.c.number}`);
  });
});
