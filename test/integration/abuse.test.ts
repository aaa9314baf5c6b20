import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { grantUpload, pngImage, postToS3, tokenOf } from '../support/evidence';
import {
  CaseDriver,
  complaintBody,
  fileComplaint,
  stack,
  SUBJECTS,
  useStackSettingsInProcess,
  WAIT_MS,
} from '../support/stack-client';
import { complaintRecord, eventsOf } from '../support/table';
import { signIn } from '../support/staff-client';
import { stalledCases } from '../support/stalled';

/** What a person with bad intent might try through the public surface, and what the desk does instead. */

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 150));
    value = await read();
  }
  return value;
}

const png = pngImage();
const _upload = async (id: string, token: string, name: string) => {
  const grant = await grantUpload(id, token, { fileName: name, contentType: 'image/png', size: png.length });
  expect((await postToS3(grant, png, 'image/png')).status).toBeLessThan(300);
};
const quarantined = (events: any[], reason: string) =>
  events.filter((e) => e.action === 'evidence.quarantined' && e.details?.reason === reason);

describe('the other party', () => {
  it('never reads the complainant’s name, email, phone or any identity number on the statement page', async () => {
    // Someone else's phone or identity number holds the whole text back from the respondent (intake
    // flags it); the complainant's own identifiers do not, so they are withheld from the text instead.
    const description =
      '我是李娜（lina.private@qq.com，电话 138 1234 5678，海外 +44 20 7946 0958）。11月19日起我的数据在贵方服务故障后丢失，至今未恢复。';
    const c = await CaseDriver.file(7, { complainant: { name: '李娜', phone: '13812345678' }, description });
    await c.act((await c.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
    const respondent = `ops-${c.number}@example.net`;
    await c.act((await c.taskLink(SUBJECTS.investigation)).url, {
      decision: 'request-statement',
      respondentEmail: respondent,
      question: '请说明故障期间的数据备份情况。',
    });
    const page = await (await fetch((await c.taskLink(SUBJECTS.statement, respondent)).url)).text();
    expect(page).toContain('11月19日起我的数据在贵方服务故障后丢失');
    for (const secret of ['李娜', 'lina.private@qq.com', '138 1234 5678', '+44 20 7946 0958', c.complainantEmail])
      expect(page).not.toContain(secret);
    expect(page).toContain('〔已隐去〕');
  });
});

describe('evidence beyond what a case takes', () => {
  it('sets aside a file granted while the case was open that lands after it ended', async () => {
    const { json } = await fileComplaint(complaintBody(6));
    const token = tokenOf(json.trackingUrl);
    const grant = await grantUpload(json.id, token, {
      fileName: 'late.png',
      contentType: 'image/png',
      size: png.length,
    });
    const url = new URL(json.trackingUrl);
    expect(
      (
        await fetch(`${url.origin}${url.pathname}/withdrawal${url.search}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({}),
        })
      ).status,
    ).toBe(200);
    expect((await postToS3(grant, png, 'image/png')).status).toBeLessThan(300);
    const events = await eventually(
      () => eventsOf(json.id),
      (e) => quarantined(e, 'complaint-closed').length === 1,
    );
    expect(quarantined(events, 'complaint-closed')).toHaveLength(1);
    expect(events.filter((e) => e.action === 'evidence.added')).toEqual([]);
  });

  it(`keeps at most maxFiles (${DEFAULT_DESK_CONFIG.evidence.maxFiles}) files, even with the spare upload grants a case has`, async () => {
    const { json } = await fileComplaint(complaintBody(6));
    const token = tokenOf(json.trackingUrl);
    const max = DEFAULT_DESK_CONFIG.evidence.maxFiles;
    // Grants first, uploads after: every grant is issued while the case still has room.
    const grants = [];
    for (let i = 0; i <= max; i++)
      grants.push(
        await grantUpload(json.id, token, { fileName: `shot-${i}.png`, contentType: 'image/png', size: png.length }),
      );
    for (const grant of grants) expect((await postToS3(grant, png, 'image/png')).status).toBeLessThan(300);
    const events = await eventually(
      () => eventsOf(json.id),
      (e) =>
        e.filter((x) => x.action === 'evidence.added').length + quarantined(e, 'too-many-files').length === max + 1,
    );
    expect(events.filter((e) => e.action === 'evidence.added')).toHaveLength(max);
    expect(quarantined(events, 'too-many-files')).toHaveLength(1);
    expect((await complaintRecord(json.id))!.evidenceCount).toBe(max);
  });
});

describe('evidence names', () => {
  it('shows and serves a file under a name without format characters, with the extension of its checked type', async () => {
    const { json } = await fileComplaint(complaintBody(6));
    const script = Buffer.from('<script>alert(1)</script>\n');
    const grant = await grantUpload(json.id, tokenOf(json.trackingUrl), {
      fileName: 'chat-log\u202Etxt.hta',
      contentType: 'text/plain',
      size: script.length,
    });
    expect((await postToS3(grant, script, 'text/plain')).status).toBeLessThan(300);
    const events = await eventually(
      () => eventsOf(json.id),
      (e) => e.some((x) => x.action === 'evidence.added'),
    );
    expect(events.find((e) => e.action === 'evidence.added')?.details?.name).toBe('chat-logtxt.hta.txt');
  });
});

describe('transport', () => {
  it('tells browsers to keep to HTTPS (HSTS) on pages and JSON alike', async () => {
    for (const path of ['/', '/openapi.json'])
      expect((await fetch(`${stack().api}${path}`)).headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
  });
});

describe('a review whose start fails', () => {
  it('is not used up: the request is kept with its pending marker and the reconciler starts the review (StartExecution failing, mocked in-process)', async () => {
    const c = await CaseDriver.file(1);
    await c.act((await c.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
    await c.act((await c.taskLink(SUBJECTS.investigation)).url, {
      decision: 'record-findings',
      findings: 'Charged twice.',
    });
    await c.act((await c.taskLink(SUBJECTS.reply)).url, { reply: 'Refunded.', grounds: 'Payment log.' });
    await c.act((await c.taskLink(SUBJECTS.outcome, c.complainantEmail)).url, { rating: '2' });
    const closed = await c.status((x) => x.status === 'closed');

    useStackSettingsInProcess();
    const { sfn } = await import('../../functions/lib/clients/sfn');
    const { requestReview } = await import('../../functions/app/request-review');
    const { startPendingWorkflows } = await import('../../functions/app/start-pending-workflows');
    const { getComplaint } = await import('../../functions/store/complaints');
    const failing = vi.spyOn(sfn, 'send').mockImplementation(async () => {
      throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable', $fault: 'server' });
    });
    const asked = await requestReview({
      complaint: (await getComplaint(closed.id))!,
      fields: { reason: 'The refund is short by half.' },
      language: 'en',
    });
    failing.mockRestore();
    expect(asked).toMatchObject({ ok: true, status: 202 });
    const pending = (await getComplaint(closed.id))!;
    expect(pending).toMatchObject({ status: 'review', workflowPending: expect.any(String) });

    await startPendingWorkflows({ graceMs: 0 });
    await c.taskLink(SUBJECTS.review);
    expect((await getComplaint(closed.id))!.workflowPending).toBeUndefined();
    // No case stops silently: the review waits on a live task in a running execution.
    expect(await stalledCases({ only: [closed.id] })).toEqual([]);
  });
});

describe('a tracking link that was shared', () => {
  it('can be replaced from itself: the old link stops working at once, and the new one goes only to the complainant’s mailbox', async () => {
    const c = await CaseDriver.file(6);
    const url = new URL(c.trackingUrl);
    const replaced = await fetch(`${url.origin}${url.pathname}/tracking-link${url.search}`, { method: 'POST' });
    expect(replaced.status).toBe(202);
    expect(JSON.stringify(await replaced.json())).not.toMatch(/token/);
    expect((await fetch(c.trackingUrl, { headers: { accept: 'application/json' } })).status).toBe(404);
    const mail = await c.email(/Your new tracking link|您的新查询链接/, c.complainantEmail);
    const fresh = /https?:\/\/\S+\/complaints\/\S+\?token=\S+/.exec(mail.body.text)![0];
    const tracked = await fetch(fresh, { headers: { accept: 'application/json' } });
    expect(tracked.status).toBe(200);
    expect(((await tracked.json()) as any).history.map((h: any) => h.action)).toContain('tracking.replaced');
  });
});

describe('a repeat filed with someone else’s address', () => {
  it('learns nothing of the case, and its text stays unverified for staff until the case’s complainant confirms it', async () => {
    const first = complaintBody(0);
    const filed = await fileComplaint(first);
    const repeat = {
      ...complaintBody(0),
      complainant: first.complainant,
      description: 'Someone else writing as this complainant: the seller paid me to complain.',
    };
    const answer = await fileComplaint(repeat);
    expect(answer.response.status).toBe(201);
    expect(answer.json).toEqual({ status: 'received', message: expect.any(String) });

    const manager = await signIn(DEFAULT_DESK_CONFIG.teams.trust!.manager);
    const staffPage = async () =>
      (
        await fetch(`${stack().api}/staff/complaints/${filed.json.id}?lang=en`, { headers: { cookie: manager.cookie } })
      ).text();
    const before = await staffPage();
    expect(before).toContain('Someone else writing as this complainant');
    expect(before).toContain('Unverified: anyone who knows this address and the matter could have sent it');

    // The case's complainant, on their own tracking page, confirms it was them.
    const tracking = await (await fetch(`${filed.json.trackingUrl}&lang=en`)).text();
    expect(tracking).toContain('Was this filed by you?');
    const at = /name="at" value="([^"]+)"/.exec(tracking)![1]!;
    const url = new URL(filed.json.trackingUrl);
    const confirmed = await fetch(`${url.origin}${url.pathname}/additions/confirmation${url.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ at }),
    });
    expect(confirmed.status).toBe(200);
    expect(await staffPage()).toContain('Confirmed by the complainant');
    expect(await (await fetch(`${filed.json.trackingUrl}&lang=en`)).text()).not.toContain('Was this filed by you?');
  });
});

describe('one address filing again and again', () => {
  it(`is stopped after ${DEFAULT_DESK_CONFIG.intake.filingsPerAddressPerHour} filings in an hour, with Retry-After, in the filer’s language`, async () => {
    const limit = DEFAULT_DESK_CONFIG.intake.filingsPerAddressPerHour;
    const flood = async (email: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < limit; i++) {
        const { response } = await fileComplaint(
          complaintBody(6, {
            complainant: { email },
            subject: { type: 'service', ref: `svc-${i}`, name: `Service ${i}` },
          }),
        );
        statuses.push(response.status);
      }
      const refused = await fileComplaint(
        complaintBody(6, { complainant: { email }, subject: { type: 'service', ref: 'svc-last' } }),
      );
      return { statuses, refused };
    };
    // The limit counts per clock hour (this stack's clock is the machine's): a flood that the
    // hour's turn split between two windows is sent again, from another address, in the new hour.
    const hour = () => new Date().toISOString().slice(0, 13);
    const began = hour();
    let { statuses, refused } = await flood(`flood-${Date.now().toString(36)}@example.com`);
    if (hour() !== began) ({ statuses, refused } = await flood(`flood-again-${Date.now().toString(36)}@example.com`));
    expect(statuses.every((s) => s === 201)).toBe(true);
    expect(refused.response.status).toBe(429);
    expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.json.title).toBe('Too many complaints from this address this hour; please try again later');
  });
});
