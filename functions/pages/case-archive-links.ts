import type { Language } from '../domain/language';
import { html, type SafeHtml } from './layout';

/**
 * Download links for a case's archives: the referral bundle (staff and complainant) and, for the
 * complainant, the copy of their data. `base` is the case's path; `query` carries the tracking
 * token on the complainant's page.
 */
export function caseArchiveLinks(base: string, query: string, language: Language, complainant = false): SafeHtml {
  const zh = language === 'zh-CN';
  const link = (path: string) => `${base}/${path}?${query}lang=${language}`;
  return html`<section aria-labelledby="archives" class="no-print"><h2 id="archives">${zh ? '下载' : 'Download'}</h2><ul>
${complainant ? html`<li><a href="${link('export')}" download>${zh ? '我的个人信息副本（ZIP）' : 'A copy of my data (ZIP)'}</a></li>` : html``}
<li><a href="${link('referral-bundle')}" download>${zh ? '转交材料包（ZIP，可交消费者协会、监管部门或法院，附校验清单）' : 'Referral bundle (ZIP, for a consumer association, regulator or court, with a checksum manifest)'}</a></li>
</ul></section>`;
}
