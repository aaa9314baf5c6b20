import type { Language } from '../domain/language';
import { html, page } from './layout';

export type ReportUnsubscribeState = 'ask' | 'done' | 'unknown';

const TEXT = {
  ask: {
    title: { 'zh-CN': '退订周报', en: 'Unsubscribe from the weekly report' },
    text: {
      'zh-CN': '确认后，{address} 将不再收到投诉处理周报。',
      en: '{address} will no longer receive the weekly complaints report once you confirm.',
    },
    button: { 'zh-CN': '退订', en: 'Unsubscribe' },
  },
  done: {
    title: { 'zh-CN': '已退订', en: 'Unsubscribed' },
    text: {
      'zh-CN': '{address} 将不再收到投诉处理周报。如需恢复，请联系本工作台的管理员。',
      en: '{address} will no longer receive the weekly complaints report. To receive it again, ask the desk’s operator.',
    },
  },
  unknown: {
    title: { 'zh-CN': '链接无效', en: 'Link not valid' },
    text: {
      'zh-CN': '此退订链接不完整或无效，请使用周报邮件中的链接。',
      en: 'This unsubscribe link is incomplete or not valid; use the link in the weekly report.',
    },
  },
} as const;

/** The weekly report's unsubscribe page: what the link does and its button, done, or not ours. */
export function reportUnsubscribePage(
  state: ReportUnsubscribeState,
  language: Language,
  address = '',
): {
  title: string;
  message: string;
  body: string;
} {
  const t = TEXT[state];
  const message = t.text[language].replace('{address}', address);
  const form =
    state === 'ask'
      ? html`<form method="post" action="?lang=${language}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${TEXT.ask.button[language]}</button></form>`
      : html``;
  const tone = state === 'unknown' ? 'error' : state === 'done' ? 'ok' : 'notice';
  return {
    title: t.title[language],
    message,
    body: page({
      title: t.title[language],
      language,
      body: html`<section class="${tone}" role="status"><p>${message}</p>${form}</section>`,
    }),
  };
}
