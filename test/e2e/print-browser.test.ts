import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, useBrowser } from '../support/browser';
import { ownStack } from '../support/own-stack';
import { CaseDriver, stack, SUBJECTS } from '../support/stack-client';
import { signIn } from '../support/staff-client';

/**
 * Every case page prints cleanly (issue 27): in print media the header, navigation and forms are
 * gone, each section starts a page, and the texts are whole. Checked in a real browser on the
 * tracking page and the staff case page, each also saved as a PDF.
 */
// Its own stack: staff sign in by emailed link, as the shared stack's desk tests do at the same time.
ownStack();

async function printed(page: import('playwright-core').Page, file: string) {
  await page.emulateMedia({ media: 'print' });
  const shown = (selector: string) =>
    page.$$eval(selector, (els) => els.filter((el) => getComputedStyle(el).display !== 'none').length);
  const breaks = await page.$$eval('main > section', (els) => els.map((el) => getComputedStyle(el).breakBefore));
  await page.pdf({ path: path.join(SCREENSHOTS, file) });
  return {
    header: await shown('body > header'),
    nav: await shown('nav'),
    forms: await shown('form'),
    buttons: await shown('button'),
    breaks,
  };
}

describe('case pages in print', () => {
  const browser = useBrowser();
  beforeAll(() => mkdirSync(SCREENSHOTS, { recursive: true }));

  it('the tracking page and the staff case page print without header, navigation or forms, a section a page', async () => {
    const description = `A long account of what happened, kept whole in print. ${'The charge came twice. '.repeat(40)}`;
    const c = await CaseDriver.file(1, { complainant: { language: 'en' }, description });
    const acceptance = await c.taskLink(SUBJECTS.acceptance);
    const id = new URL(c.trackingUrl).pathname.split('/').pop()!;

    const page = await browser().newPage({ locale: 'en' });
    await page.goto(`${c.trackingUrl}&lang=en`);
    expect(await page.locator('form').count()).toBeGreaterThan(0);
    const tracking = await printed(page, 'print-tracking-en.pdf');
    expect(tracking).toMatchObject({ header: 0, nav: 0, forms: 0, buttons: 0 });
    expect(tracking.breaks.slice(1).every((b) => b === 'page')).toBe(true);
    expect(await page.locator('main').textContent()).toContain(description.trim().slice(-60));
    await page.close();

    const handler = await signIn(acceptance.email.destination.to[0]!);
    const staffPage = await browser().newPage({ locale: 'en' });
    await staffPage
      .context()
      .addCookies([
        { name: handler.cookie.split('=')[0]!, value: handler.cookie.split('=').slice(1).join('='), url: stack().api },
      ]);
    await staffPage.goto(`${stack().api}/staff/complaints/${id}?lang=en`);
    expect(await staffPage.locator('nav').count()).toBe(1);
    const staff = await printed(staffPage, 'print-staff-case-en.pdf');
    expect(staff).toMatchObject({ header: 0, nav: 0, forms: 0, buttons: 0 });
    expect(staff.breaks.slice(1).every((b) => b === 'page')).toBe(true);
    await staffPage.close();
  });
});
