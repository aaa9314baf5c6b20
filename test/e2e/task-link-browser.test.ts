import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBrowser, SCREENSHOTS } from '../support/browser';
import { complaintBody, fileComplaint, linkIn, waitForStatus, waitForTaskEmail } from '../support/stack-client';

describe('a handler in a browser', () => {
  const browser = useBrowser();

  it('opens the emailed task link on a phone-sized screen, accepts, and sees it recorded', async () => {
    const { json: filed } = await fileComplaint(complaintBody(1));
    const taskUrl = linkIn(await waitForTaskEmail(filed.number), '/tasks/');

    const page = await browser().newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await page.goto(taskUrl);
    expect(await page.locator('h1').textContent()).toContain(filed.number);
    expect(await page.getByText('冒充我向好友借钱', { exact: false }).count()).toBe(1);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'task-page.png'), fullPage: true });

    await page.getByLabel('受理：属实、有效、属于受理范围').check();
    await page.getByRole('button', { name: '提交决定' }).click();
    await page.waitForLoadState();
    expect(await page.locator('h1').textContent()).toBe('已记录');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'task-decided.png') });

    await waitForStatus(filed.trackingUrl, (c) => c.status === 'investigation');
    await page.goto(filed.trackingUrl);
    expect(await page.getByText('调查中').count()).toBeGreaterThan(0);
    await page.close();
  });
});
