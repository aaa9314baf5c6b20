import type { ComplaintRecord } from '../domain/complaint';
import type { DeskConfig } from '../domain/config';
import { findCategory } from '../domain/desk';
import type { ComplaintEvent } from '../domain/history';
import type { Bilingual, Language } from '../domain/language';
import { actionStatuses, type PlatformAction } from '../domain/platform-events';
import { formatTime, html, type SafeHtml } from './layout';

export const PLATFORM_ACTION_LABELS: Record<PlatformAction, Bilingual> = {
  'lock-subject': { 'zh-CN': '锁定被投诉的内容', en: 'Lock the subject' },
  'remove-content': { 'zh-CN': '删除内容', en: 'Remove the content' },
  'warn-user': { 'zh-CN': '警告用户', en: 'Warn the user' },
  'restore-account': { 'zh-CN': '恢复账号', en: 'Restore the account' },
  'protect-privacy': { 'zh-CN': '隐私保护措施', en: 'Privacy measures' },
};

/**
 * The actions decided on a case that the platform carries out, each with whether the platform has
 * confirmed it (POST /integrations/actions): what the reply may tell the complainant is done.
 * Nothing when none was decided.
 */
export function platformActionsSection(
  complaint: Pick<ComplaintRecord, 'category'>,
  events: readonly ComplaintEvent[],
  config: Pick<DeskConfig, 'categories'>,
  language: Language,
  timeZone: string,
): SafeHtml {
  const statuses = actionStatuses(events, !!findCategory(config as DeskConfig, complaint.category)?.lockSubject);
  if (!statuses.length) return html``;
  const zh = language === 'zh-CN';
  return html`<section aria-labelledby="platform-actions"><h2 id="platform-actions">${zh ? '平台执行情况' : 'Carried out by the platform'}</h2><ul>${statuses.map(
    (s) =>
      html`<li data-action="${s.action}" data-confirmed="${s.confirmedAt ? 'yes' : 'no'}">${PLATFORM_ACTION_LABELS[s.action][language]}: ${
        s.confirmedAt
          ? html`<strong>${zh ? '已确认' : 'confirmed'}</strong> ${formatTime(s.confirmedAt, language, timeZone)}${s.reference ? html` (${s.reference})` : html``}`
          : html`${zh ? '等待平台确认' : 'not yet confirmed'}`
      }</li>`,
  )}</ul></section>`;
}
