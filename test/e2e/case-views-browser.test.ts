import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import type { Language } from '../../functions/domain/language';
import { useBrowser } from '../support/browser';
import { seedCases, type SeededCase } from '../support/case-seed';
import { axeViolations, vnuErrors } from '../support/html-checks';
import { ownStack } from '../support/own-stack';
import { CaseDriver, emailsTo, SUBJECTS, stack, track, useStackSettingsInProcess } from '../support/stack-client';
import { signInInBrowser } from '../support/staff-client';

/**
 * The case views in Chromium, in Chinese and English, over 200 cases seeded in the product's item
 * shapes (test/support/case-seed.ts) plus real cases at their acceptance step: sorting, filtering,
 * searching by part of a number, a saved view, a bulk reassignment with one row refused, and the
 * board. Every staff page met on the way is checked by axe-core (as shown) and collected for the
 * Nu Html Checker (as served), which must both find nothing. Screenshots go outside the repository.
 */
ownStack();

const SCREENS = '/work/notes/screens';
const TRUST = DEFAULT_DESK_CONFIG.teams.trust!;
const MANAGER = TRUST.manager;
const NOW = new Date();
let seeded: SeededCase[] = [];
const served: { name: string; html: string }[] = [];

const WORDS = {
  'zh-CN': {
    title: '案件',
    due: '期限',
    status: '状态',
    withdrawn: '已撤回',
    apply: '应用',
    search: '搜索（编号或其一部分、邮箱、姓名、投诉对象）',
    save: '保存当前视图',
    name: '名称',
    saveButton: '保存',
    saved: '视图已保存。',
    action: '操作',
    to: '改派给',
    text: '理由或备注（最多 2000 个字符）',
    run: '执行',
    result: (done: number, failed: number) => `完成 ${done} 件，失败 ${failed} 件。`,
    refused: '此案件当前没有可改派的任务',
    board: '风险看板',
  },
  en: {
    title: 'Cases',
    due: 'Due',
    status: 'Status',
    withdrawn: 'Withdrawn',
    apply: 'Apply',
    search: 'Search (number or part of it, email, name, subject)',
    save: 'Save this view',
    name: 'Name',
    saveButton: 'Save',
    saved: 'The view is saved.',
    action: 'Action',
    to: 'Reassign to',
    text: 'Reason or note (at most 2000 characters)',
    run: 'Apply to selected',
    result: (done: number, failed: number) => `${done} done, ${failed} failed.`,
    refused: 'This case has no open staff task to reassign',
    board: 'At-risk board',
  },
} as const;

/** The page as served (for the Nu Html Checker), fetched with the browser's session. */
async function keepServed(context: BrowserContext, name: string, pathAndQuery: string): Promise<void> {
  const cookie = (await context.cookies(stack().api)).map((c) => `${c.name}=${c.value}`).join('; ');
  const response = await fetch(`${stack().api}${pathAndQuery}`, { headers: { cookie, accept: 'text/html' } });
  expect(response.status, name).toBe(200);
  served.push({ name, html: await response.text() });
}

async function expectAccessible(page: Page, what: string): Promise<void> {
  expect(await axeViolations(page), what).toEqual([]);
}

