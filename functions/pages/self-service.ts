import type { ComplaintRecord } from '../domain/complaint';
import type { EvidenceItem } from '../domain/evidence-policy';
import type { ComplaintEvent } from '../domain/history';
import type { Language } from '../domain/language';
import { isOpen } from '../domain/lifecycle';
import { formatSize } from './evidence-list';
import { formatTime, html, type SafeHtml } from './layout';

/** Notices a self-service action leaves on the tracking page after its redirect (no-JS forms). */
export const NOTICES = {
  'reminder-sent': {
    tone: 'ok',
    text: {
      'zh-CN': '催办已发送给当前处理人员。',
      en: 'Your reminder was sent to the person handling your complaint.',
    },
  },
  'reminder-too-soon': {
    tone: 'error',
    text: { 'zh-CN': '每天只能催办一次，请稍后再试。', en: 'You can send one reminder a day; please try again later.' },
  },
  'reminder-nobody': {
    tone: 'notice',
    text: {
      'zh-CN': '您的投诉尚未分派给处理人员，或正在等待您本人操作，暂时无需催办。',
      en: 'Nobody is handling your complaint yet, or it is waiting for you: there is nobody to remind.',
    },
  },
  'reminder-closed': {
    tone: 'notice',
    text: { 'zh-CN': '该投诉已结案，无法催办。', en: 'This complaint is closed; it cannot be chased.' },
  },
  withdrawn: {
    tone: 'ok',
    text: {
      'zh-CN': '您已撤回投诉，我们已停止处理。',
      en: 'You withdrew your complaint; we have stopped handling it.',
    },
  },
  'withdraw-closed': {
    tone: 'notice',
    text: {
      'zh-CN': '该投诉已结束，无需撤回。',
      en: 'This complaint has already ended; there is nothing to withdraw.',
    },
  },
  // Erasure (issue 27).
  corrected: {
    tone: 'ok',
    text: { 'zh-CN': '您的联系信息已更正。', en: 'Your contact details are corrected.' },
  },
  'correction-confirm-mailed': {
    tone: 'ok',
    text: {
      'zh-CN': '确认邮件已发到新邮箱；请在 24 小时内从新邮箱打开链接确认，确认前我们仍使用原邮箱。',
      en: 'We mailed a confirmation to the new address: open its link within 24 hours. Until then we keep writing to your old address.',
    },
  },
  'correction-invalid': {
    tone: 'error',
    text: {
      'zh-CN': '请填写有效的新姓名或新邮箱地址。',
      en: 'Give a valid new name or a valid new email address.',
    },
  },
  'correction-erasing': {
    tone: 'notice',
    text: {
      'zh-CN': '您已申请删除个人信息，不能再更正。',
      en: 'You asked for your data to be erased; it can no longer be corrected.',
    },
  },
  'correction-too-many-addresses': {
    tone: 'error',
    text: {
      'zh-CN': '本案的联系邮箱更换次数已达上限，请联系受理人员更正。',
      en: 'The contact address of this case was changed as often as it can be; ask the desk to correct it.',
    },
  },
  'erasure-requested': {
    tone: 'ok',
    text: {
      'zh-CN': '已收到您的删除申请。我们将在期限内删除本案中您的个人信息，并已发邮件确认。',
      en: 'Your request to erase your data is in. We will erase your personal data on this case by the deadline, and emailed you to confirm.',
    },
  },
  'erasure-already': {
    tone: 'notice',
    text: { 'zh-CN': '您已申请删除，无需重复申请。', en: 'You have already asked for erasure.' },
  },
  'erasure-unconfirmed': {
    tone: 'error',
    text: {
      'zh-CN': '请勾选确认后再提交删除申请。',
      en: 'Tick the confirmation to ask for erasure.',
    },
  },
  'erasure-busy': {
    tone: 'error',
    text: {
      'zh-CN': '您的投诉正在变化，尚未撤回，因此未能申请删除。请稍后再试。',
      en: 'Your complaint is changing right now, so it was not withdrawn and erasure was not asked for; please try again in a minute.',
    },
  },
  'withdraw-busy': {
    tone: 'error',
    text: {
      'zh-CN': '您的投诉刚刚有了处理决定，正在记录中，尚未撤回。请稍后再试。',
      en: 'A decision on your complaint is being recorded right now, so it was not withdrawn; please try again in a minute.',
    },
  },
  'review-requested': {
    tone: 'ok',
    text: {
      'zh-CN': '已收到您的复核申请，将由未参与处理的主管作出最终结论。',
      en: 'Your request for a review is in; a supervisor who did not handle your case will rule, finally.',
    },
  },
  'review-refused': {
    tone: 'error',
    text: {
      'zh-CN': '无法申请复核：每个投诉只能在答复后的期限内申请一次。',
      en: 'A review cannot be asked for: once per complaint, within the time allowed after the reply.',
    },
  },
  'review-reason-missing': {
    tone: 'error',
    text: { 'zh-CN': '请写明申请复核的理由。', en: 'Please say why you ask for a review.' },
  },
  'addition-confirmed': {
    tone: 'ok',
    text: { 'zh-CN': '谢谢，已确认该内容是您提交的。', en: 'Thank you: confirmed as yours.' },
  },
  'addition-unknown': {
    tone: 'error',
    text: { 'zh-CN': '没有这条待确认的内容。', en: 'There is no such addition waiting for you.' },
  },
  'message-sent': {
    tone: 'ok',
    text: { 'zh-CN': '您的消息已发送给处理人员。', en: 'Your message was sent to the desk.' },
  },
  'message-invalid': {
    tone: 'error',
    text: { 'zh-CN': '请填写消息内容（最多 5000 个字符）。', en: 'Write a message (at most 5,000 characters).' },
  },
  'message-closed': {
    tone: 'notice',
    text: { 'zh-CN': '此投诉已结案，不能再发消息。', en: 'This complaint is closed: messages can no longer be sent.' },
  },
  'tracking-replaced': {
    tone: 'ok',
    text: {
      'zh-CN': '新的查询链接已发送到您的邮箱，此链接已失效。',
      en: 'A new tracking link is on its way to your mailbox; this link no longer works.',
    },
  },
} as const;
export type NoticeId = keyof typeof NOTICES;

