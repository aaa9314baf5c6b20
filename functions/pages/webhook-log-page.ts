import type { Language } from '../domain/language';
import type { StaffMember } from '../domain/staff';
import type { WebhookTry } from '../store/webhook-log';
import { formatTime, html, page } from './layout';
import { staffNav } from './staff-pages';

export interface WebhookLogPage {
  member: StaffMember;
  language: Language;
  nonce: string;
  timeZone: string;
  from: string;
  to: string;
  older: string;
  webhooks: { id: string; url: string; events: string[] }[];
  tries: WebhookTry[];
}

/** /staff/webhooks: every try of every webhook delivery, newest first, an hour range at a time. */
export function webhookLogPageHtml(input: WebhookLogPage): string {
  const { language, nonce } = input;
  const zh = language === 'zh-CN';
  const outcome = (t: WebhookTry) =>
    t.ok
      ? zh
        ? '已送达'
        : 'Delivered'
      : t.gaveUp
        ? zh
          ? '失败，已放弃（死信队列）'
          : 'Failed, given up (dead-letter queue)'
        : zh
          ? '失败，将重试'
          : 'Failed, will be retried';
  const rows = input.tries.map(
    (t) =>
      html`<tr><td>${formatTime(t.at, language, input.timeZone)}</td><td>${t.webhook}</td><td>${t.type}</td><td><code>${t.eventId}</code></td><td>${t.complaintId ? html`<a href="/staff/complaints/${t.complaintId}?lang=${language}">${t.complaintId}</a>` : html``}</td><td>${t.attempt ?? ''}</td><td>${outcome(t)}</td><td>${t.status ?? t.error ?? ''}</td><td>${t.ms}</td></tr>`,
  );
  const endpoints = input.webhooks.map(
    (w) => html`<li><b>${w.id}</b> · <code>${w.url}</code> · ${w.events.join(', ')}</li>`,
  );
  return page({
    title: zh ? '推送记录（Webhook）' : 'Webhook deliveries',
    language,
    wide: true,
    langSwitch: `/staff/webhooks?lang=${zh ? 'en' : 'zh-CN'}`,
    body: html`${staffNav(input.member, language, nonce)}
<section><h2>${zh ? '接收端' : 'Endpoints'}</h2>${endpoints.length ? html`<ul>${endpoints}</ul>` : html`<p>${zh ? '未配置 Webhook。' : 'No webhooks are configured.'}</p>`}</section>
<section><h2>${zh ? `每次推送尝试（UTC ${input.to}:00 至 ${input.from}:59，最新在前）` : `Every try (UTC ${input.to}:00 to ${input.from}:59, newest first)`}</h2>
${
  rows.length
    ? html`<table><thead><tr><th>${zh ? '时间' : 'Time'}</th><th>${zh ? '接收端' : 'Webhook'}</th><th>${zh ? '事件' : 'Event'}</th><th>${zh ? '事件 ID' : 'Event id'}</th><th>${zh ? '案件' : 'Case'}</th><th>${zh ? '第几次' : 'Try'}</th><th>${zh ? '结果' : 'Outcome'}</th><th>${zh ? 'HTTP 状态/错误' : 'HTTP status / error'}</th><th>ms</th></tr></thead><tbody>${rows}</tbody></table>`
    : html`<p>${zh ? '此时段没有推送。' : 'No deliveries in this range.'}</p>`
}
<p><a href="/staff/webhooks?hour=${input.older}&amp;lang=${language}">${zh ? '更早的记录' : 'Older tries'}</a> · <a href="/staff/webhooks?lang=${language}">${zh ? '最新' : 'Newest'}</a></p></section>`,
  });
}
