import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { teamFor } from '../../functions/domain/desk';
import {
  CaseDriver,
  complaintBody,
  emailsTo,
  fileComplaint,
  linkIn,
  stack,
  SUBJECTS,
  waitForEmail,
} from '../support/stack-client';

/** What the people using the desk read: errors in their language, times with their zone, links that open. */
describe('what a person reads', () => {
  it('answers malformed JSON in Chinese without the parser’s English', async () => {
    const response = await fetch(`${stack().api}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' },
      body: '{"channel": "web",',
    });
    const problem = (await response.json()) as any;
    expect(response.status).toBe(400);
    expect(problem.title).toBe('请求体不是有效的 JSON');
    expect(problem.errors[0].message).toMatch(/^不是有效的 JSON/);
    expect(JSON.stringify(problem)).not.toMatch(/Unexpected|position|Expected/);
  });

  it('says a body is too large the way the gateway does, with the limit as the detail', async () => {
    const response = await fetch(`${stack().api}/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({ description: 'x'.repeat(70_000) }),
    });
    const problem = (await response.json()) as any;
    expect(response.status).toBe(413);
    expect(problem.title).toBe('Request body too large');
    expect(problem.detail).toMatch(/at most \d+ bytes/);
  });

  it('describes the API at /openapi.json, every route included', async () => {
    const response = await fetch(`${stack().api}/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers[0].url).toBe(stack().api);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/complaints', '/tasks/{linkId}', '/staff/queue', '/openapi.json']),
    );
  });

  it('gives every page an icon of its own, so no browser asks for a missing /favicon.ico', async () => {
    const page = await (await fetch(`${stack().api}/?lang=en`)).text();
    expect(page).toMatch(/<link rel="icon" href="data:image\/svg\+xml,/);
  });

  it('names the desk’s time zone on every time in mail, opens links in a new window, and never links what a person typed', async () => {
    const body = complaintBody(1, { complainant: { name: 'https://evil.example/login', language: 'en' } });
    const { json } = await fileComplaint(body);
    const ack = await waitForEmail(body.complainant.email, /received your complaint/);
    expect(ack.body.text).toMatch(/\d{2}:\d{2} \(UTC\+8\)/);
    expect(ack.body.html).toContain(
      `<a href="${json.trackingUrl.replace(/&/g, '&amp;')}" target="_blank" rel="noopener noreferrer">`,
    );
    expect(ack.body.html).not.toContain('href="https://evil.example');
  });
});

describe('evidence a complaint must carry', () => {
  it('takes a post’s link as its evidence: a complaint about a post with its link goes straight to review', async () => {
    const c = await CaseDriver.file(0);
    await c.taskLink(SUBJECTS.acceptance);
    expect((await emailsTo(c.complainantEmail)).filter((e) => SUBJECTS.evidence.test(e.subject))).toEqual([]);
  });
});

describe('what filing answers about evidence', () => {
  it('says at once whether evidence is needed: none, the post’s link counted, or a file within the window', async () => {
    expect((await fileComplaint(complaintBody(0))).json.evidence).toEqual({ required: true, satisfiedBy: 'link' });
    expect(
      (await fileComplaint(complaintBody(0, { subject: { type: 'user', ref: 'uid-20931' } }))).json.evidence,
    ).toEqual({
      required: true,
      satisfiedBy: 'file',
      withinSeconds: DEFAULT_DESK_CONFIG.serviceLevels.evidenceSeconds,
    });
    expect((await fileComplaint(complaintBody(6))).json.evidence).toEqual({ required: false });
  });
});

describe('a withdrawal', () => {
  it('tells whoever holds the open task that it ended', async () => {
    const c = await CaseDriver.file(6);
    const task = await c.taskLink(SUBJECTS.acceptance);
    const holder = task.email.destination.to[0]!;
    expect(holder).toBe(teamFor(DEFAULT_DESK_CONFIG, 'performance').handlers[0]);
    const url = new URL(c.trackingUrl);
    const response = await fetch(`${url.origin}${url.pathname}/withdrawal${url.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'Fixed itself.' }),
    });
    expect(response.status).toBe(200);
    const notice = await c.email(/投诉人已撤回投诉/, holder);
    expect(notice.body.text).toContain('The complainant withdrew');
  });
});

