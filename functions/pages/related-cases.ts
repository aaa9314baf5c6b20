import type { DeskConfig } from '../domain/config';
import { findCategory } from '../domain/desk';
import type { Language } from '../domain/language';
import { STATUS_LABELS } from '../domain/lifecycle';
import { formatTime, html, type SafeHtml } from './layout';
import type { StaffCaseView } from './staff-views';

/**
 * The case page's related cases: the complainant's other cases (number, date, category, status)
 * and other open cases about the same matter, and (supervisor and up) the form that merges this
 * case into another open case of the same complainant.
 */
export function relatedSection(view: StaffCaseView, language: Language, nonce: string, config: DeskConfig): SafeHtml {
  const zh = language === 'zh-CN';
  const related = view.related ?? { complainant: [], subject: [] };
  const link = (c: { id: string; number: string }) =>
    html`<a href="/staff/complaints/${c.id}?lang=${language}">${c.number}</a>`;
  const mine = related.complainant.map(
    (c) =>
      html`<li data-related="complainant">${link(c)} · ${formatTime(c.receivedAt, language, config.timeZone)} · ${c.category ? (findCategory(config, c.category)?.name[language] ?? c.category) : '—'} · ${STATUS_LABELS[c.status]?.[language] ?? c.status}</li>`,
  );
  const same = related.subject.map(
    (c) =>
      html`<li data-related="subject">${link(c)} · ${formatTime(c.receivedAt, language, config.timeZone)} · ${STATUS_LABELS[c.status]?.[language] ?? c.status}</li>`,
  );
  const candidates = related.complainant.filter((c) => c.status !== 'closed');
  const merge =
    view.mayMerge && candidates.length
      ? html`<form method="post" action="/staff/complaints/${view.complaint.id}/merge?lang=${language}"><input type="hidden" name="nonce" value="${nonce}">
<label for="merge-into">${zh ? '将本案并入（同一投诉人的未结投诉）' : 'Merge this case into (an open case of the same complainant)'}</label><select id="merge-into" name="into">${candidates.map((c) => html`<option value="${c.number}">${c.number}</option>`)}</select>
<button type="submit">${zh ? '并入' : 'Merge'}</button></form>`
      : html``;
  return html`<section aria-labelledby="related"><h2 id="related">${zh ? '相关投诉' : 'Related cases'}</h2>
<h3>${zh ? '该投诉人的其他投诉' : 'The complainant’s other cases'}</h3>${mine.length ? html`<ul>${mine}</ul>` : html`<p>${zh ? '没有。' : 'None.'}</p>`}
<h3>${zh ? '同一事项的其他未结投诉' : 'Other open cases on the same matter'}</h3>${same.length ? html`<ul>${same}</ul>` : html`<p>${zh ? '没有。' : 'None.'}</p>`}
${merge}</section>`;
}
