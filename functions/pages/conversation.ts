import type { StaffCaseView } from './staff-views';
import type { DeskConfig } from '../domain/config';
import type { Language } from '../domain/language';
import { MAX_WAIT_DAYS } from '../domain/messages';
import { threadOf, type ThreadEntry } from '../domain/thread';
import { attachmentUpload } from './attachment-upload';
import { html, type SafeHtml } from './layout';
import { threadHtml } from './thread-view';

/** The case's whole thread for staff, with the entries of every case merged into it (marked with its number). */
export function staffThread(view: StaffCaseView, language: Language = 'en'): ThreadEntry[] {
  return [
    ...threadOf(view.events, 'staff', language),
    ...(view.merged ?? []).flatMap((m) =>
      threadOf(m.events, 'staff', language).map((entry) => ({ ...entry, fromCase: { id: m.id, number: m.number } })),
    ),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/**
 * The staff case page's conversation: the whole thread (both parties, the desk, internal notes
 * marked apart, evidence and decisions) and the form to write to a party, which may ask for an
 * answer and so pause the step's clock.
 */
export function conversationSection(
  view: StaffCaseView,
  language: Language,
  nonce: string,
  config: DeskConfig,
  scriptNonce?: string,
): SafeHtml {
  const zh = language === 'zh-CN';
  const { complaint } = view;
  const open = complaint.status !== 'closed';
  const action = `/staff/complaints/${complaint.id}/messages?lang=${language}`;
  const entries = staffThread(view, language);
  const upload = attachmentUpload(
    {
      grant: `/staff/complaints/${complaint.id}/attachments?lang=${language}`,
      poll: `/staff/complaints/${complaint.id}`,
      nonce,
    },
    language,
    config,
    scriptNonce,
  );
  const form = open
    ? html`<form method="post" action="${action}" id="message-form" ${upload.form}><input type="hidden" name="nonce" value="${nonce}">
<label for="message-to">${zh ? '发给' : 'To'}</label><select id="message-to" name="to"><option value="complainant">${zh ? '投诉人' : 'Complainant'}</option>${complaint.respondentEmail ? html`<option value="respondent">${zh ? '被投诉方' : 'Respondent'}</option>` : html``}</select>
${view.cannedReplies?.length ? html`<label for="canned">${zh ? '常用回复' : 'Canned reply'}</label><select id="canned" name="canned"><option value="">—</option>${view.cannedReplies.map((c) => html`<option value="${c.id}">${c.title}</option>`)}</select>` : html``}
<label for="message-text">${zh ? '消息' : 'Message'}</label><textarea id="message-text" name="text" rows="4" maxlength="5000" required></textarea>
${view.evidence.length ? html`<fieldset><legend>${zh ? '附上本案文件（收件人通过自己的链接下载）' : 'Attach files of this case (the recipient downloads them through their own link)'}</legend>${view.evidence.map((file) => html`<label><input type="checkbox" name="attachments" value="${file.id}"> ${file.name}</label>`)}</fieldset>` : html``}
${upload.fields}
<label><input type="checkbox" name="awaitAnswer" value="1"> ${zh ? '等待回复（暂停本环节计时）' : 'Await an answer (pauses this step’s clock)'}</label>
<label for="answer-days">${zh ? `回复期限（天，1–${MAX_WAIT_DAYS}）` : `Answer within (days, 1–${MAX_WAIT_DAYS})`}</label><input type="number" id="answer-days" name="answerWithinDays" min="1" max="${MAX_WAIT_DAYS}">
<button type="submit">${zh ? '发送消息' : 'Send message'}</button></form>${upload.script}${upload.noScript}`
    : html``;
  // The reply step's form (decision-form) starts from a canned reply too: chosen with the reply left empty, it fills it.
  const forReply =
    view.task?.step === 'reply' && view.mayAct && view.cannedReplies?.length
      ? html`<section aria-labelledby="canned-reply"><h2 id="canned-reply">${zh ? '用常用回复作答' : 'Reply from a canned reply'}</h2><label for="canned-for-reply">${zh ? '常用回复（答复留空时按投诉人的语言填入）' : 'Canned reply (fills an empty reply, in the complainant’s language)'}</label><select id="canned-for-reply" name="canned" form="decision-form"><option value="">—</option>${view.cannedReplies.map((c) => html`<option value="${c.id}">${c.title}</option>`)}</select></section>`
      : html``;
  return html`${forReply}<section aria-labelledby="conversation"><h2 id="conversation">${zh ? '沟通记录' : 'Conversation'}</h2>${threadHtml(entries, { side: 'staff', language, timeZone: config.timeZone })}${form}</section>`;
}
