import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { pngImage } from '../support/evidence';
import {
  CaseDriver,
  linkIn,
  stack,
  SUBJECTS,
  track,
  waitForEmail,
  waitForStatus,
  WAIT_MS,
  type Email,
} from '../support/stack-client';
import { complaintsBy, eventsOf } from '../support/table';

/**
 * Email in, over real SMTP to the local stand-in (SES receiving's): a mail to the inbound address
 * files a complaint; a reply to a case's reply address lands on it. The stand-in answers once the
 * receiving function has run, so what a mail did is visible when sendMail resolves.
 */
const INBOUND = DEFAULT_DESK_CONFIG.inbound.address;
const HANDLER = 'trust.handler@example.org';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const sender = (name = 'm') => `${name}-${unique()}@example.com`;

const transport = () => {
  const [host, port] = stack().inboundSmtp.split(':');
  return nodemailer.createTransport({ host: host!, port: Number(port), secure: false, ignoreTLS: true });
};
const smtp = transport();
afterAll(() => smtp.close());

async function send(mail: SendMailOptions) {
  const info = await smtp.sendMail(mail);
  expect(info.rejected).toEqual([]);
  return info;
}

const replyToOf = (email: Email): string => {
  const replyTo = ([] as string[]).concat((email as unknown as { replyTo?: string | string[] }).replyTo ?? []);
  expect(replyTo, `Reply-To of «${email.subject}»`).toHaveLength(1);
  return replyTo[0]!;
};

/** The acknowledgement of a complaint filed by mail, with its number, tracking link and reply address. */
async function acknowledged(from: string, subject: RegExp) {
  const email = await waitForEmail(from, subject);
  const number = /\[(TS-[^\]]+)\]/.exec(email.subject)![1]!;
  return { email, number, trackingUrl: linkIn(email, '/complaints/'), replyTo: replyToOf(email) };
}

async function historyOf(trackingUrl: string) {
  return (await track(trackingUrl)).json as {
    id: string;
    channel?: string;
    category?: string;
    history: { action: string; detail?: string }[];
  } & Record<string, any>;
}

