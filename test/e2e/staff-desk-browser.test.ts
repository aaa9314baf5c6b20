import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { useBrowser, SCREENSHOTS } from '../support/browser';
import { CaseDriver, emailsTo, SUBJECTS, stack } from '../support/stack-client';
import { signInInBrowser } from '../support/staff-client';

/** Screenshots of the desk go here, outside the repository. */
const HANDLER = DEFAULT_DESK_CONFIG.teams.operations!.handlers[0]!;

describe('a handler at the staff desk in a browser', () => {
  const browser = useBrowser();

  it('signs in from the emailed link by keyboard, sees the queue and a case in Chinese and English at 360 px, and accepts there', async () => {
    const driver = await CaseDriver.file(6);
    await driver.taskLink(SUBJECTS.acceptance, HANDLER);
    mkdirSync(SCREENSHOTS, { recursive: true });
    const context = await browser().newContext({ viewport: { width: 360, height: 800 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const noHorizontalScroll = async () =>
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await page.goto(`${stack().api}/staff`);
    const before = new Set((await emailsTo(HANDLER)).map((e) => e.messageId));
    await page.getByLabel('工作邮箱').fill(HANDLER);
    await page.keyboard.press('Enter');
    await page.waitForLoadState();
    expect(await page.getByRole('status').textContent()).toContain('登录链接已发送');
    await signInInBrowser(page, HANDLER, before, async () => {
      await page.getByRole('button', { name: '登录' }).focus();
      await page.keyboard.press('Enter');
    });
    expect(await page.locator('h1').textContent()).toBe('待办队列');
    await noHorizontalScroll();
    await page.screenshot({ path: `${SCREENSHOTS}/queue-zh-CN.png`, fullPage: true });
    await page.goto(`${stack().api}/staff/queue?lang=en`);
    expect(await page.locator('h1').textContent()).toBe('Queue');
    await noHorizontalScroll();
    await page.screenshot({ path: `${SCREENSHOTS}/queue-en.png`, fullPage: true });
    // The shared stack holds other tests' work too: search for this case by its number.
    await page.getByLabel('Search (complaint number or complainant email)').fill(driver.number);
    // Wait for the search's own page, not the load state of the page it leaves.
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('q') === driver.number),
      page.keyboard.press('Enter'),
    ]);
    expect(await page.getByRole('link', { name: driver.number }).count()).toBe(1);

    await Promise.all([
      page.waitForURL(/\/staff\/complaints\//),
      page.getByRole('link', { name: driver.number }).click(),
    ]);
    expect(await page.locator('h1').textContent()).toContain(driver.number);
    await noHorizontalScroll();
    await page.screenshot({ path: `${SCREENSHOTS}/case-en.png`, fullPage: true });
    await page.goto(page.url().replace('lang=en', 'lang=zh-CN'));
    await noHorizontalScroll();
    await page.screenshot({ path: `${SCREENSHOTS}/case-zh-CN.png`, fullPage: true });
    await page.getByLabel('受理：属实、有效、属于受理范围').check();
    await page.getByRole('button', { name: '提交决定' }).click();
    // The answer's own heading, not the case page's it replaces.
    await page.locator('h1', { hasText: '已记录' }).waitFor();
    expect(await page.locator('h1').textContent()).toBe('已记录');
    await driver.status((c) => c.status === 'investigation');
    await context.close();
  });
});
