import type { ComplaintRecord } from '../domain/complaint';
import type { DeskConfig } from '../domain/config';
import type { ComplaintEvent } from '../domain/history';
import type { Language } from '../domain/language';
import { complainantHistoryList, complaintDetails } from './complaint-view';
import { evidenceFromEvents } from '../domain/evidence-policy';
import { html, page } from './layout';
import { selfServiceSections } from './self-service';

export function trackingPage(input: { complaint: ComplaintRecord; events: ComplaintEvent[]; language: Language; config: DeskConfig; selfUrl: string; token?: string; canRequestReview?: boolean; notice?: string }): string {
  const { complaint, language } = input;
  const zh = language === 'zh-CN';
  return page({
    title: zh ? `投诉 ${complaint.number}` : `Complaint ${complaint.number}`,
    language,
    langSwitch: `${input.selfUrl}&lang=${zh ? 'en' : 'zh-CN'}`,
    body: html`<section class="notice"><p>${zh ? '这是您的私人查询链接，请勿转发。' : 'This is your private tracking link; do not share it.'}</p></section>
<section aria-labelledby="details"><h2 id="details">${zh ? '投诉内容' : 'Your complaint'}</h2>${complaintDetails(complaint, language, input.config, false)}</section>
<section aria-labelledby="history"><h2 id="history">${zh ? '处理记录' : 'History'}</h2>${complainantHistoryList(input.events, language, input.config.timeZone)}</section>
${input.token ? selfServiceSections({ complaint, evidence: evidenceFromEvents(input.events), language, timeZone: input.config.timeZone, token: input.token, canRequestReview: !!input.canRequestReview, notice: input.notice }) : html``}`,
  });
}
