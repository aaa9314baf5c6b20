import { correctionSection, erasureSection } from './rights-sections';
import { caseArchiveLinks } from './case-archive-links';
import type { ComplaintRecord } from '../domain/complaint';
import type { DeskConfig } from '../domain/config';
import { unconfirmedAdditions, type ComplaintEvent } from '../domain/history';
import type { Language } from '../domain/language';
import { OUTCOME_LABELS, STATUS_LABELS, STEP_LABELS } from '../domain/lifecycle';
import { caseStanding, type CaseStanding } from '../domain/standing';
import { complainantHistoryList, complaintDetails } from './complaint-view';
import { complainantEvidence } from '../domain/evidence-policy';
import { formatTime, html, page, type SafeHtml } from './layout';
import { provisionalDeadlineNote } from './labels';
import { noticeSection, selfServiceSections } from './self-service';
import { complainantMessages, type ThreadEntry } from '../domain/thread';
import { threadHtml } from './thread-view';
import { isOpen } from '../domain/lifecycle';

/** The complainant's side of the conversation, and (with the token) a form to write to the desk. */
function complainantConversation(
  entries: ThreadEntry[],
  language: Language,
  timeZone: string,
  complaint: ComplaintRecord,
  token?: string,
): SafeHtml {
  const zh = language === 'zh-CN';
  const form =
    token && isOpen(complaint.status)
      ? html`<form method="post" action="/complaints/${complaint.id}/messages?lang=${language}"><input type="hidden" name="token" value="${token}">
<label for="message-text">${zh ? '给处理人员写消息' : 'Write to the desk'}</label><textarea id="message-text" name="text" rows="4" maxlength="5000" required></textarea>
<button type="submit">${zh ? '发送' : 'Send'}</button></form>`
      : html``;
  return html`<section aria-labelledby="conversation"><h2 id="conversation">${zh ? '消息' : 'Messages'}</h2>${threadHtml(entries, { side: 'complainant', language, timeZone, ...(token ? { downloadHref: (id: string) => `/complaints/${complaint.id}/files/${id}?token=${encodeURIComponent(token)}` } : {}) })}${form}</section>`;
}

export function trackingPage(input: {
  complaint: ComplaintRecord;
  events: ComplaintEvent[];
  /** Cases of the complainant's merged into this one: their messages show in its conversation. */
  merged?: { id: string; number: string; events: ComplaintEvent[] }[];
  language: Language;
  config: DeskConfig;
  selfUrl: string;
  token?: string;
  canRequestReview?: boolean;
  mergedInto?: { number: string; trackingUrl: string };
  notice?: string;
  confirmWithdrawal?: boolean;
  confirmErasure?: boolean;
}): string {
  const { complaint, language } = input;
  const zh = language === 'zh-CN';
  return page({
    title: zh ? `投诉 ${complaint.number}` : `Complaint ${complaint.number}`,
    language,
    langSwitch: `${input.selfUrl}&lang=${zh ? 'en' : 'zh-CN'}`,
    body: html`${noticeSection(input.notice, language)}
<section class="notice"><p>${zh ? '这是您的私人查询链接，请勿转发。' : 'This is your private tracking link; do not share it.'}</p></section>
${input.mergedInto ? html`<section class="ok" role="status" id="merged-into"><p>${zh ? `此投诉已并入您的投诉 ${input.mergedInto.number}，请在那里继续查看：` : `This complaint was merged into your complaint ${input.mergedInto.number}; follow it there: `}<a href="${input.mergedInto.trackingUrl}">${input.mergedInto.number}</a></p></section>` : html``}
${standingSection(complaint, caseStanding(complaint, input.events), language, input.config.timeZone)}
<section aria-labelledby="details"><h2 id="details">${zh ? '投诉内容' : 'Your complaint'}</h2>${complaintDetails(complaint, language, input.config, false)}</section>
${complainantConversation(complainantMessages(input.events, input.merged ?? [], language), language, input.config.timeZone, complaint, input.token)}
<section aria-labelledby="history"><h2 id="history">${zh ? '处理记录' : 'History'}</h2>${complainantHistoryList(input.events, language, input.config.timeZone)}</section>
${input.token ? correctionSection({ complaint, token: input.token, language }) : html``}
${input.token ? erasureSection({ complaint, token: input.token, language, timeZone: input.config.timeZone, confirm: !!input.confirmErasure }) : html``}
${input.token ? caseArchiveLinks(`${complaint.id}`, `token=${encodeURIComponent(input.token)}&`, language, true) : html``}
${input.token ? selfServiceSections({ complaint, evidence: complainantEvidence(input.events, input.merged), additions: unconfirmedAdditions(input.events), language, timeZone: input.config.timeZone, token: input.token, canRequestReview: !!input.canRequestReview, confirmWithdrawal: !!input.confirmWithdrawal }) : html``}`,
  });
}

