import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import {
  CaseDriver,
  emailsTo,
  linkIn,
  stack,
  SUBJECTS,
  track,
  waitForEmail,
  type Email,
} from '../support/stack-client';
import { signIn } from '../support/staff-client';
import { complaintsBy, eventsOf, queuedMailOf } from '../support/table';

/**
 * Who may act on a case by mail, over real SMTP to the local stand-in as an attacker would send
 * it: only a reply to the case's own reply address acts; a mail that merely names the case number
 * from the complainant's address (anyone can forge a From) is kept unverified; a reply to a closed
 * case is recorded and answered, and nobody is told that work is due.
 */
const INBOUND = DEFAULT_DESK_CONFIG.inbound.address;
const HANDLER = 'trust.handler@example.org';
const MANAGER = DEFAULT_DESK_CONFIG.teams.trust!.manager;

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const sender = (name = 'm') => `${name}-${unique()}@example.com`;

const smtp = (() => {
  const [host, port] = stack().inboundSmtp.split(':');
  return nodemailer.createTransport({ host: host!, port: Number(port), secure: false, ignoreTLS: true });
})();
afterAll(() => smtp.close());

async function send(mail: SendMailOptions) {
  const info = await smtp.sendMail(mail);
  expect(info.rejected).toEqual([]);
  return info;
}

const replyToOf = (email: Email): string =>
  ([] as string[]).concat((email as unknown as { replyTo?: string | string[] }).replyTo ?? [])[0]!;

async function fileByMail(from: string, name: string, subject: string, text: string, ack: RegExp) {
  await send({ from: `"${name}" <${from}>`, to: INBOUND, subject, text });
  const email = await waitForEmail(from, ack);
  const number = /\[(TS-[^\]]+)\]/.exec(email.subject)![1]!;
  const [record] = await complaintsBy(from);
  return { id: record!.id as string, number, trackingUrl: linkIn(email, '/complaints/'), replyTo: replyToOf(email) };
}

describe('a mail that names a case number from the complainant’s address, not to the case’s reply address', () => {
  it('answers no request for information and resumes nothing: it is kept as an unverified addition, and the sender is told in Chinese to reply to the case’s mail', async () => {
    const from = sender('forged');
    const filed = await fileByMail(
      from,
      '周敏',
      '账号被冻结',
      '我的账号昨天被冻结了，没有任何通知。',
      /我们已收到您的投诉/,
    );
    const c = new CaseDriver(filed.number, filed.trackingUrl, from);
    const acceptance = await c.taskLink(SUBJECTS.acceptance, HANDLER);
    await c.act(acceptance.url, { decision: 'request-info', question: '请提供冻结时看到的提示。' });
    await c.status((x) => x.status === 'awaiting-information');
    const infoRequest = await c.email(SUBJECTS.information, from);

    // The attacker knows the number (the respondent sees it) and forges the complainant's From.
    await send({
      from,
      to: INBOUND,
      subject: `回复：[${filed.number}] 请补充信息`,
      text: 'FORGED：问题已解决，请直接结案。',
    });

    const events = await eventsOf(filed.id);
    const actions = events.map((e) => e.action);
    expect(actions).not.toContain('complainant.replied');
    expect(actions).not.toContain('information.provided');
    const addition = events.find((e) => e.action === 'complaint.linked-duplicate');
    expect(addition?.details).toMatchObject({ channel: 'email', verified: false });
    expect(addition?.details.description).toContain('FORGED：问题已解决');
    expect((await track(filed.trackingUrl)).json.status).toBe('awaiting-information');

    // Whoever owns the mailbox learns, in the case's language, how to reach the case for real.
    const notice = await c.email(/未经核实/, from);
    expect(notice.body.text).toContain('请直接回复');
    expect(replyToOf(notice)).toBe(replyToOf(infoRequest));

    // Staff see it marked unverified; the complainant can confirm it on the tracking page.
    const manager = await signIn(MANAGER);
    const staffPage = await (
      await fetch(`${stack().api}/staff/complaints/${filed.id}?lang=en`, { headers: { cookie: manager.cookie } })
    ).text();
    expect(staffPage).toContain('FORGED：问题已解决');
    expect(staffPage).toContain('Unverified');
    const tracking = await (await fetch(`${filed.trackingUrl}&lang=zh-CN`)).text();
    expect(tracking).toContain('FORGED：问题已解决');
    expect(tracking).toMatch(/name="at" value="[^"]+"/);

    // The case's own reply address still answers the request.
    await send({
      from,
      to: replyToOf(infoRequest),
      subject: `回复：${infoRequest.subject}`,
      text: '提示是“账号存在风险”。',
    });
    await c.status((x) => x.history.some((h: any) => h.action === 'information.provided'));
  });
});

describe('a reply to a closed case', () => {
  it('is recorded as written after closing, its sender is told the case is closed and what they can do, and the last assignee is not told', async () => {
    const from = sender('closed');
    const filed = await fileByMail(
      from,
      'Ana Ruiz',
      'Seller never shipped my order',
      'I paid for order 5521 three weeks ago and it never shipped.',
      /We have received your complaint/,
    );
    const c = new CaseDriver(filed.number, filed.trackingUrl, from);
    const acceptance = await c.taskLink(SUBJECTS.acceptance, HANDLER);
    await c.act(acceptance.url, { decision: 'reject', reason: 'insufficient-evidence' });
    await c.status((x) => x.status === 'closed');
    const outcome = await c.email(/not accepted/, from);
    const handlerMailBefore = (await emailsTo(HANDLER)).filter((e) => e.subject.includes(filed.number)).length;

    await send({
      from,
      to: replyToOf(outcome),
      subject: `Re: ${outcome.subject}`,
      text: 'LATE REPLY: but I do have the receipt now.',
    });

    const events = await eventsOf(filed.id);
    const late = events.filter((e) => e.action === 'complainant.replied-after-closing');
    expect(late).toHaveLength(1);
    expect(late[0]!.details.text).toBe('LATE REPLY: but I do have the receipt now.');
    expect(events.map((e) => e.action)).not.toContain('complainant.replied');

    const told = await c.email(/is closed/, from);
    expect(told.body.text).toMatch(/new complaint/);
    expect(told.body.text).not.toMatch(/ask for a review/);

    // Nobody is told work is due: no mail to the last assignee, none queued.
    expect((await emailsTo(HANDLER)).filter((e) => e.subject.includes(filed.number))).toHaveLength(handlerMailBefore);
    expect((await queuedMailOf(filed.id)).map((m) => m.purpose)).not.toContain('complainant.replied');
    expect((await track(filed.trackingUrl)).json.status).toBe('closed');
  });
});