describe('no dead ends for the people acting', () => {
  it('a reminder (催办) carries a live link for the task’s holder, and the link it replaces says so', async () => {
    const c = await CaseDriver.file(6);
    const first = await c.taskLink(SUBJECTS.acceptance);
    const holder = first.email.destination.to[0]!;
    const url = new URL(c.trackingUrl);
    const sent = await fetch(`${url.origin}${url.pathname}/reminders${url.search}`, { method: 'POST' });
    expect(sent.status).toBe(201);
    const reminder = await c.email(/催办/, holder);
    const fresh = linkIn(reminder, '/tasks/');
    expect(reminder.body.text).toContain('replaces the link in the earlier email');
    const old = await fetch(`${first.url}?lang=en`);
    expect(old.status).toBe(410);
    expect(await old.text()).toContain('A fresh link for this task was sent');
    const recorded = await c.act(fresh, { decision: 'accept' });
    expect(recorded.response.status).toBe(200);
    // The recorded page leads on: the case on the staff desk and the holder's queue.
    expect(recorded.text).toMatch(/href="\/staff\/complaints\/[^"?]+\?lang=/);
    expect(recorded.text).toContain('href="/staff/queue?lang=');
  });

  it('the complainant’s recorded page links their tracking page', async () => {
    const c = await CaseDriver.file(1);
    await c.act((await c.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
    await c.act((await c.taskLink(SUBJECTS.investigation)).url, {
      decision: 'record-findings',
      findings: 'Charged twice.',
    });
    await c.act((await c.taskLink(SUBJECTS.reply)).url, {
      reply: 'Refunded in full.',
      grounds: 'The payment log shows two charges.',
      followUp: 'We fixed the retry.',
    });
    const survey = await c.taskLink(SUBJECTS.outcome, c.complainantEmail);
    const rated = await c.act(survey.url, { rating: '4' });
    expect(rated.response.status).toBe(200);
    expect(rated.text).toContain(`href="${c.trackingUrl.replace(/&/g, '&amp;')}&amp;lang=`);
    // The tracking page says how it ended: the reply with its grounds and follow-up, and the rating.
    const closed = await c.status((x) => x.status === 'closed');
    expect(closed.standing).toMatchObject({
      open: false,
      outcome: 'resolved',
      rating: 4,
      reply: {
        reply: 'Refunded in full.',
        grounds: 'The payment log shows two charges.',
        followUp: 'We fixed the retry.',
      },
    });
    const page = await (await fetch(`${c.trackingUrl}&lang=en`)).text();
    expect(page).toContain('Where it stands');
    expect(page).toContain('The payment log shows two charges.');
    expect(page).toContain('We fixed the retry.');
    expect(page).toContain('Your rating: 4 / 5');
  });
});

describe('the tracking page', () => {
  it('shows whose turn it is and by when, asks before a withdrawal, and then shows the notice first and the reason given', async () => {
    const c = await CaseDriver.file(6);
    await c.taskLink(SUBJECTS.acceptance);
    const open = await c.status((x) => x.status === 'acceptance-review');
    expect(open.standing).toMatchObject({ open: true, step: 'acceptance', waitingFor: 'desk' });
    expect(open.standing.dueBy).toEqual(expect.any(String));
    expect(JSON.stringify(open.history)).not.toMatch(/@/);
    expect(open.history.map((h: any) => h.label)).toContain('Acceptance review: assigned to a handler');

    const page = await (await fetch(`${c.trackingUrl}&lang=en`)).text();
    expect(page).toMatch(/Now: acceptance review, expected by <strong>[^<]+\(UTC\+8\)<\/strong>/);
    // The first step only asks: no withdrawal form yet.
    expect(page).not.toContain('/withdrawal?');
    const confirmHref = /href="(\?token=[^"]+&amp;confirm=withdrawal)#withdraw"/.exec(page)![1]!.replace(/&amp;/g, '&');
    const url = new URL(c.trackingUrl);
    const confirm = await (await fetch(`${url.origin}${url.pathname}${confirmHref}`)).text();
    expect(confirm).toContain('Yes, withdraw it');
    const action = /action="([^"]+\/withdrawal\?lang=en)"/.exec(confirm)![1]!;
    const token = /name="token" value="([^"]+)"/.exec(confirm)![1]!;
    const done = await fetch(new URL(action, `${url.origin}${url.pathname}`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, reason: 'Sorted out with the seller.' }).toString(),
      redirect: 'manual',
    });
    expect(done.status).toBe(303);
    const after = await (await fetch(new URL(done.headers.get('location')!, `${url.origin}${url.pathname}`))).text();
    expect(after.indexOf('You withdrew your complaint')).toBeGreaterThan(-1);
    expect(after.indexOf('You withdrew your complaint')).toBeLessThan(after.indexOf('Where it stands'));
    expect(after).toContain('Your reason for withdrawing: Sorted out with the seller.');
  });
});
