import { defang } from '../domain/defang';
import { EVENT_LABELS } from '../domain/history';
import type { Bilingual, Language } from '../domain/language';
import type { ThreadEntry, ThreadSide } from '../domain/thread';
import type { DeskConfig } from '../domain/config';
import { attachmentUpload } from './attachment-upload';
import { formatTime, html, page, type SafeHtml } from './layout';

/**
 * The conversation as one thread (domain/thread.ts), for the side reading it. Each entry says who
 * wrote to whom and when; internal notes are marked apart (dashed, "never sent") and never reach
 * a page outside the desk. Text people typed is shown whole and never made a link.
 */

const FROM: Record<string, Bilingual> = {
  desk: { 'zh-CN': '处理人员', en: 'The desk' },
  complainant: { 'zh-CN': '投诉人', en: 'Complainant' },
  respondent: { 'zh-CN': '被投诉方', en: 'Respondent' },
  system: { 'zh-CN': '系统', en: 'System' },
};
const OWN: Record<string, Bilingual> = {
  complainant: { 'zh-CN': '您', en: 'You' },
  respondent: { 'zh-CN': '您', en: 'You' },
};
const TO: Record<string, Bilingual> = {
  complainant: { 'zh-CN': '致投诉人', en: 'to the complainant' },
  respondent: { 'zh-CN': '致被投诉方', en: 'to the respondent' },
};

const THREAD_STYLE = `
.thread{list-style:none;padding:0;margin:0}.thread li{border:1px solid #dde1e7;border-radius:8px;padding:.6rem .8rem;margin:0 0 .6rem;background:#fff}
.thread .from-desk{border-left:4px solid #1f3a5f}.thread .from-complainant{border-left:4px solid #2e7d32;background:#f4fbf4}
.thread .from-respondent{border-left:4px solid #8d6e00;background:#fffaf0}.thread .kind-note{border:2px dashed #b26a00;background:#fff8e1}
.thread .kind-decision,.thread .kind-evidence{background:#f5f6f8;font-size:.93rem}.thread .meta{color:#5b6472;font-size:.85rem;margin:0 0 .25rem}
.thread .text{white-space:pre-wrap;overflow-wrap:anywhere;margin:0}.thread .badge-note{font-weight:700;color:#b26a00}`;

export interface ThreadViewOptions {
  side: ThreadSide;
  language: Language;
  timeZone: string;
  /** Where the reader fetches a message's file (their own link), if they may. */
  downloadHref?: (attachmentId: string) => string;
}

function who(entry: ThreadEntry, side: ThreadSide, language: Language): string {
  if (entry.from === side && OWN[side]) return OWN[side][language];
  const from = FROM[entry.from]?.[language] ?? entry.from;
  return side === 'staff' && entry.by ? `${from} (${entry.by})` : from;
}

