import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { useBrowser, SCREENSHOTS } from '../support/browser';
import { runRoot, writeTestConfig } from '../support/local-stack-setup';
import { ownStack } from '../support/own-stack';
import { CaseDriver, emailsTo, moveClock, SUBJECTS, stack, waitForEmail } from '../support/stack-client';
import { signIn, staffJson } from '../support/staff-client';

/** Screenshots of the desk go here, outside the repository. */
const OPERATOR = 'desk.operator@example.org';
const MANAGER = DEFAULT_DESK_CONFIG.teams.trust!.manager;

// A stack of this file's own, with an operator (who may send the weekly report now), whose
// figures are rolled up on every tick of its schedule (not after the default five minutes).
const configFile = writeTestConfig(mkdtempSync(path.join(runRoot(), 'redress-analytics-e2e-')), {
  ...DEFAULT_DESK_CONFIG,
  admins: [OPERATOR],
  analytics: { ...DEFAULT_DESK_CONFIG.analytics, refreshSeconds: 0 },
});
ownStack({ REDRESS_CONFIG_FILE: configFile });

describe('the analytics page in a browser', () => {
  const browser = useBrowser();

  it('shows the figures as charts with their numbers, in Chinese and English, and an operator sends the weekly report to the mailbox', async () => {
    const accepted = await CaseDriver.file(2);
    const rejected = await CaseDriver.file(6);
    const waiting = await CaseDriver.file(3);
    await accepted.act((await accepted.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
    await rejected.act((await rejected.taskLink(SUBJECTS.acceptance)).url, {
      decision: 'reject',
      reason: 'out-of-scope',
    });
    await waiting.taskLink(SUBJECTS.acceptance);
    await accepted.taskLink(SUBJECTS.investigation);

    const operator = await signIn(OPERATOR);
    // The figures follow the events within seconds (a guard, not a race).
    for (let i = 0; i < 600; i++) {
      const view = (await staffJson('/staff/analytics', operator.cookie)).json;
      if (view.received.total === 3 && view.outcomes.accepted === 1 && view.outcomes.rejected.total === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    const context = await browser().newContext({ viewport: { width: 390, height: 900 }, locale: 'zh-CN' });
    const [name, value] = operator.cookie.split('=');
    await context.addCookies([{ name: name!, value: value!, url: `${stack().api}/staff` }]);
    const page = await context.newPage();

    await page.goto(`${stack().api}/staff/analytics?lang=zh-CN`);
    expect(await page.locator('h1').textContent()).toBe('统计分析');
    expect(await page.locator('#received').textContent()).toContain('3');
    // Every chart is an image with a name and a description, and its numbers are also a table.
    const charts = page.locator('svg[role="img"]');
    expect(await charts.count()).toBeGreaterThanOrEqual(6);
    for (const chart of await charts.all()) {
      const [titleId, descId] = (await chart.getAttribute('aria-labelledby'))!.split(' ');
      expect(await page.locator(`[id="${titleId}"]`).textContent()).toBeTruthy();
      expect(await page.locator(`[id="${descId}"]`).count()).toBe(1);
    }
    expect(await page.getByRole('table', { name: '按类别' }).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SCREENSHOTS}/analytics-zh-CN.png`, fullPage: true });

    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL(/lang=en/);
    expect(await page.locator('h1').textContent()).toBe('Analytics');
    expect(await page.getByRole('img', { name: 'By category' }).count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/analytics-en.png`, fullPage: true });

    // The CSV link downloads the same figures.
    const csv = await (
      await context.request.get(
        `${stack().api}${(await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href'))!}`,
      )
    ).text();
    expect(csv).toContain('received,total,,Total,3');

    // A week on (the clock moves: the waiting case is late by then), last week's report holds these cases.
    await moveClock(7 * 86400);
    const again = await signIn(OPERATOR);
    await context.addCookies([{ name: name!, value: again.cookie.split('=')[1]!, url: `${stack().api}/staff` }]);
    await page.goto(`${stack().api}/staff/analytics?lang=en`);
    await Promise.all([
      page.waitForURL(/notice=report-sent/),
      page.getByRole('button', { name: 'Send the weekly report now' }).click(),
    ]);
    expect(await page.getByRole('status').textContent()).toContain('The weekly report is sent');
    // The report sent now (the schedule may have sent one too as the clock passed Monday 09:00).
    await waitForEmail(MANAGER, /Weekly complaints report/);
    const report = (await emailsTo(MANAGER)).filter((e) => /Weekly complaints report/.test(e.subject)).at(-1)!;
    // Late by then: the case never accepted, and the accepted one whose investigation is overdue.
    expect(report.body.text).toContain('Late cases still open (2)');
    expect(report.body.text).toContain(waiting.number);
    expect(report.body.text).toContain(accepted.number);
    expect(report.body.text).toMatch(/Complaints received: 3 \(.*: 0\)/);
    expect(report.body.html).toContain('<table');
    expect(report.body.html).not.toContain('<svg');

    // The mailbox shows it as a person reads it.
    const mail = await context.newPage();
    await mail.setViewportSize({ width: 720, height: 900 });
    await mail.setContent(report.body.html);
    expect(await mail.locator('h1').textContent()).toContain('Weekly complaints report');
    await mail.screenshot({ path: `${SCREENSHOTS}/weekly-report-email.png`, fullPage: true });
    await mail.goto(`${stack().mailbox}/`);
    await mail.waitForLoadState();
    await mail.screenshot({ path: `${SCREENSHOTS}/weekly-report-mailbox.png`, fullPage: false });
    await context.close();
  });
});
