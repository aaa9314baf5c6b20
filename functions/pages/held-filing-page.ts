import type { Language } from '../domain/language';
import { html, page } from './layout';

/** A held filing's page: one status section, and on the confirming page the button that confirms. */
function heldPage(language: Language, title: string, text: string, tone: 'ok' | 'notice' | 'error', form = false) {
  const button = form
    ? html`<form method="post" action="?lang=${language}"><button type="submit">${language === 'zh-CN' ? '确认是我本人提交的' : 'Yes, I filed it'}</button></form>`
    : html``;
  return page({
    title,
    language,
    body: html`<section class="${tone}" role="status"><p>${text}</p>${button}</section>`,
  });
}

/** A link that confirms nothing (used, expired or unknown). */
export function heldGoneMessage(language: Language) {
  const zh = language === 'zh-CN';
  return {
    status: 410,
    title: zh ? '链接无效' : 'Link not valid',
    message: zh ? '此确认链接已使用、已过期或无效。' : 'This confirmation link was used, has expired, or is not valid.',
    language,
  };
}

export function heldGonePage(language: Language): string {
  const m = heldGoneMessage(language);
  return heldPage(language, m.title, m.message, 'error');
}

/** What confirming means (a GET changes nothing: mail scanners open links), and the button. */
export function heldConfirmPage(language: Language, ruledNumber: string): string {
  const zh = language === 'zh-CN';
  return heldPage(
    language,
    zh ? '请确认' : 'Please confirm',
    zh
      ? `投诉 ${ruledNumber} 的事项已有最终裁定。确认后，此次再次投诉将按恶意投诉处理，您将在一段时间内不能提交投诉。如不是您本人提交的，请关闭此页面。`
      : `The matter of complaint ${ruledNumber} has a final ruling. If you confirm, this new complaint counts as malicious and you cannot file complaints for a while. If you did not file it, close this page.`,
    'notice',
    true,
  );
}

/** Confirmed: until when the person cannot file (`until` formatted), or for good. */
export function heldConfirmedPage(language: Language, until: string | undefined): string {
  const zh = language === 'zh-CN';
  return heldPage(
    language,
    zh ? '已确认' : 'Confirmed',
    zh
      ? until
        ? `已确认。您在 ${until} 之前不能提交投诉。`
        : '已确认。您已被永久停止投诉。'
      : until
        ? `Confirmed. You cannot file complaints until ${until}.`
        : 'Confirmed. You may no longer file complaints.',
    'ok',
  );
}
