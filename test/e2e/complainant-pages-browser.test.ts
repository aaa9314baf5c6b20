import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../functions/domain/language';
import { useBrowser, SCREENSHOTS } from '../support/browser';
import { CaseDriver, stack, SUBJECTS } from '../support/stack-client';

/**
 * What a complainant and a handler see, in both languages, in a real browser: the form's
 * confirmation telling what evidence is due, a task page, the reply email, and the tracking page
 * of a case that ended. Each page is also saved as a screenshot.
 */
describe('the pages a complainant reads, in a browser', () => {
  const browser = useBrowser();
  beforeAll(() => {
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  it('the form says which evidence a complaint needs, and the confirmation says that a screenshot is due and by when', async () => {
    const page = await browser().newPage({ locale: 'en', viewport: { width: 390, height: 844 } });
    await page.goto(`${stack().api}/?lang=en`);
    expect(await page.locator('#evidence-hint').textContent()).toMatch(
      /For a post, its link is enough; anything else needs a screenshot or other file, now or within 7 days of filing/,
    );
    await page.getByLabel(/^Name/).fill('Ada Lee');
    await page.getByLabel(/^Email/).fill(`form-${Date.now().toString(36)}@example.com`);
    await page.getByLabel(/^Category/).selectOption('content');
    await page.getByLabel(/^What is it about/).selectOption('user');
    await page.getByLabel(/^Link or id/).fill('uid-20931');
    await page
      .getByLabel(/^What happened/)
      .fill('A user sent me private messages with insults every day this week, after I reported their post.');
    await page.getByRole('button', { name: 'Submit' }).click();
    const confirmation = page.locator('#confirmation');
    await confirmation.waitFor({ state: 'visible' });
    await confirmation.locator('[data-evidence="file"]').waitFor({ state: 'visible' });
    expect(await confirmation.locator('[data-evidence="file"]').textContent()).toContain('within 7 days');
    expect(await confirmation.locator('[data-evidence="link"]').isHidden()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'form-confirmation-evidence-due-en.png'), fullPage: true });
    await page.close();
  });

  for (const language of ['zh-CN', 'en'] as Language[]) {
    it(`a case to its end (${language}): the handler’s task page, the reply email, and the tracking page that says how it ended`, async () => {
      const zh = language === 'zh-CN';
      const c = await CaseDriver.file(1, { complainant: { language } });
      const acceptance = await c.taskLink(SUBJECTS.acceptance);
      const page = await browser().newPage({ locale: language, viewport: { width: 390, height: 844 } });
      await page.goto(`${acceptance.url}?lang=${language}`);
      expect(await page.locator('html').getAttribute('lang')).toBe(language);
      await page.screenshot({ path: path.join(SCREENSHOTS, `task-page-${language}.png`), fullPage: true });
      await c.act(acceptance.url, { decision: 'accept' });
      await c.act((await c.taskLink(SUBJECTS.investigation)).url, {
        decision: 'record-findings',
        findings: 'Charged twice on 19 Nov.',
      });
      await c.act((await c.taskLink(SUBJECTS.reply)).url, {
        reply: zh ? '重复扣款已全额退回。' : 'The double charge is refunded in full.',
        grounds: zh ? '支付记录显示同一订单扣款两次。' : 'The payment log shows two charges for one order.',
        followUp: zh ? '已修复重试逻辑。' : 'We fixed the retry that charged twice.',
      });

      const reply = await c.taskLink(SUBJECTS.outcome, c.complainantEmail);
      await page.setContent(reply.email.body.html);
      expect(await page.locator('a').first().getAttribute('target')).toBe('_blank');
      await page.screenshot({ path: path.join(SCREENSHOTS, `reply-email-${language}.png`), fullPage: true });
      await c.act(reply.url, { rating: '5' });
      await c.status((x) => x.status === 'closed');

      await page.goto(`${c.trackingUrl}&lang=${language}`);
      const standing = page.locator('section', { has: page.locator('#standing') });
      expect(await standing.textContent()).toContain(zh ? '您的评价：5 / 5' : 'Your rating: 5 / 5');
      expect(await standing.textContent()).toContain(
        zh ? '支付记录显示同一订单扣款两次。' : 'The payment log shows two charges for one order.',
      );
      expect(await page.locator('.history').textContent()).not.toMatch(/@example/);
      await page.screenshot({ path: path.join(SCREENSHOTS, `tracking-page-closed-${language}.png`), fullPage: true });
      await page.close();
    });
  }
});