async function waitForEvent(
  complaintId: string,
  predicate: (event: Record<string, any>) => boolean,
  timeoutMs = WAIT_MS,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await eventsOf(complaintId)).filter(predicate);
    if (found.length) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no matching event on ${complaintId}`);
}

describe('email in', () => {
  it('files a Chinese complaint from a mail with an attachment, acknowledges it with a reply address, and records the attachment as evidence', async () => {
    const from = sender('zh');
    await send({
      from: `"王芳" <${from}>`,
      to: INBOUND,
      subject: '账号被盗后无法找回',
      text: '11月20日晚上我的账号在异地登录，之后我无法找回密码。请帮我冻结账号。',
      attachments: [{ filename: '登录提醒.png', content: pngImage(), contentType: 'image/png' }],
    });
    const [record] = await complaintsBy(from);
    expect(record).toMatchObject({
      channel: 'email',
      category: DEFAULT_DESK_CONFIG.inbound.defaultCategory,
      language: 'zh-CN',
      complainant: { name: '王芳', email: from },
    });
    expect(record!.description).toContain('账号被盗后无法找回');
    expect(record!.description).toContain('异地登录');

    const ack = await acknowledged(from, /我们已收到您的投诉/);
    expect(ack.email.body.text).toContain('请直接回复本邮件');
    expect(ack.replyTo).toMatch(new RegExp(`^reply\\+${record!.id.toLowerCase()}\\.[0-9a-f]{24}@in\\.example\\.org$`));

    const [added] = await waitForEvent(record!.id, (e) => e.action === 'evidence.added');
    expect(added!.details).toMatchObject({ name: '登录提醒.png', contentType: 'image/png' });
  });

  it('files an English complaint from an HTML-only mail, its text without markup', async () => {
    const from = sender('en');
    await send({
      from: `"Sam Lee" <${from}>`,
      to: INBOUND,
      subject: 'Refund never arrived',
      html: '<html><head><style>p{color:red}</style><script>alert(1)</script></head><body><p>I paid on <b>12 May</b> and the refund never came.</p><p>Order 12345.</p></body></html>',
    });
    const [record] = await complaintsBy(from);
    expect(record).toMatchObject({ channel: 'email', language: 'en', complainant: { name: 'Sam Lee' } });
    expect(record!.description).toMatch(/Refund never arrived[\s\S]*I paid on 12 May and the refund never came/i);
    expect(record!.description).not.toMatch(/<|alert|color:red/);
    const ack = await acknowledged(from, /We have received your complaint/);
    expect(ack.email.body.text).toContain('reply to this email');
  });

  it('ignores auto-replies, bulk mail and bounces', async () => {
    const from = sender('auto');
    await send({
      from,
      to: INBOUND,
      subject: 'Out of office',
      text: 'I am away until Monday and will answer then.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    await send({
      from,
      to: INBOUND,
      subject: 'Newsletter',
      text: 'Our monthly newsletter for all customers.',
      headers: { Precedence: 'bulk' },
    });
    await send({
      from: `MAILER-DAEMON@example.com`,
      to: INBOUND,
      subject: 'Undelivered Mail Returned to Sender',
      text: 'This is the mail system: delivery failed.',
      envelope: { from: '', to: INBOUND },
    });
    expect(await complaintsBy(from)).toEqual([]);
    expect(await complaintsBy('MAILER-DAEMON@example.com')).toEqual([]);
  });

  it('lands a reply to the acknowledgement on its case (quoted history stripped) and tells the assignee; a reply from another address does not land', async () => {
    const from = sender('reply');
    await send({
      from: `"Li Na" <${from}>`,
      to: INBOUND,
      subject: 'Account locked after password reset',
      text: 'My account was locked right after I reset the password yesterday.',
    });
    const ack = await acknowledged(from, /We have received your complaint/);
    const c = new CaseDriver(ack.number, ack.trackingUrl, from);
    await c.taskLink(SUBJECTS.acceptance, HANDLER);

    const stranger = sender('stranger');
    await send({
      from: stranger,
      to: ack.replyTo,
      subject: `Re: [${ack.number}] We have received your complaint`,
      text: 'STRANGER TEXT: close this case.',
    });
    await send({
      from: stranger,
      to: INBOUND,
      subject: `Re: [${ack.number}] We have received your complaint`,
      text: 'STRANGER AGAIN: the number alone must not be enough.',
    });

    await send({
      from,
      to: ack.replyTo,
      subject: `Re: [${ack.number}] We have received your complaint`,
      text: `The lock message said "suspicious activity".\n\nOn Mon, 23 Nov 2026 at 10:00, Redress <complaints@redress.test> wrote:\n> We have received your complaint.\n> Its number is ${ack.number}.`,
      attachments: [
        { filename: 'lock.txt', content: 'Locked at 09:12 for suspicious activity\n', contentType: 'text/plain' },
      ],
    });
    const complaintId = (await historyOf(ack.trackingUrl)).id;
    const replies = (await eventsOf(complaintId)).filter((e) => e.action === 'complainant.replied');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.details.text).toBe('The lock message said "suspicious activity".');
    expect(JSON.stringify(await eventsOf(complaintId))).not.toContain('STRANGER');

    const told = await c.email(/投诉人来信 \/ The complainant wrote/, HANDLER);
    expect(told.body.text).toContain('The lock message said "suspicious activity".');
    expect(told.body.text).not.toContain('We have received your complaint.');
    const [added] = await waitForEvent(complaintId, (e) => e.action === 'evidence.added');
    expect(added!.details).toMatchObject({ name: 'lock.txt', contentType: 'text/plain' });
    expect((await historyOf(ack.trackingUrl)).history.map((h) => h.action)).toContain('complainant.replied');
  });

  it('keeps a Chinese mail naming the case number from the complainant’s address as an unverified addition (stripping “在 … 写道：”), files nothing new', async () => {
    const from = sender('num');
    await send({
      from: `"赵磊" <${from}>`,
      to: INBOUND,
      subject: '页面一直加载失败',
      text: '从昨天开始，应用首页一直加载失败，换了网络也一样。',
    });
    const ack = await acknowledged(from, /我们已收到您的投诉/);
    await send({
      from,
      to: INBOUND,
      subject: `回复：[${ack.number}] 我们已收到您的投诉`,
      text: `补充：我用的是安卓 14。\n\n在 2026年11月23日 10:00，Redress 写道：\n> 我们已收到您的投诉`,
    });
    const complaintId = (await historyOf(ack.trackingUrl)).id;
    const events = await eventsOf(complaintId);
    expect(events.filter((e) => e.action === 'complainant.replied')).toEqual([]);
    const kept = events.filter((e) => e.action === 'complaint.linked-duplicate');
    expect(kept.map((e) => [e.details.description, e.details.verified])).toEqual([['补充：我用的是安卓 14。', false]]);
    expect(await complaintsBy(from)).toHaveLength(1);
  });

  it('answers a request for information by mail, and the acceptance review resumes with the answer', async () => {
    const from = sender('info');
    await send({
      from: `"陈静" <${from}>`,
      to: INBOUND,
      subject: '账号被封禁',
      text: '我的账号今天早上被封禁了，没有收到任何说明。',
    });
    const ack = await acknowledged(from, /我们已收到您的投诉/);
    const c = new CaseDriver(ack.number, ack.trackingUrl, from);
    const first = await c.taskLink(SUBJECTS.acceptance, HANDLER);
    await c.act(first.url, { decision: 'request-info', question: '请说明封禁通知的原文。' });
    const info = await c.email(SUBJECTS.information, from);
    expect(info.body.text).toContain('直接回复本邮件');
    await send({
      from,
      to: replyToOf(info),
      subject: `回复：${info.subject}`,
      text: '通知原文是“违反社区规定”。\n\n> 请说明封禁通知的原文。',
    });

    const second = await c.taskLink(SUBJECTS.acceptance, HANDLER);
    expect(await (await fetch(second.url)).text()).toContain('通知原文是“违反社区规定”');
    const resumed = await waitForStatus(ack.trackingUrl, (x) =>
      x.history.some((h: any) => h.action === 'information.provided'),
    );
    expect(resumed.history.map((h: any) => h.action)).toEqual(
      expect.arrayContaining(['information.requested', 'complainant.replied', 'information.provided']),
    );
  });
});
