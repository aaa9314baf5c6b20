import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser';
import { CaseDriver, stack, SUBJECTS, track, waitForStatus } from '../support/stack-client';
import { signIn } from '../support/staff-client';

/** The thread's screenshots go outside the repository, for the report. */
const SCREENS = '/work/notes/screens';

describe('the conversation in a browser', () => {
  const browser = useBrowser();

  it('shows one thread on the case page (note marked apart, both sides, decisions) in Chinese and English, and the complainant only their side', async () => {
    const c = await CaseDriver.file(1);
    const acceptance = await c.taskLink(SUBJECTS.acceptance);
    const handler = acceptance.email.destination.to[0]!;
    await c.act(acceptance.url, { decision: 'accept', note: '资料齐全' });
    await c.taskLink(SUBJECTS.investigation, handler);
    const id = (await track(c.trackingUrl)).json.id as string;
    const staff = await signIn(handler);
    mkdirSync(SCREENS, { recursive: true });

    const context = await browser().newContext({ viewport: { width: 900, height: 900 }, locale: 'en' });
    const [name, value] = staff.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: `${stack().api}/staff` }]);
    const page = await context.newPage();
    const casePage = (lang: string) => `${stack().api}/staff/complaints/${id}?lang=${lang}`;

    // An internal note, then a message to the complainant, from the page's forms.
    await page.goto(casePage('en'));
    await page.getByLabel('Note (staff only)').fill('INTERNAL: check the login log first');
    await Promise.all([page.waitForURL(/notice=noted/), page.getByRole('button', { name: 'Add note' }).click()]);
    await page.getByLabel('Message', { exact: true }).fill('Please tell us when you last signed in normally.');
    await Promise.all([
      page.waitForURL(/notice=message-sent/),
      page.getByRole('button', { name: 'Send message' }).click(),
    ]);
    await c.email(/处理人员给您的消息|A message about your complaint/, c.complainantEmail);

    // The complainant answers on their tracking page.
    const tracking = await context.newPage();
    await tracking.goto(`${c.trackingUrl}&lang=zh-CN`);
    await tracking.getByLabel('给处理人员写消息').fill('11月19日晚上最后一次正常登录。');
    await Promise.all([
      tracking.waitForURL(/notice=message-sent/),
      tracking.getByRole('button', { name: '发送' }).click(),
    ]);
    const conversation = tracking.locator('section[aria-labelledby="conversation"]');
    expect(await conversation.textContent()).toContain('Please tell us when you last signed in normally.');
    expect(await conversation.textContent()).toContain('11月19日晚上最后一次正常登录。');
    expect(await tracking.content()).not.toContain('INTERNAL:');
    await waitForStatus(c.trackingUrl, (x) => x.messages.length >= 2);

    for (const lang of ['en', 'zh-CN'] as const) {
      await page.goto(casePage(lang));
      const thread = page.locator('section[aria-labelledby="conversation"]');
      const kinds = await thread
        .locator('ol.thread > li')
        .evaluateAll((items) =>
          items.map((li) => `${(li as HTMLElement).dataset.kind}:${(li as HTMLElement).dataset.from}`),
        );
      expect(kinds).toEqual(
        expect.arrayContaining(['decision:desk', 'note:desk', 'message:desk', 'message:complainant']),
      );
      // Oldest first: the acceptance, the note, the message, the answer.
      expect(kinds.indexOf('note:desk')).toBeLessThan(kinds.indexOf('message:desk'));
      expect(kinds.indexOf('message:desk')).toBeLessThan(kinds.indexOf('message:complainant'));
      const note = thread.locator('li.kind-note');
      expect(await note.textContent()).toContain(lang === 'en' ? 'never sent, staff only' : '不会发送，仅工作人员可见');
      // The note is drawn apart: a dashed border.
      expect(await note.evaluate((li) => getComputedStyle(li).borderStyle)).toContain('dashed');
      await thread.screenshot({ path: `${SCREENS}/talk-thread-${lang === 'en' ? 'en' : 'zh'}.png` });
    }
    await context.close();
  });
});