export function threadHtml(entries: readonly ThreadEntry[], options: ThreadViewOptions): SafeHtml {
  const { side, language, timeZone } = options;
  const zh = language === 'zh-CN';
  if (!entries.length) return html`<p>${zh ? '还没有消息。' : 'No messages yet.'}</p>`;
  const items = entries.map((entry) => {
    const label =
      entry.kind === 'note'
        ? html`<span class="badge-note">${zh ? '内部备注 · 不会发送，仅工作人员可见' : 'Internal note · never sent, staff only'}</span>`
        : html`<strong>${(side === 'staff' ? EVENT_LABELS[entry.action]?.staff : ((EVENT_LABELS[entry.action] as { complainant?: Bilingual }).complainant ?? EVENT_LABELS[entry.action]?.staff))?.[language] ?? entry.action}</strong>`;
    const to = side === 'staff' && entry.to ? ` · ${TO[entry.to]![language]}` : '';
    const channel =
      entry.kind === 'message' && entry.from !== 'desk' && entry.channel
        ? ` · ${entry.channel === 'email' ? (zh ? '邮件' : 'by email') : zh ? '网页' : 'on the web'}`
        : '';
    const files = entry.attachments?.length
      ? html`<p class="meta">${zh ? '附件：' : 'Files: '}${entry.attachments.map((file, i) =>
          options.downloadHref
            ? html`${i ? ', ' : ''}<a href="${options.downloadHref(file.id)}" rel="noopener noreferrer">${file.name}</a>`
            : html`${i ? ', ' : ''}${file.name}`,
        )}</p>`
      : html``;
    const until = entry.awaitUntil
      ? html`<p class="meta">${zh ? '等待回复至 ' : 'Awaiting an answer until '}${formatTime(entry.awaitUntil, language, timeZone)}</p>`
      : html``;
    const text = entry.text ?? (entry.name ? entry.name : undefined);
    const merged = entry.fromCase
      ? html`<p class="meta">${zh ? `来自已并入的投诉 ${entry.fromCase.number}` : `From merged case ${entry.fromCase.number}`}</p>`
      : html``;
    return html`<li class="from-${entry.from} kind-${entry.kind}" data-kind="${entry.kind}" data-from="${entry.from}"><p class="meta"><time datetime="${entry.at}">${formatTime(entry.at, language, timeZone)}</time> · ${who(entry, side, language)}${to}${channel} — ${label}</p>${text ? html`<p class="text">${defang(text)}</p>` : html``}${files}${until}${merged}</li>`;
  });
  return html`<style>${THREAD_STYLE}</style><ol class="thread" aria-label="${zh ? '沟通记录' : 'Conversation'}">${items}</ol>`;
}

/** The respondent's page: the desk's messages to them and their answers, and a form to write back. */
export function respondentPage(input: {
  number: string;
  entries: readonly ThreadEntry[];
  language: Language;
  timeZone: string;
  token: string;
  selfPath: string;
  open: boolean;
  notice?: 'sent';
  downloadHref: (attachmentId: string) => string;
  /** The files the respondent uploaded and the desk recorded: they may attach them to an answer. */
  evidence?: readonly { id: string; name: string }[];
  /** With the desk's config and a script nonce, the answer form gets its upload control. */
  config?: DeskConfig;
  scriptNonce?: string;
}): string {
  const { language } = input;
  const zh = language === 'zh-CN';
  const other = zh ? 'en' : 'zh-CN';
  const upload = input.config
    ? attachmentUpload(
        { grant: `${input.selfPath}/attachments?lang=${language}`, poll: input.selfPath, token: input.token },
        language,
        input.config,
        input.scriptNonce,
        'respondent',
      )
    : undefined;
  const files = input.evidence?.length
    ? html`<fieldset><legend>${zh ? '附上您已上传的文件' : 'Attach files you uploaded'}</legend>${input.evidence.map((file) => html`<label><input type="checkbox" name="attachments" value="${file.id}"> ${file.name}</label>`)}</fieldset>`
    : html``;
  return page({
    title: `${zh ? '关于投诉' : 'About complaint'} ${input.number}`,
    language,
    langSwitch: `${input.selfPath}?token=${encodeURIComponent(input.token)}&lang=${other}`,
    body: html`${input.notice === 'sent' ? html`<section class="ok" role="status"><p>${zh ? '您的回复已发送。' : 'Your answer was sent.'}</p></section>` : html``}
<section aria-labelledby="thread"><h2 id="thread">${zh ? '消息' : 'Messages'}</h2>${threadHtml(input.entries, { side: 'respondent', language, timeZone: input.timeZone, downloadHref: input.downloadHref })}</section>
${
  input.open
    ? html`<section aria-labelledby="write"><h2 id="write">${zh ? '回复' : 'Answer'}</h2><form method="post" action="${input.selfPath}?lang=${language}" id="message-form" ${upload?.form ?? html``}><input type="hidden" name="token" value="${input.token}">
<label for="text">${zh ? '您的回复' : 'Your answer'}</label><textarea id="text" name="text" rows="6" maxlength="5000" required></textarea>
${files}${upload?.fields ?? html``}
<button type="submit">${zh ? '发送' : 'Send'}</button></form>${upload?.script ?? html``}${upload?.noScript ?? html``}</section>`
    : html`<section class="notice"><p>${zh ? '此投诉已结案。' : 'This complaint is closed.'}</p></section>`
}`,
  });
}
