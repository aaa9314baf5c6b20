import type { ComplaintRecord } from '../domain/complaint';
import type { Language } from '../domain/language';
import { formatTime, html, type SafeHtml } from './layout';

/**
 * The tracking page's erasure section: what erasure does, then a confirmation step (a page of its
 * own state, `?confirm=erasure`) with a box to tick; once asked, the deadline and any legal hold.
 */
export function erasureSection(input: {
  complaint: ComplaintRecord;
  token: string;
  language: Language;
  timeZone: string;
  confirm: boolean;
}): SafeHtml {
  const { complaint: c, language } = input;
  const zh = language === 'zh-CN';
  const self = `?token=${encodeURIComponent(input.token)}&lang=${language}`;
  if (c.erasureRequestedAt)
    return html`<section aria-labelledby="erase"><h2 id="erase">${zh ? '删除个人信息' : 'Erasing your data'}</h2>
<p>${zh ? '您已申请删除，我们将在以下时间前删除：' : 'You asked for erasure; we will erase your data by '}<strong>${formatTime(c.erasureDueAt, language, input.timeZone)}</strong>${zh ? '。' : '.'}</p>
${c.legalHold ? html`<p class="error">${zh ? `因争议正由监管部门或法院处理，本案资料暂予保留，保全解除后再删除。原因：${c.legalHold.reason}` : `A dispute about this case is before a regulator or court, so its data are kept until that hold is released. Reason: ${c.legalHold.reason}`}</p>` : html``}</section>`;
  const what = zh
    ? '删除后，本案中您的姓名、邮箱、电话、投诉内容、证据、往来消息和邮件都将被清除，仅保留不含个人信息的统计数字和删除的事实与日期；查询链接将失效。未结案的投诉将先撤回。'
    : 'Erasure removes your name, email, phone, the complaint’s texts, your evidence, messages and mails from this case, keeping only anonymous figures and the fact and date of erasure; this tracking link stops working. An open complaint is withdrawn first.';
  if (!input.confirm)
    return html`<section aria-labelledby="erase"><h2 id="erase">${zh ? '删除个人信息' : 'Erase my data'}</h2><p>${what}</p>
<p><a href="${`${self}&confirm=erasure#erase`}">${zh ? '申请删除…' : 'Ask for erasure…'}</a></p></section>`;
  return html`<section class="error" aria-labelledby="erase"><h2 id="erase" tabindex="-1">${zh ? '确认删除您的个人信息？' : 'Erase your data?'}</h2><p>${what}</p>
<form method="post" action="${c.id}/erasure-request?lang=${language}">
<input type="hidden" name="token" value="${input.token}">
<label><input type="checkbox" name="confirm" value="yes" required> ${zh ? '我确认删除，且知道删除后不能恢复' : 'I want my data erased, and know this cannot be undone'}</label>
<button type="submit">${zh ? '确认删除' : 'Yes, erase my data'}</button>
<a href="${self}">${zh ? '不删除，返回' : 'No, keep it'}</a>
</form></section>`;
}

/** The staff case page's rights section: erasure asked and its deadline, a legal hold, and (supervisor and up) the form to place or release one. */
export function staffRightsSection(input: {
  complaint: ComplaintRecord;
  language: Language;
  timeZone: string;
  nonce: string;
  mayHold: boolean;
}): SafeHtml {
  const { complaint: c, language } = input;
  const zh = language === 'zh-CN';
  const time = (iso: string | undefined) => formatTime(iso, language, input.timeZone);
  const lines: SafeHtml[] = [];
  if (c.erasedAt)
    lines.push(
      html`<p>${zh ? '个人信息已于 ' : 'Personal data erased '}${time(c.erasedAt)}${zh ? ' 删除。' : '.'}</p>`,
    );
  else if (c.erasureRequestedAt)
    lines.push(
      html`<p>${zh ? '投诉人已申请删除个人信息，删除期限：' : 'The complainant asked for erasure; erase by '}<strong>${time(c.erasureDueAt)}</strong>${c.legalHold ? (zh ? '（法律保全中，暂缓）' : ' (deferred: legal hold)') : ''}</p>`,
    );
  if (c.legalHold)
    lines.push(
      html`<p>${zh ? '法律保全：' : 'Legal hold: '}${c.legalHold.reason} (${c.legalHold.by}, ${time(c.legalHold.at)})</p>`,
    );
  const form =
    input.mayHold && !c.erasedAt
      ? c.legalHold
        ? html`<form method="post" action="/staff/complaints/${c.id}/legal-hold?lang=${language}"><input type="hidden" name="nonce" value="${input.nonce}"><input type="hidden" name="action" value="release">
<button type="submit">${zh ? '解除法律保全' : 'Release the legal hold'}</button></form>`
        : html`<form method="post" action="/staff/complaints/${c.id}/legal-hold?lang=${language}"><input type="hidden" name="nonce" value="${input.nonce}"><input type="hidden" name="action" value="place">
<label for="hold-reason">${zh ? '法律保全原因（将告知投诉人）' : 'Reason for a legal hold (the complainant is told)'}</label><textarea id="hold-reason" name="reason" rows="2" maxlength="2000" required></textarea>
<button type="submit">${zh ? '设置法律保全' : 'Place a legal hold'}</button></form>`
      : html``;
  if (!lines.length && !form.value) return html``;
  return html`<section aria-labelledby="rights"><h2 id="rights">${zh ? '个人信息权利' : 'Data rights'}</h2>${lines}${form}</section>`;
}

/** The tracking page's correction form: a new name (at once) or a new address (confirmed from its mailbox first). */
export function correctionSection(input: { complaint: ComplaintRecord; token: string; language: Language }): SafeHtml {
  const { complaint: c, language } = input;
  const zh = language === 'zh-CN';
  if (c.erasureRequestedAt) return html``;
  return html`<section aria-labelledby="correct" class="no-print"><h2 id="correct">${zh ? '更正联系信息' : 'Correct your contact details'}</h2>
${c.pendingEmail ? html`<p>${zh ? `待确认的新邮箱：${c.pendingEmail.address}（请从该邮箱打开确认链接）` : `New address waiting for confirmation: ${c.pendingEmail.address} (open the link we mailed there)`}</p>` : html``}
<form method="post" action="${c.id}/contact?lang=${language}">
<input type="hidden" name="token" value="${input.token}">
<label for="correct-name">${zh ? '姓名' : 'Name'}</label><input type="text" id="correct-name" name="name" maxlength="100" value="${c.complainant.name}">
<label for="correct-email">${zh ? '新邮箱（需从新邮箱确认后生效）' : 'New email (used once confirmed from that mailbox)'}</label><input type="email" id="correct-email" name="email" maxlength="254">
<button type="submit">${zh ? '提交更正' : 'Correct'}</button></form></section>`;
}