/** Where the case stands, in sentences: whose turn, by when, whether it is late; once ended, how. */
function standingSection(
  complaint: ComplaintRecord,
  standing: CaseStanding,
  language: Language,
  timeZone: string,
): SafeHtml {
  const zh = language === 'zh-CN';
  // A deadline counted into a year without holiday data says so: it may still move.
  const note = complaint.deadlineProvisional?.length
    ? provisionalDeadlineNote(complaint.deadlineProvisional, language)
    : undefined;
  const time = (iso: string) =>
    `${formatTime(iso, language, timeZone)}${note && iso === standing.dueBy ? (zh ? `（${note}）` : ` (${note})`) : ''}`;
  const step = standing.step ? STEP_LABELS[standing.step][language] : '';
  const lines: SafeHtml[] = [];
  if (standing.open && standing.step) {
    if (standing.waitingFor === 'you') {
      lines.push(
        html`<p>${zh ? `现在需要您操作：${step}` : `It is your turn: ${step.toLowerCase()}`}${standing.dueBy ? html`${zh ? '，请在 ' : ', by '}<strong>${time(standing.dueBy)}</strong>${zh ? ' 前完成。' : '.'}` : html`${zh ? '。' : '.'}`}</p>`,
      );
    } else if (standing.late) {
      const expected = standing.late.expectedBy ?? standing.dueBy;
      lines.push(
        html`<p class="error">${zh ? `${step}已超过原定期限，已上报主管督办。` : `The ${step.toLowerCase()} is past its deadline and has been escalated.`}${expected ? html`${zh ? '预计在 ' : ' We now expect to act by '}<strong>${time(expected)}</strong>${zh ? ' 前处理。' : '.'}` : html``}</p>`,
      );
    } else {
      lines.push(
        html`<p>${zh ? `当前环节：${step}` : `Now: ${step.toLowerCase()}`}${standing.waitingFor === 'respondent' ? (zh ? '（等待被投诉方说明）' : ' (waiting for the other party’s statement)') : html``}${standing.dueBy ? html`${zh ? '，预计在 ' : ', expected by '}<strong>${time(standing.dueBy)}</strong>${zh ? ' 前完成。' : '.'}` : html`${zh ? '。' : '.'}`}</p>`,
      );
    }
  }
  if (standing.outcome) {
    lines.push(
      html`<p>${zh ? '处理结果：' : 'Outcome: '}<strong>${OUTCOME_LABELS[standing.outcome][language]}</strong>${standing.closedAt ? html`${zh ? `（${time(standing.closedAt)} 结案）` : ` (closed ${time(standing.closedAt)})`}` : html``}</p>`,
    );
  }
  if (standing.withdrawalReason)
    lines.push(html`<p>${zh ? '您撤回的原因：' : 'Your reason for withdrawing: '}${standing.withdrawalReason}</p>`);
  const reply = standing.reply
    ? html`<h3>${standing.reviewRuledAt ? (zh ? '答复（经复核，最终）' : 'Our reply (after review, final)') : zh ? '我们的答复' : 'Our reply'}</h3>
<dl><dt>${zh ? '处理结果' : 'Result'}</dt><dd>${standing.reply.reply}</dd>${standing.reply.grounds ? html`<dt>${zh ? '依据' : 'Grounds'}</dt><dd>${standing.reply.grounds}</dd>` : html``}${standing.reply.followUp ? html`<dt>${zh ? '后续措施' : 'Follow-up'}</dt><dd>${standing.reply.followUp}</dd>` : html``}</dl>`
    : html``;
  if (standing.rating)
    lines.push(html`<p>${zh ? `您的评价：${standing.rating} / 5` : `Your rating: ${standing.rating} / 5`}</p>`);
  return html`<section aria-labelledby="standing"><h2 id="standing">${zh ? '处理进度' : 'Where it stands'}</h2>
<p>${zh ? '状态：' : 'Status: '}<strong>${STATUS_LABELS[complaint.status][language]}</strong></p>
${lines}${reply}</section>`;
}
