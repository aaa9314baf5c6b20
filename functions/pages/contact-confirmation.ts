import type { Language } from '../domain/language';
import { html, page } from './layout';

/**
 * The page a new address's confirmation link opens: a button to confirm (opening the link changes
 * nothing, so a mail scanner that follows it confirms nothing), and what came of pressing it.
 */
export function confirmContactPage(input: { id: string; code: string; language: Language }): string {
  const zh = input.language === 'zh-CN';
  return page({
    title: zh ? '确认新邮箱' : 'Confirm your new email address',
    language: input.language,
    body: html`<section><p>${zh ? '确认后，您投诉的通知将发往本邮箱。' : 'Once confirmed, we write to this address about your complaint.'}</p>
<form method="post" action="contact-confirmation?lang=${input.language}"><input type="hidden" name="code" value="${input.code}">
<button type="submit">${zh ? '确认使用此邮箱' : 'Yes, use this address'}</button></form></section>`,
  });
}

export function contactConfirmedPage(result: { confirmed: boolean; number?: string; language: Language }): string {
  const zh = result.language === 'zh-CN';
  return page({
    title: result.confirmed
      ? zh
        ? '新邮箱已确认'
        : 'New address confirmed'
      : zh
        ? '链接无效或已过期'
        : 'This link is not valid',
    language: result.language,
    body: result.confirmed
      ? html`<section class="ok" role="status"><p>${zh ? `投诉 ${result.number} 今后的通知将发往本邮箱。` : `We will write to this address about complaint ${result.number} from now on.`}</p></section>`
      : html`<section class="error"><p>${zh ? '该确认链接无效、已使用或已过期（24 小时）。请在查询页面重新申请更改邮箱。' : 'This confirmation link is not valid, was used, or has expired (24 hours). Ask again from your tracking page.'}</p></section>`,
  });
}