const rowNumbers = (page: Page) =>
  page.locator('table.dense tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.number));

describe('the case views in a browser', () => {
  const browser = useBrowser();
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    useStackSettingsInProcess();
    seeded = await seedCases(200, NOW);
    mkdirSync(SCREENS, { recursive: true });
    context = await browser().newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
    page = await context.newPage();
    // Signed in as the desk's manager, from the emailed link.
    await page.goto(`${stack().api}/staff`);
    served.push({ name: 'sign-in', html: await (await fetch(`${stack().api}/staff?lang=en`)).text() });
    await expectAccessible(page, 'sign-in page');
    const before = new Set((await emailsTo(MANAGER)).map((e) => e.messageId));
    await page.getByLabel('工作邮箱').fill(MANAGER);
    await page.keyboard.press('Enter');
    await page.waitForLoadState();
    await signInInBrowser(
      page,
      MANAGER,
      before,
      () => page.getByRole('button', { name: '登录' }).click(),
      async (link) => {
        served.push({ name: 'sign-in link', html: await (await fetch(link)).text() });
        await expectAccessible(page, 'sign-in link page');
      },
    );
  });

  for (const language of ['zh-CN', 'en'] as const satisfies readonly Language[]) {
    const words = WORDS[language];
    it(`${language}: sorts, filters, searches by part of a number, saves a view, reassigns in bulk with one row refused, and shows the board`, async () => {
      // Two real cases at their acceptance step, held by the trust handler: reassignable.
      const cases = [await CaseDriver.file(1), await CaseDriver.file(1)];
      for (const c of cases) await c.taskLink(SUBJECTS.acceptance, TRUST.handlers[0]);
      const real = await Promise.all(
        cases.map(async (c) => ({ number: c.number, id: (await track(c.trackingUrl)).json.id })),
      );

      await page.goto(`${stack().api}/staff/cases?lang=${language}`);
      expect(await page.locator('h1').textContent()).toBe(words.title);
      expect(await page.locator('table.dense tbody tr').count()).toBe(50);
      await expectAccessible(page, `cases ${language}`);
      await keepServed(context, `cases ${language}`, `/staff/cases?lang=${language}`);
      await page.screenshot({ path: `${SCREENS}/views-table-${language}.png`, fullPage: true });

      // Sort: the due column's header, soonest first.
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('sort') === 'due'),
        page.getByRole('columnheader', { name: words.due }).getByRole('link').click(),
      ]);
      const byDue = [...seeded.filter((c) => c.deadlineAt)].sort((a, b) => (a.deadlineAt! < b.deadlineAt! ? -1 : 1));
      expect((await rowNumbers(page)).slice(0, 10)).toEqual(byDue.slice(0, 10).map((c) => c.number));
      expect(await page.locator('tbody tr').first().getAttribute('data-due-state')).toBe('late');
      await page.screenshot({ path: `${SCREENS}/views-sorted-${language}.png` });

      // Filter: withdrawn cases only.
      await page.getByLabel(words.status, { exact: true }).selectOption('withdrawn');
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('status') === 'withdrawn'),
        page.getByRole('button', { name: words.apply, exact: true }).click(),
      ]);
      const withdrawn = seeded.filter((c) => c.kind === 'withdrawn').map((c) => c.number);
      expect(new Set(await rowNumbers(page))).toEqual(new Set(withdrawn));
      await expectAccessible(page, `filtered ${language}`);

      // Search by part of a number (four characters of its tail, in lower case).
      const target = seeded[language === 'en' ? 33 : 17]!;
      const part = target.number.slice(-5, -1).toLowerCase();
      await page.goto(`${stack().api}/staff/cases?lang=${language}`);
      await page.getByLabel(words.search).fill(part);
      await Promise.all([page.waitForURL((url) => url.searchParams.get('q') === part), page.keyboard.press('Enter')]);
      expect(await rowNumbers(page)).toContain(target.number);
      await page.screenshot({ path: `${SCREENS}/views-search-${language}.png` });

      // A saved view: the late ones of the trust team, by due time.
      await page.goto(`${stack().api}/staff/cases?team=trust&late=1&sort=due&lang=${language}`);
      const lateTrust = seeded.filter(
        (c) => c.team === 'trust' && c.deadlineAt && c.deadlineAt <= new Date().toISOString(),
      );
      expect(new Set(await rowNumbers(page))).toEqual(new Set(lateTrust.map((c) => c.number)));
      await page.getByText(words.save).click();
      const viewName = `trust late ${language}`;
      await page.getByLabel(words.name, { exact: true }).fill(viewName);
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('notice') === 'saved'),
        page.getByRole('button', { name: words.saveButton, exact: true }).click(),
      ]);
      expect(await page.getByRole('status').first().textContent()).toContain(words.saved);
      const saved = page.getByRole('link', { name: viewName, exact: true });
      const count = await page.locator(`[data-count="${await saved.getAttribute('data-view')}"]`).textContent();
      expect(count).toBe(String(lateTrust.length));
      await page.goto(`${stack().api}/staff/cases?lang=${language}`);
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('late') === '1'),
        page.getByRole('link', { name: viewName, exact: true }).click(),
      ]);
      expect(new Set(await rowNumbers(page))).toEqual(new Set(lateTrust.map((c) => c.number)));
      await keepServed(
        context,
        `saved view ${language}`,
        `/staff/cases?team=trust&late=1&sort=due&notice=saved&lang=${language}`,
      );

      // Bulk: the trust handler's cases, newest first: the two real ones and a seeded one (no
      // task link of its own: nothing to reassign, refused).
      await page.goto(
        `${stack().api}/staff/cases?holder=${encodeURIComponent(TRUST.handlers[0]!)}&status=open&sort=received&lang=${language}`,
      );
      const numbers = (await rowNumbers(page)).slice(0, 3);
      expect(numbers.slice(0, 2).sort()).toEqual(real.map((r) => r.number).sort());
      for (const number of numbers) await page.locator(`tr[data-number="${number}"] input[type=checkbox]`).check();
      await page.getByLabel(words.action, { exact: true }).selectOption('reassign');
      await page.getByLabel(words.to, { exact: true }).selectOption(TRUST.supervisor);
      await page.getByLabel(words.text).fill(language === 'en' ? 'Covering a leave' : '休假期间代办');
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/staff/cases/bulk')),
        page.getByRole('button', { name: words.run }).click(),
      ]);
      served.push({ name: `bulk result ${language}`, html: await response.text() });
      await page.locator('[role=status]').first().waitFor();
      expect(await page.getByRole('status').first().textContent()).toContain(words.result(2, 1));
      const refused = page.locator('li[data-outcome="failed"]');
      expect(await refused.count()).toBe(1);
      expect(await refused.textContent()).toContain(numbers[2]);
      expect(await refused.textContent()).toContain(words.refused);
      await expectAccessible(page, `bulk result ${language}`);
      await page.screenshot({ path: `${SCREENS}/views-bulk-${language}.png`, fullPage: true });

      // The board: per team; each figure opens its view.
      await page.goto(`${stack().api}/staff/board?lang=${language}`);
      expect(await page.locator('h1').textContent()).toBe(words.board);
      await expectAccessible(page, `board ${language}`);
      await keepServed(context, `board ${language}`, `/staff/board?lang=${language}`);
      await page.screenshot({ path: `${SCREENS}/views-board-${language}.png`, fullPage: true });
      const breached = seeded.filter((c) => c.team === 'trust' && c.breached);
      const cell = page.locator('[data-board="trust:breached"]');
      expect(await cell.textContent()).toBe(String(breached.length));
      await Promise.all([page.waitForURL((url) => url.searchParams.get('breached') === '1'), cell.click()]);
      expect(new Set(await rowNumbers(page))).toEqual(new Set(breached.map((c) => c.number)));
    });
  }

  it('every staff page passes the Nu Html Checker and axe-core, in both languages', async () => {
    const c = await CaseDriver.file(1);
    await c.taskLink(SUBJECTS.acceptance, TRUST.handlers[0]);
    const id = (await track(c.trackingUrl)).json.id as string;
    for (const language of ['zh-CN', 'en'] as const) {
      for (const [name, where] of [
        ['queue', `/staff/queue?lang=${language}`],
        ['case', `/staff/complaints/${id}?lang=${language}`],
        ['new complaint', `/staff/complaints?lang=${language}`],
        ['analytics', `/staff/analytics?lang=${language}`],
        ['cases empty search', `/staff/cases?q=nobody-at-all&lang=${language}`],
      ] as const) {
        await page.goto(`${stack().api}${where}`);
        await expectAccessible(page, `${name} ${language}`);
        await keepServed(context, `${name} ${language}`, where);
      }
    }
    const errors = await vnuErrors(served);
    expect(
      errors.map((e) => `${e.page} (line ${e.line}): ${e.message} — ${e.extract ?? ''}`),
      `checked: ${served.map((s) => s.name).join(', ')}`,
    ).toEqual([]);
  });
});
