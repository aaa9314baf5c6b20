import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPLAINT_NUMBER_PATTERN } from '../../functions/domain/ids';
import { useBrowser, SCREENSHOTS } from '../support/browser';
import { pngImage } from '../support/evidence';
import {
  complaintBody,
  fileComplaint,
  NEEDS_SCREENSHOT,
  stack,
  track,
  WAIT_MS,
  waitForEmail,
  waitForStatus,
} from '../support/stack-client';

const unique = () => `form-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;

describe('the online form in a browser', () => {
  const browser = useBrowser();
  beforeAll(() => {
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  it('files a complaint in Chinese with a screenshot attached; shows the number and the tracking link; the evidence is recorded', async () => {
    const email = unique();
    const page = await browser().newPage({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    page.on(
      'response',
      (response) =>
        response.status() >= 400 &&
        !response.url().endsWith('/favicon.ico') &&
        failures.push(`${response.status()} ${response.url()}`),
    );
    await page.goto(`${stack().api}/`);
    expect(await page.locator('h1').textContent()).toBe('在线投诉');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

    await page.getByLabel('姓名或昵称').fill('王小明');
    await page.getByLabel('电子邮箱').fill(email);
    await page.getByLabel('类别').selectOption('content');
    await page.getByLabel('投诉对象', { exact: false }).first().selectOption('post');
    await page.getByLabel('链接或 ID').fill('https://bbs.example.org/thread-88231-1-1.html');
    await page.getByLabel('对象名称').fill('【求助】某装修公司的真实经历');
    await page.getByLabel('投诉事由').fill('该帖子第3楼捏造我公司偷工减料的事实，并多次使用侮辱性称呼。截图见附件。');
    await page.getByLabel('处理要求').fill('删除第3楼的不实内容，并对发帖人予以警告。');
    await page.getByLabel('沟通情况').fill('11月19日通过站内短消息联系发帖人，未获回复。');
    await page
      .getByLabel('证据')
      .setInputFiles({ name: '第3楼截图.png', mimeType: 'image/png', buffer: pngImage(64, 40) });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'online-form-filled.png'), fullPage: true });

    await page.getByRole('button', { name: '提交投诉' }).click();
    const confirmation = page.locator('#confirmation');
    await confirmation.waitFor({ state: 'visible' });
    const number = (await confirmation.locator('[data-number]').textContent())!;
    expect(number).toMatch(COMPLAINT_NUMBER_PATTERN);
    const trackingUrl = (await confirmation.getByRole('link', { name: '查看处理进度' }).getAttribute('href'))!;
    expect(trackingUrl).toMatch(new RegExp(`^${stack().api}/complaints/[0-9A-Z]{26}\\?token=`));
    await page.locator('[data-uploads][data-done="true"]').waitFor();
    expect(await page.locator('[data-uploads]').textContent()).toContain('已上传：第3楼截图.png');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'online-form-confirmation.png'), fullPage: true });

    const deadline = Date.now() + WAIT_MS;
    let tracked: any;
    while (
      Date.now() < deadline &&
      !(tracked = (await track(trackingUrl)).json).history.some((h: any) => h.action === 'evidence.added')
    )
      await new Promise((r) => setTimeout(r, 200));
    expect(tracked.number).toBe(number);
    expect(tracked.history.map((h: any) => h.action)).toContain('evidence.added');
    expect(tracked.evidence).toEqual([expect.objectContaining({ name: '第3楼截图.png', contentType: 'image/png' })]);
    expect((await waitForEmail(email, /收到您的投诉/)).body.text).toContain(number);
    expect(failures).toEqual([]);

    // The tracking page, in the same browser, lists the upload by name.
    await page.goto(trackingUrl);
    expect(await page.getByText('第3楼截图.png').count()).toBe(1);
    await page.close();
  });

  it('announces the server’s field errors next to the fields and keeps what was typed', async () => {
    const page = await browser().newPage({ locale: 'zh-CN' });
    await page.goto(`${stack().api}/`);
    await page.getByLabel('姓名或昵称').fill('李娜');
    await page.getByLabel('电子邮箱').fill(unique());
    await page.getByLabel('类别').selectOption('account');
    await page.getByLabel('投诉对象', { exact: false }).first().selectOption('user');
    await page.getByLabel('链接或 ID').fill('javascript:alert(1)');
    await page.getByLabel('投诉事由').fill('账号在异地登录，有人冒充我向好友借钱。');
    await page.getByRole('button', { name: '提交投诉' }).click();
    const alert = page.locator('#form-status[role="alert"]');
    await expect.poll(() => alert.textContent()).toContain('请修改标出的内容');
    const ref = page.getByLabel('链接或 ID');
    expect(await ref.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await ref.getAttribute('aria-describedby'))!;
    expect(await page.locator(`#${describedBy}`).textContent()).toContain('http://');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('subjectRef');
    expect(await page.getByLabel('投诉事由').inputValue()).toContain('异地登录');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'online-form-errors.png'), fullPage: true });
    await page.close();
  });

  it('labels every control, holds the server’s limits as hints, and can be filled and sent by keyboard alone', async () => {
    const page = await browser().newPage({ locale: 'en-GB' });
    await page.goto(`${stack().api}/?lang=en`);
    expect(await page.locator('h1').textContent()).toBe('File a complaint');
    const unlabeled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => el.id && !document.querySelector(`label[for="${el.id}"]`))
        .map((el) => el.id),
    );
    expect(unlabeled).toEqual([]);
    expect(await page.getByLabel(/^Name/).getAttribute('maxlength')).toBe('100');
    expect(await page.getByLabel('What happened').getAttribute('minlength')).toBe('10');
    expect(await page.getByLabel('What happened').getAttribute('maxlength')).toBe('5000');
    expect(await page.getByLabel('Email').getAttribute('type')).toBe('email');

    await page.getByLabel(/^Name/).focus();
    await page.keyboard.type('Sun Mei');
    await page.keyboard.press('Tab');
    await page.keyboard.type(unique());
    await page.keyboard.press('Tab'); // phone
    await page.keyboard.press('Tab'); // category
    await page.keyboard.press('ArrowDown'); // the first category
    await page.getByLabel('What happened').focus();
    await page.keyboard.type('Every page of the shop takes 20 to 30 seconds to load since the maintenance.');
    await page.getByRole('button', { name: 'Submit complaint' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#confirmation').waitFor({ state: 'visible' });
    expect(await page.locator('#confirmation [data-number]').textContent()).toMatch(COMPLAINT_NUMBER_PATTERN);
    await page.close();
  });

  it('adds evidence from the tracking page when the category requires it, and the case moves on to review', async () => {
    const { json: filed } = await fileComplaint(complaintBody(0, NEEDS_SCREENSHOT));
    await waitForStatus(filed.trackingUrl, (c) => c.status === 'awaiting-evidence');
    const page = await browser().newPage({ locale: 'zh-CN' });
    await page.goto(filed.trackingUrl);
    expect(await page.locator('script').count()).toBe(0);
    await page.getByRole('link', { name: '上传证据' }).click();
    await page.getByLabel('选择文件').setInputFiles([
      { name: '聊天记录.png', mimeType: 'image/png', buffer: pngImage(50, 50, [0, 120, 0]) },
      {
        name: 'server.log',
        mimeType: 'text/plain',
        buffer: Buffer.from('2026-11-19 09:00:01 ERROR connection refused\n'),
      },
    ]);
    await page.getByRole('button', { name: '上传' }).click();
    await page.locator('#uploads[data-done="true"]').waitFor();
    expect(await page.locator('#uploads').textContent()).toMatch(/已上传：聊天记录\.png.*已上传：server\.log/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'evidence-page.png'), fullPage: true });
    const moved = await waitForStatus(
      filed.trackingUrl,
      (c) => c.evidence.length === 2 && c.status === 'acceptance-review',
    );
    expect(moved.evidence.map((e: any) => e.name).sort()).toEqual(['server.log', '聊天记录.png']);
    await page.getByRole('link', { name: '返回投诉查询页面' }).click();
    expect(await page.getByText('聊天记录.png').count()).toBe(1);
    await page.close();
  });

  it('says clearly what to do when JavaScript is off', async () => {
    const context = await browser().newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${stack().api}/`);
    expect(await page.getByText('此表单需要启用 JavaScript').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: '提交投诉' }).isDisabled()).toBe(true);
    await context.close();
  });
});
