import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { runRoot, writeTestConfig } from '../support/local-stack-setup';
import { ownStack } from '../support/own-stack';
import { CaseDriver, emailsTo, expectStatus, headerOf, stack, waitForEmail, type Email } from '../support/stack-client';
import { signIn } from '../support/staff-client';

/**
 * Mail that lands: sent with SES v2, from a name in the reader's language, every mail marked as
 * written by the system (Auto-Submitted), and the weekly report with a List-Unsubscribe link
 * that works in one click. A stack of this file's own, with an operator who sends the report now.
 */
const OPERATOR = 'mail.operator@example.org';
const MANAGER = DEFAULT_DESK_CONFIG.teams.trust!.manager;
const configFile = writeTestConfig(mkdtempSync(path.join(runRoot(), 'redress-mail-headers-')), {
  ...DEFAULT_DESK_CONFIG,
  admins: [OPERATOR],
});
ownStack({ REDRESS_CONFIG_FILE: configFile });

const REPORT = /Weekly complaints report/;
const decodedFrom = (from: string) =>
  from.replace(/=\?UTF-8\?B\?([^?]+)\?=/gi, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));

async function sendReportNow(): Promise<void> {
  const operator = await signIn(OPERATOR);
  const response = await fetch(`${stack().api}/staff/analytics/weekly-report`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      cookie: operator.cookie,
      'x-redress-nonce': operator.nonce,
    },
    body: '{}',
  });
  expect(response.status).toBe(200);
}

async function reportsTo(to: string): Promise<Email[]> {
  return (await emailsTo(to)).filter((email) => REPORT.test(email.subject));
}

describe('mail that lands', () => {
  it('comes from a name in the complainant’s language and says it was sent automatically', async () => {
    const english = await CaseDriver.file(0, { complainant: { language: 'en' } });
    const chinese = await CaseDriver.file(0, { complainant: { language: 'zh-CN' } });
    const ackEn = await english.email(/We have received your complaint/);
    const ackZh = await chinese.email(/我们已收到您的投诉/);
    expect(ackEn.from).toBe('"Redress Complaints" <complaints@redress.test>');
    expect(decodedFrom(ackZh.from)).toBe('Redress 投诉处理中心 <complaints@redress.test>');
    for (const email of [ackEn, ackZh]) {
      expect(headerOf(email, 'Auto-Submitted')).toBe('auto-generated');
      expect(headerOf(email, 'List-Unsubscribe'), 'no list: a case’s mail').toBeUndefined();
    }
    // Staff mail too (a task link, in the holder's language).
    const task = await english.email(/To do: Acceptance review/);
    expect(headerOf(task, 'Auto-Submitted')).toBe('auto-generated');
  });

  it('sends the weekly report with a one-click List-Unsubscribe that stops it, and nothing else', async () => {
    await sendReportNow();
    const first = await waitForEmail(MANAGER, REPORT);
    expect(headerOf(first, 'Auto-Submitted')).toBe('auto-generated');
    expect(headerOf(first, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const link = /^<(https?:\/\/\S+\/reports\/unsubscribe\/[A-Za-z0-9_.-]+)>$/.exec(
      headerOf(first, 'List-Unsubscribe') ?? '',
    )?.[1];
    expect(link, `List-Unsubscribe: ${headerOf(first, 'List-Unsubscribe')}`).toBeDefined();
    // The local mailbox shows them: in its store and in the .eml its page downloads.
    const eml = (await (await fetch(`${stack().mailbox}/get-emlContent?messageId=${first.messageId}`)).json()) as {
      body: { data: number[] };
    };
    const raw = Buffer.from(eml.body.data).toString('utf8');
    expect(raw).toMatch(/^Auto-Submitted: auto-generated\r?$/m);
    // A long header is folded onto further lines.
    expect(raw.replace(/\r?\n[ \t]+/g, ' ')).toMatch(
      /^List-Unsubscribe: ?<https?:\/\/\S+\/reports\/unsubscribe\/\S+>\r?$/m,
    );
    // The report goes to staff in both languages: the sender's name in both.
    expect(decodedFrom(first.from)).toBe('Redress 投诉处理中心 / Redress Complaints <complaints@redress.test>');

    // A GET (a mail scanner) changes nothing; a link not of this desk is refused.
    const shown = await fetch(`${link}?lang=en`);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain(MANAGER);
    const forged = `${link!.slice(0, -4)}AAAA`;
    expect((await fetch(forged, { method: 'POST' })).status).toBe(404);

    // The mail client's one-click POST (RFC 8058) unsubscribes.
    const clicked = await fetch(`${link}?lang=en`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expectStatus({ response: clicked, text: await clicked.text() }, 200, 'one-click unsubscribe');

    const supervisor = DEFAULT_DESK_CONFIG.teams.trust!.supervisor;
    const before = { manager: (await reportsTo(MANAGER)).length, supervisor: (await reportsTo(supervisor)).length };
    await sendReportNow();
    await waitForNewReport(supervisor, before.supervisor);
    expect((await reportsTo(MANAGER)).length, 'no report after unsubscribing').toBe(before.manager);
  });
});

async function waitForNewReport(to: string, had: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await reportsTo(to)).length > had) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no new report to ${to}`);
}