export function isNoticeId(value: unknown): value is NoticeId {
  return typeof value === 'string' && value in NOTICES;
}

/** The complainant's own uploads: names, sizes and when, never a link (the bytes stay with staff). */
export function ownEvidenceList(items: readonly EvidenceItem[], language: Language, timeZone: string): SafeHtml {
  const zh = language === 'zh-CN';
  if (!items.length)
    return html`<p>${zh ? '尚无已记录的证据。发送的文件核验后显示在这里（请刷新页面）。' : 'No evidence recorded yet. Files you send are listed here once checked (reload the page).'}</p>`;
  return html`<ul class="evidence">${items.map(
    (item) =>
      html`<li>${item.name} <span class="badge">${formatSize(item.size)}</span> <time datetime="${item.addedAt}">${formatTime(item.addedAt, language, timeZone)}</time></li>`,
  )}</ul>`;
}

/** The notice of the last self-service action, shown first on the page it redirected to. */
export function noticeSection(id: string | undefined, language: Language): SafeHtml {
  const notice = isNoticeId(id) ? NOTICES[id] : undefined;
  return notice
    ? html`<section class="${notice.tone}" role="status" aria-live="polite"><p>${notice.text[language]}</p></section>`
    : html``;
}

/**
 * What the complainant can do from the tracking page without JavaScript: see their evidence,
 * and send a reminder (催办) with a plain POST form that redirects back here (303).
 */
export function selfServiceSections(input: {
  complaint: ComplaintRecord;
  evidence: readonly EvidenceItem[];
  additions: readonly ComplaintEvent[];
  language: Language;
  timeZone: string;
  token: string;
  canRequestReview: boolean;
  confirmWithdrawal: boolean;
}): SafeHtml {
  const { complaint, language } = input;
  const zh = language === 'zh-CN';
  return html`${additionsSection(input)}
<section aria-labelledby="evidence"><h2 id="evidence">${zh ? '您上传的证据' : 'Your evidence'}</h2>${ownEvidenceList(input.evidence, language, input.timeZone)}${
    isOpen(complaint.status)
      ? html`<p><a href="${complaint.id}/evidence?token=${encodeURIComponent(input.token)}&lang=${language}">${zh ? '上传证据' : 'Add evidence'}</a></p>`
      : html``
  }</section>
${
  isOpen(complaint.status)
    ? html`<section aria-labelledby="remind"><h2 id="remind">${zh ? '催办' : 'Send a reminder'}</h2>
<p>${zh ? '处理慢了？可以催办，提醒当前处理人员（每天一次）。' : 'Taking too long? Remind the person handling it (once a day).'}</p>
<form method="post" action="${complaint.id}/reminders?lang=${language}">
<input type="hidden" name="token" value="${input.token}">
<button type="submit">${zh ? '催办' : 'Send a reminder'}</button>
</form></section>`
    : html``
}
${caseActions(input)}
<section aria-labelledby="replace-link"><h2 id="replace-link">${zh ? '更换查询链接' : 'Replace this link'}</h2>
<p>${zh ? '链接被转发或被他人看到？可以换一个新链接：新链接只发到您的邮箱，此链接立即失效。' : 'Was this link forwarded or seen by someone? Get a new one: it goes only to your mailbox, and this link stops working at once.'}</p>
<form method="post" action="${complaint.id}/tracking-link?lang=${language}">
<input type="hidden" name="token" value="${input.token}">
<button type="submit">${zh ? '更换查询链接' : 'Replace the link'}</button>
</form></section>`;
}

