import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { CaseDriver, linkIn, stack, SUBJECTS, waitForEmail, type Email } from '../support/stack-client';

/**
 * Text written by complainants (and respondents) is never a live link where staff read it: a URL
 * is shown defanged, its host visible (`hxxps://host[.]example/…`), in the desk's mails to staff
 * and on staff pages, so a phishing link cannot borrow the desk's own address or layout.
 */
const INBOUND = DEFAULT_DESK_CONFIG.inbound.address;
const HANDLER = DEFAULT_DESK_CONFIG.teams.trust!.handlers[0]!;
const PHISH = 'https://redress-desk-login.evil.example/staff/sign-in/Zx81kQm2Ttr4Pq0aLw9d';
const DEFANGED_HOST = 'redress-desk-login[.]evil[.]example';

const smtp = (() => {
  const [host, port] = stack().inboundSmtp.split(':');
  return nodemailer.createTransport({ host: host!, port: Number(port), secure: false, ignoreTLS: true });
})();
afterAll(() => smtp.close());

const replyToOf = (email: Email): string =>
  ([] as string[]).concat((email as unknown as { replyTo?: string | string[] }).replyTo ?? [])[0]!;

/** No form of the attacker's host that a mail client or browser would make a link of. */
function expectNoLiveLink(text: string) {
  expect(text).not.toMatch(/evil\.example/);
  expect(text).not.toMatch(/https?:\/\/redress-desk-login/);
  expect(text).not.toMatch(/href="[^"]*evil/);
}

describe('a URL a complainant wrote', () => {
  it('reaches the handler in the desk’s “The complainant wrote” mail as defanged text, in its text and HTML parts', async () => {
    const from = `phish-${Date.now().toString(36)}@example.com`;
    await smtp.sendMail({
      from,
      to: INBOUND,
      subject: 'Locked out of my account',
      text: 'I cannot sign in since Monday.',
    });
    const ack = await waitForEmail(from, /We have received your complaint/);
    const number = /\[(TS-[^\]]+)\]/.exec(ack.subject)![1]!;
    const c = new CaseDriver(number, linkIn(ack, '/complaints/'), from);
    await c.taskLink(SUBJECTS.acceptance, HANDLER);

    await smtp.sendMail({
      from,
      to: replyToOf(ack),
      subject: `Re: ${ack.subject}`,
      text: `Your colleague asked me to forward this:\n${PHISH}\nAlso www.evil.example and evil.example/reset.`,
    });
    const told = await c.email(/The complainant wrote/, HANDLER);
    expectNoLiveLink(told.body.text);
    expectNoLiveLink(told.body.html);
    expect(told.body.text).toContain(`hxxps://${DEFANGED_HOST}/staff/sign-in/`);
    expect(told.body.html).toContain(`hxxps://${DEFANGED_HOST}/staff/sign-in/`);
    expect(told.body.text).toContain('www[.]evil[.]example');
    expect(told.body.text).toContain('evil[.]example/reset');
  });

  it('is shown defanged on the handler’s task page: description, subject, desired outcome and name', async () => {
    const c = await CaseDriver.file(6, {
      complainant: { name: 'see https://evil.example/x' },
      subject: { type: 'service', ref: PHISH, name: 'Login page at www.evil.example' },
      description: `The page at ${PHISH} asked for my password. Please check it.`,
      desiredOutcome: 'Take down http://evil.example:8080/login now.',
    });
    const task = await c.taskLink(/To do/);
    const page = await (await fetch(task.url)).text();
    expectNoLiveLink(page);
    expect(page).toContain(`hxxps://${DEFANGED_HOST}/staff/sign-in/`);
    expect(page).toContain('www[.]evil[.]example');
    expect(page).toContain('hxxp://evil[.]example:8080/login');
  });
});
