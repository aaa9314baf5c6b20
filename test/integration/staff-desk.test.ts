import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import {
  CaseDriver,
  complaintBody,
  emailsTo,
  fileComplaint,
  linkIn,
  nonceOf,
  readMailbox,
  SUBJECTS,
  stack,
  track,
} from '../support/stack-client';
import {
  askForSignIn,
  findInQueue,
  nextEmail,
  signIn,
  staffJson,
  staffPost,
  type Staff,
} from '../support/staff-client';

/**
 * The staff desk over HTTP and the mailbox: sign-in by emailed link, the queue, a case, deciding
 * there (first writer wins against the emailed link), staff-entered complaints, and who may see what.
 * The shared stack's desk is DEFAULT_DESK_CONFIG; its team addresses are the staff.
 */
const TEAMS = DEFAULT_DESK_CONFIG.teams;
const TRUST_HANDLER = TEAMS.trust!.handlers[0]!;
const TRUST_SUPERVISOR = TEAMS.trust!.supervisor;
const OPS_HANDLER = TEAMS.operations!.handlers[0]!;
const MANAGER = TEAMS.trust!.manager;
const PRIVACY_HANDLER = TEAMS.privacy!.handlers[0]!;

describe('the staff desk', () => {
  let handler: Staff;
  let opsHandler: Staff;
  let supervisor: Staff;
  let manager: Staff;

  beforeAll(async () => {
    [handler, opsHandler, supervisor, manager] = await Promise.all([
      signIn(TRUST_HANDLER),
      signIn(OPS_HANDLER),
      signIn(TRUST_SUPERVISOR),
      signIn(MANAGER),
    ]);
  });

  it('answers a sign-in request identically for staff and non-staff addresses, and mails only staff', async () => {
    const outsider = `outsider-${Date.now().toString(36)}@example.com`;
    const staffAnswer = await askForSignIn(PRIVACY_HANDLER);
    const outsiderAnswer = await askForSignIn(outsider);
    expect(outsiderAnswer.response.status).toBe(staffAnswer.response.status);
    expect(outsiderAnswer.text).toBe(staffAnswer.text);
    const asJson = async (email: string) => {
      const response = await fetch(`${stack().api}/staff/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ email }),
      });
      return { status: response.status, body: await response.text() };
    };
    expect(await asJson(`x${outsider}`)).toEqual(await asJson(PRIVACY_HANDLER));
    await nextEmail(PRIVACY_HANDLER, /Sign-in link/, new Set());
    expect(await emailsTo(outsider)).toEqual([]);
  });

  it('shows the sign-in page in Chinese and English', async () => {
    const zh = await (await fetch(`${stack().api}/staff`)).text();
    expect(zh).toContain('lang="zh-CN"');
    expect(zh).toContain('name="email"');
    const en = await (await fetch(`${stack().api}/staff?lang=en`)).text();
    expect(en).toContain('Email me a sign-in link');
  });

  it('without a session answers 401 to JSON and redirects a page to sign-in; a made-up cookie is no session', async () => {
    const json = await staffJson('/staff/queue');
    expect(json.response.status).toBe(401);
    expect(json.response.headers.get('content-type')).toMatch(/problem\+json/);
    expect(json.json.type).toBe('urn:redress:problem:staff-sign-in-required');
    const page = await fetch(`${stack().api}/staff/queue`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/\/staff$/);
    expect(
      (await staffJson('/staff/queue', 'redress_staff=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).response.status,
    ).toBe(401);
    expect((await staffJson('/staff/complaints/01M8000000000000000000000A')).response.status).toBe(401);
  });

  it('lists my task in my queue, a supervisor sees the team’s, a manager everything, another team’s handler not', async () => {
    const driver = await CaseDriver.file(1);
    await driver.taskLink(SUBJECTS.acceptance, TRUST_HANDLER);
    const mine = await findInQueue(handler, driver.number);
    expect(mine).toMatchObject({
      number: driver.number,
      category: 'account',
      step: 'acceptance',
      assignee: TRUST_HANDLER,
      deadlineState: 'on-time',
      flagged: false,
    });
    expect(await findInQueue(supervisor, driver.number)).toBeDefined();
    expect(await findInQueue(manager, driver.number, '&team=trust')).toBeDefined();
    expect(await findInQueue(opsHandler, driver.number)).toBeUndefined();
    // Search by number and by the complainant's email.
    const byNumber = (await staffJson(`/staff/queue?q=${driver.number}`, handler.cookie)).json;
    expect(byNumber.items.map((i: any) => i.number)).toEqual([driver.number]);
    const byEmail = (
      await staffJson(`/staff/queue?q=${encodeURIComponent(driver.complainantEmail)}`, supervisor.cookie)
    ).json;
    expect(byEmail.items.map((i: any) => i.number)).toEqual([driver.number]);
    // The page lists it too, with its deadline state.
    const page = await fetch(`${stack().api}/staff/queue?lang=en&q=${driver.number}`, {
      headers: { cookie: handler.cookie },
    });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(driver.number);
    expect(html).toContain('On time');
  });

  it('accepts from the case page; the emailed link then says it was decided; the view is staff-only history', async () => {
    const driver = await CaseDriver.file(2);
    const { url: emailedLink } = await driver.taskLink(SUBJECTS.acceptance, TRUST_HANDLER);
    const id = (await track(driver.trackingUrl)).json.id as string;
    const page = await fetch(`${stack().api}/staff/complaints/${id}?lang=en`, { headers: { cookie: handler.cookie } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('name="decision" value="accept"');
    expect(html).toContain('name="decision" value="reject"');
    expect(html).toContain('name="decision" value="request-info"');
    // Without the page nonce nothing is decided.
    expect((await staffPost(`/staff/complaints/${id}?lang=en`, handler, { decision: 'accept' })).response.status).toBe(
      403,
    );
    const decided = await staffPost(`/staff/complaints/${id}?lang=en`, handler, {
      nonce: nonceOf(html),
      decision: 'accept',
    });
    expect(decided.response.status).toBe(200);
    expect(decided.text).toContain('Recorded');
    const emailed = await fetch(emailedLink);
    expect(emailed.status).toBe(409);
    expect(await emailed.text()).toContain(TRUST_HANDLER);
    await driver.status((c) => c.status === 'investigation');
    const staffView = (await staffJson(`/staff/complaints/${id}`, handler.cookie)).json;
    const views = staffView.events.filter((e: any) => e.action === 'staff.viewed');
    expect(views.length).toBeGreaterThanOrEqual(2);
    expect(views[0].details.by).toBe(TRUST_HANDLER);
    const tracked = (await track(driver.trackingUrl)).json;
    expect(JSON.stringify(tracked)).not.toContain('staff.viewed');
    expect(JSON.stringify(tracked)).not.toContain(TRUST_HANDLER);
  });

  it('the emailed link decides first: the case page then says so', async () => {
    const driver = await CaseDriver.file(10);
    const { url } = await driver.taskLink(SUBJECTS.acceptance, TRUST_HANDLER);
    const id = (await track(driver.trackingUrl)).json.id as string;
    expect((await driver.act(url, { decision: 'accept' })).response.status).toBe(200);
    // The case page's form names its step (the case has moved on to the investigation by now).
    const late = await staffPost(`/staff/complaints/${id}?lang=en`, supervisor, {
      nonce: supervisor.nonce,
      step: 'acceptance',
      decision: 'accept',
    });
    expect([409, 410]).toContain(late.response.status);
  });

  it('refuses a handler another team’s case with 403, and lets a supervisor and a manager see it', async () => {
    const driver = await CaseDriver.file(1);
    await driver.taskLink(SUBJECTS.acceptance, TRUST_HANDLER);
    const id = (await track(driver.trackingUrl)).json.id as string;
    const refused = await staffJson(`/staff/complaints/${id}`, opsHandler.cookie);
    expect(refused.response.status).toBe(403);
    expect(refused.json.type).toBe('urn:redress:problem:staff-forbidden');
    const bySupervisor = await staffJson(`/staff/complaints/${id}`, supervisor.cookie);
    expect(bySupervisor.response.status).toBe(200);
    expect(bySupervisor.json.mayAct).toBe(true);
    expect(bySupervisor.json.task.taskToken).toBeUndefined();
    expect(bySupervisor.json.task.nonce).toBeUndefined();
    expect((await staffJson(`/staff/complaints/${id}`, manager.cookie)).response.status).toBe(200);
  });

  it('the public route refuses channel hotline, naming the field', async () => {
    const { response, json } = await fileComplaint(complaintBody(1, { channel: 'hotline' }));
    expect(response.status).toBe(400);
    expect(json.errors.map((e: any) => e.path)).toEqual(['channel']);
  });

  it('takes a hotline complaint entered by staff: enteredBy recorded, acknowledgement to the complainant', async () => {
    const body = complaintBody(1, { channel: 'hotline' });
    const withoutNonce = await fetch(`${stack().api}/staff/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', cookie: handler.cookie },
      body: JSON.stringify(body),
    });
    expect(withoutNonce.status).toBe(403);
    const filed = await fetch(`${stack().api}/staff/complaints`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        cookie: handler.cookie,
        'x-redress-nonce': handler.nonce,
      },
      body: JSON.stringify(body),
    });
    const json = (await filed.json()) as any;
    expect(filed.status).toBe(201);
    const ack = await nextEmail(body.complainant.email, /收到您的投诉/, new Set());
    expect(ack.body.text).toContain(json.number);
    const view = (await staffJson(`/staff/complaints/${json.id}`, handler.cookie)).json;
    expect(view.complaint).toMatchObject({ channel: 'hotline', enteredBy: TRUST_HANDLER });
    expect(view.events.find((e: any) => e.action === 'complaint.received').details.enteredBy).toBe(TRUST_HANDLER);
    // The form: a channel the public route refuses, entered with the page's nonce.
    const form = await staffPost('/staff/complaints?lang=en', handler, {
      nonce: handler.nonce,
      channel: 'social',
      'complainant.name': 'Wang Fang',
      'complainant.email': `social-${Date.now().toString(36)}@example.com`,
      'complainant.language': 'en',
      category: 'performance',
      'subject.type': 'service',
      'subject.name': 'the app',
      description: 'The app has been taking a minute to open every morning this week.',
    });
    expect(form.response.status).toBe(201);
    expect(form.text).toMatch(/Complaint TS-\d{8}-\w{6} is filed/);
    const bad = await staffPost('/staff/complaints?lang=en', handler, {
      nonce: handler.nonce,
      channel: 'web',
      'complainant.name': 'X',
    });
    expect(bad.response.status).toBe(400);
    expect(bad.text).toContain('id="channel-error"');
  });

  it('a supervisor reassigns a task within the team: the old link names the new holder, who gets a link', async () => {
    const driver = await CaseDriver.file(2);
    const { url: oldLink } = await driver.taskLink(SUBJECTS.acceptance, TRUST_HANDLER);
    const id = (await track(driver.trackingUrl)).json.id as string;
    // A handler may not reassign.
    expect(
      (
        await staffPost(
          `/staff/complaints/${id}/reassignment`,
          handler,
          { nonce: handler.nonce, to: TRUST_SUPERVISOR, reason: 'x' },
          'application/json',
        )
      ).response.status,
    ).toBe(403);
    const page = await (
      await fetch(`${stack().api}/staff/complaints/${id}?lang=en`, { headers: { cookie: supervisor.cookie } })
    ).text();
    expect(page).toContain('name="to"');
    const missingReason = await staffPost(
      `/staff/complaints/${id}/reassignment`,
      supervisor,
      { nonce: supervisor.nonce, to: TRUST_SUPERVISOR },
      'application/json',
    );
    expect(missingReason.response.status).toBe(400);
    const moved = await staffPost(`/staff/complaints/${id}/reassignment?lang=en`, supervisor, {
      nonce: supervisor.nonce,
      to: TRUST_SUPERVISOR,
      reason: 'handler on leave',
    });
    expect(moved.response.status).toBe(303);
    const old = await fetch(oldLink);
    expect(old.status).toBe(410);
    expect(await old.text()).toContain(TRUST_SUPERVISOR);
    const { url: newLink } = await driver.taskLink(SUBJECTS.acceptance, TRUST_SUPERVISOR);
    expect((await driver.act(newLink, { decision: 'accept' })).response.status).toBe(200);
    await driver.status((c) => c.status === 'investigation');
    const view = (await staffJson(`/staff/complaints/${id}`, supervisor.cookie)).json;
    expect(view.events.find((e: any) => e.action === 'task.reassigned').details).toMatchObject({
      from: TRUST_HANDLER,
      to: TRUST_SUPERVISOR,
      reason: 'handler on leave',
    });
  });

  it('adds an internal note that the complainant never sees', async () => {
    const driver = await CaseDriver.file(1);
    await driver.taskLink(SUBJECTS.acceptance, TRUST_HANDLER);
    const id = (await track(driver.trackingUrl)).json.id as string;
    const note = `internal-${Date.now().toString(36)}: called the complainant back`;
    const added = await staffPost(`/staff/complaints/${id}/notes?lang=en`, handler, { nonce: handler.nonce, note });
    expect(added.response.status).toBe(303);
    const page = await (
      await fetch(`${stack().api}${new URL(added.response.headers.get('location')!).pathname}?lang=en&notice=noted`, {
        headers: { cookie: handler.cookie },
      })
    ).text();
    expect(page).toContain(note);
    expect(page).toContain('The internal note is added.');
    expect(JSON.stringify((await track(driver.trackingUrl)).json)).not.toContain(note);
  });

  it('signs out: the session ends server-side, the old cookie opens nothing', async () => {
    const me = await signIn(PRIVACY_HANDLER);
    expect((await staffJson('/staff/queue', me.cookie)).response.status).toBe(200);
    const out = await staffPost('/staff/sign-out', me, { nonce: me.nonce });
    expect(out.response.status).toBe(303);
    expect(out.response.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await staffJson('/staff/queue', me.cookie)).response.status).toBe(401);
  });

  it('does not sign anyone in on a GET of the link, nor with a wrong nonce', async () => {
    const before = new Set((await readMailbox()).map((e) => e.messageId));
    await askForSignIn(PRIVACY_HANDLER);
    const link = linkIn(await nextEmail(PRIVACY_HANDLER, /Sign-in link/, before), '/staff/sign-in/');
    const wrong = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'nonce=wrong',
      redirect: 'manual',
    });
    expect(wrong.status).toBe(410);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const page = await fetch(link);
    expect(page.status).toBe(200);
  });
});