/**
 * Withdrawing (any time the case is open, after a confirmation step: the first button only asks
 * whether they are sure) and asking for a review (once, after the reply, within the window):
 * plain POST forms that redirect back here with a notice.
 */
function caseActions(input: {
  complaint: ComplaintRecord;
  language: Language;
  token: string;
  canRequestReview: boolean;
  confirmWithdrawal: boolean;
}): SafeHtml {
  const { complaint, language } = input;
  const zh = language === 'zh-CN';
  const self = `?token=${encodeURIComponent(input.token)}&lang=${language}`;
  // Whether a review may be asked for is domain/review.ts's to say; the caller asks it.
  return html`${
    input.canRequestReview
      ? html`<section aria-labelledby="review"><h2 id="review">${zh ? '申请复核' : 'Ask for a review'}</h2>
<p>${zh ? '对处理结果有异议，可申请一次复核，由未参与处理的主管作出最终结论。' : 'If you disagree with the outcome you may ask once for a review by a supervisor who did not handle it; the ruling is final.'}</p>
<form method="post" action="${complaint.id}/review-request?lang=${language}">
<input type="hidden" name="token" value="${input.token}">
<label for="review-reason">${zh ? '理由' : 'Why'}</label>
<textarea id="review-reason" name="reason" rows="4" maxlength="2000" required></textarea>
<button type="submit">${zh ? '申请复核' : 'Ask for a review'}</button>
</form></section>`
      : html``
  }
${
  !isOpen(complaint.status)
    ? html``
    : input.confirmWithdrawal
      ? html`<section class="error" aria-labelledby="withdraw"><h2 id="withdraw" tabindex="-1">${zh ? '确认撤回投诉？' : 'Withdraw the complaint?'}</h2>
<p>${zh ? '撤回后我们将立即停止处理，且不能恢复；如仍有问题，需要重新投诉。' : 'We stop handling it at once and this cannot be undone; if the problem remains you would have to file again.'}</p>
<form method="post" action="${complaint.id}/withdrawal?lang=${language}">
<input type="hidden" name="token" value="${input.token}">
<label for="withdraw-reason">${zh ? '撤回原因（可选）' : 'Why (optional)'}</label>
<textarea id="withdraw-reason" name="reason" rows="2" maxlength="2000"></textarea>
<button type="submit">${zh ? '确认撤回' : 'Yes, withdraw it'}</button>
<a href="${self}">${zh ? '不撤回，返回' : 'No, keep it'}</a>
</form></section>`
      : html`<section aria-labelledby="withdraw"><h2 id="withdraw">${zh ? '撤回投诉' : 'Withdraw the complaint'}</h2>
<p>${zh ? '问题已解决或不再需要处理？可以撤回投诉。' : 'Solved, or no longer needed? You can withdraw the complaint.'}</p>
<p><a href="${`${self}&confirm=withdrawal#withdraw`}">${zh ? '撤回投诉…' : 'Withdraw…'}</a></p></section>`
}`;
}

/** Filings joined to this case as repeats, each to confirm as the complainant's own (or to leave, if not). */
function additionsSection(input: {
  complaint: ComplaintRecord;
  additions: readonly ComplaintEvent[];
  language: Language;
  timeZone: string;
  token: string;
}): SafeHtml {
  const { complaint, language } = input;
  const zh = language === 'zh-CN';
  if (!input.additions.length) return html``;
  return html`<section class="notice" aria-labelledby="additions"><h2 id="additions">${zh ? '请确认：这是您再次提交的吗？' : 'Was this filed by you?'}</h2>
<p>${zh ? '以下内容以您的邮箱再次提交，已并入本投诉。如是您本人提交，请确认；如不是，无需操作，处理人员会把它当作未经核实的内容。' : 'This was filed again with your address and added to this complaint. If it was you, confirm it; if not, do nothing: the handler treats it as unverified.'}</p>
${input.additions.map(
  (
    addition,
  ) => html`<blockquote><time datetime="${addition.at}">${formatTime(addition.at, language, input.timeZone)}</time><br>${String(addition.details?.description ?? '')}</blockquote>
<form method="post" action="${complaint.id}/additions/confirmation?lang=${language}"><input type="hidden" name="token" value="${input.token}"><input type="hidden" name="at" value="${addition.at}"><button type="submit">${zh ? '是我提交的' : 'Yes, I filed this'}</button></form>`,
)}</section>`;
}
