import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { useBrowser } from '../support/browser';
import { pngImage } from '../support/evidence';
import { CaseDriver, linkIn, stack, SUBJECTS, track } from '../support/stack-client';
import { signIn, type Staff } from '../support/staff-client';
import { complaintRecord, eventsOf } from '../support/table';

/**
 * The desk's upload controls in a browser: the entry form's picker for the caller's evidence,
 * and the message form's picker for a file to send. Each goes through the evidence upload
 * (presigned POST, checked when it lands) and is recorded as the staff member's.
 */
/** The controls' screenshots go outside the repository, for the report. */
const SCREENS = '/work/notes/screens';

async function recorded(id: string, name: string) {
  for (let i = 0; i < 1200; i++) {
    const found = (await eventsOf(id)).find((e) => e.action === 'evidence.added' && e.details.name === name);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no evidence ${name} recorded on ${id}`);
}

describe('the desk’s upload controls in a browser', () => {
  const browser = useBrowser();

  async function signedInPage(staff: Staff, locale: string) {
    const context = await browser().newContext({ viewport: { width: 900, height: 1000 }, locale });
    const [name, value] = staff.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: `${stack().api}/staff` }]);
    return { context, page: await context.newPage() };
  }

  it('enters a social complaint with the caller’s screenshot: uploaded from the form, recorded as the staff member’s, the case page opens', async () => {
    const supervisor = DEFAULT_DESK_CONFIG.teams.trust!.supervisor;
    const staff = await signIn(supervisor);
    const { context, page } = await signedInPage(staff, 'zh-CN');
    await page.goto(`${stack().api}/staff/complaints?lang=zh-CN`);
    // The script is on: the picker is enabled and the note that it needs one is gone.
    await expect.poll(() => page.locator('#evidence-files').isEnabled()).toBe(true);
    expect(await page.locator('#evidence-needs-script').count()).toBe(0);
    await page.selectOption('#channel', 'social');
    await page.fill('[name="complainant.name"]', '王芳');
    await page.fill('[name="complainant.email"]', `entry-${Date.now().toString(36)}@example.com`);
    await page.selectOption('#category', 'content');
    await page.selectOption('[name="subject.type"]', 'user');
    await page.fill('[name="subject.ref"]', 'uid-20931');
    await page.fill('[name="description"]', '该用户连续一周通过站内信发送辱骂信息，来电人已把截图发给客服。');
    await page.setInputFiles('#evidence-files', { name: '站内信截图.png', mimeType: 'image/png', buffer: pngImage() });
    mkdirSync(SCREENS, { recursive: true });
    await page.locator('#entry-form').screenshot({ path: `${SCREENS}/talk2-entry-evidence-zh.png` });
    await Promise.all([
      page.waitForURL(/\/staff\/complaints\/[0-9A-Z]{26}\?lang=zh-CN/),
      page.getByRole('button', { name: '登记投诉' }).click(),
    ]);
    const id = /\/staff\/complaints\/([0-9A-Z]{26})/.exec(page.url())![1]!;
    const added = await recorded(id, '站内信截图.png');
    expect(added.details.uploadedBy).toBe(supervisor);
    expect(await complaintRecord(id)).toMatchObject({ evidenceEnteredBy: supervisor, channel: 'social' });
    await page.waitForLoadState('networkidle');
    await context.close();
  });

  it('uploads a file from the message form, ticks it once checked, and sends it with the message', async () => {
    const c = await CaseDriver.file(1);
    const acceptance = await c.taskLink(SUBJECTS.acceptance);
    const handler = acceptance.email.destination.to[0]!;
    await c.act(acceptance.url, { decision: 'accept' });
    await c.taskLink(SUBJECTS.investigation, handler);
    const id = (await track(c.trackingUrl)).json.id as string;
    const { context, page } = await signedInPage(await signIn(handler), 'en');
    await page.goto(`${stack().api}/staff/complaints/${id}?lang=en`);
    await expect.poll(() => page.locator('#message-files').isEnabled()).toBe(true);
    await page.setInputFiles('#message-files', { name: 'login-log.png', mimeType: 'image/png', buffer: pngImage() });
    const ticked = page.locator('#message-uploads input[type=checkbox][name=attachments]');
    await ticked.waitFor({ timeout: 60_000 });
    expect(await ticked.isChecked()).toBe(true);
    expect(await page.locator('#message-uploads').textContent()).toContain('Sent with the message: login-log.png');
    mkdirSync(SCREENS, { recursive: true });
    await page.locator('#message-form').screenshot({ path: `${SCREENS}/talk2-message-upload-en.png` });
    await page.getByLabel('Message', { exact: true }).fill('The login log we found is attached.');
    await Promise.all([
      page.waitForURL(/notice=message-sent/),
      page.getByRole('button', { name: 'Send message' }).click(),
    ]);
    const sent = (await eventsOf(id)).find((e) => e.action === 'message.to-complainant');
    expect(sent?.details.attachments).toEqual([expect.objectContaining({ name: 'login-log.png' })]);
    // The complainant sees it on their tracking page, with their own download link.
    const tracked = (await track(c.trackingUrl)).json;
    expect(JSON.stringify(tracked.messages)).toContain('login-log.png');
    await page.waitForLoadState('networkidle');
    await context.close();
  });

  it('lets the respondent upload a file on their link and send it with their answer', async () => {
    const c = await CaseDriver.file(1);
    const acceptance = await c.taskLink(SUBJECTS.acceptance);
    const handler = acceptance.email.destination.to[0]!;
    await c.act(acceptance.url, { decision: 'accept' });
    const investigation = await c.taskLink(SUBJECTS.investigation, handler);
    const respondent = `resp-browser-${Date.now().toString(36)}@example.net`;
    await c.act(investigation.url, { decision: 'request-statement', respondentEmail: respondent, question: 'Yours?' });
    await c.act((await c.taskLink(SUBJECTS.statement, respondent)).url, { statement: 'It was not me.' });
    await c.taskLink(SUBJECTS.investigation, handler);
    const id = (await track(c.trackingUrl)).json.id as string;
    const staff = await signIn(handler);
    const sent = await fetch(`${stack().api}/staff/complaints/${id}/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        cookie: staff.cookie,
        'x-redress-nonce': staff.nonce,
      },
      body: JSON.stringify({ to: 'respondent', text: 'Please send the moderation log.' }),
    });
    expect(sent.status).toBe(201);
    const link = linkIn(await c.email(/A message about a complaint/, respondent), '/respond/');

    const context = await browser().newContext({ viewport: { width: 900, height: 1000 }, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${link}&lang=zh-CN`);
    await expect.poll(() => page.locator('#message-files').isEnabled()).toBe(true);
    await page.setInputFiles('#message-files', { name: '审核日志.png', mimeType: 'image/png', buffer: pngImage() });
    const ticked = page.locator('#message-uploads input[type=checkbox][name=attachments]');
    await ticked.waitFor({ timeout: 60_000 });
    expect(await page.locator('#message-uploads').textContent()).toContain('将随消息发送：审核日志.png');
    mkdirSync(SCREENS, { recursive: true });
    await page.locator('#message-form').screenshot({ path: `${SCREENS}/talk2-respondent-upload-zh.png` });
    await page.getByLabel('您的回复').fill('审核日志见附件。');
    await Promise.all([page.waitForURL(/notice=sent/), page.getByRole('button', { name: '发送' }).click()]);
    const answer = (await eventsOf(id)).find((e) => e.action === 'respondent.wrote');
    expect(answer?.details.attachments).toEqual([expect.objectContaining({ name: '审核日志.png' })]);
    await page.waitForLoadState('networkidle');
    await context.close();
  });

  it('lets the respondent upload a file without JavaScript (the store’s form, back to the page) and send it with their answer', async () => {
    const c = await CaseDriver.file(1);
    const acceptance = await c.taskLink(SUBJECTS.acceptance);
    const handler = acceptance.email.destination.to[0]!;
    await c.act(acceptance.url, { decision: 'accept' });
    const investigation = await c.taskLink(SUBJECTS.investigation, handler);
    const respondent = `resp-noscript-${Date.now().toString(36)}@example.net`;
    await c.act(investigation.url, { decision: 'request-statement', respondentEmail: respondent, question: 'Yours?' });
    await c.act((await c.taskLink(SUBJECTS.statement, respondent)).url, { statement: 'It was not me.' });
    await c.taskLink(SUBJECTS.investigation, handler);
    const id = (await track(c.trackingUrl)).json.id as string;
    const staff = await signIn(handler);
    const sent = await fetch(`${stack().api}/staff/complaints/${id}/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        cookie: staff.cookie,
        'x-redress-nonce': staff.nonce,
      },
      body: JSON.stringify({ to: 'respondent', text: 'Please send the moderation log.' }),
    });
    expect(sent.status).toBe(201);
    const link = linkIn(await c.email(/A message about a complaint/, respondent), '/respond/');

    const context = await browser().newContext({
      viewport: { width: 900, height: 1000 },
      locale: 'zh-CN',
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await page.goto(`${link}&lang=zh-CN`);
    // No script: the picker stays disabled, and the plain form asks for an upload instead.
    expect(await page.locator('#message-files').isDisabled()).toBe(true);
    await Promise.all([
      page.waitForURL(/\/attachments/),
      page.getByRole('button', { name: '上传文件（无需 JavaScript）' }).click(),
    ]);
    await page.selectOption('#upload-type', 'image/png');
    await page.setInputFiles('#upload-file', { name: '审核日志.png', mimeType: 'image/png', buffer: pngImage() });
    mkdirSync(SCREENS, { recursive: true });
    await page.locator('#form-upload').screenshot({ path: `${SCREENS}/talk3-upload-without-script-zh.png` });
    // The store takes the file and sends the browser back to the respondent's page.
    await Promise.all([
      page.waitForURL(new RegExp(`/respond/${id}\\?`)),
      page.getByRole('button', { name: '上传', exact: true }).click(),
    ]);
    const added = await recordedBy(id, (e) => e.details.party === 'respondent');
    expect(added.details).toMatchObject({ contentType: 'image/png' });
    // Checked and recorded, it can be ticked and sent with the answer.
    await page.goto(`${link}&lang=zh-CN`);
    await page.locator(`input[name=attachments][value="${added.details.evidenceId}"]`).check();
    await page.getByLabel('您的回复').fill('审核日志见附件（未启用脚本上传）。');
    await Promise.all([page.waitForURL(/notice=sent/), page.getByRole('button', { name: '发送' }).click()]);
    const answer = (await eventsOf(id)).find((e) => e.action === 'respondent.wrote');
    expect(answer?.details.attachments).toEqual([expect.objectContaining({ id: added.details.evidenceId })]);
    await page.waitForLoadState('networkidle');
    await context.close();
  });
});

async function recordedBy(id: string, match: (event: Record<string, any>) => boolean) {
  for (let i = 0; i < 1200; i++) {
    const found = (await eventsOf(id)).find((e) => e.action === 'evidence.added' && match(e));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no evidence recorded on ${id}`);
}
