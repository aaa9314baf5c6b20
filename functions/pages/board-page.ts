import { BOARD_METRICS, type BoardMetric, type BoardTeam } from '../domain/case-views';
import type { DeskConfig } from '../domain/config';
import type { Bilingual, Language } from '../domain/language';
import type { StaffMember } from '../domain/staff';
import { dueText, teamLabel } from './case-views-page';
import { BOARD_REFRESH_SCRIPT } from './browser/scripts.generated';
import { html, inlineScript, page } from './layout';
import { staffNav } from './staff-pages';

/** The at-risk board (GET /staff/board): per team, what is breached, late, due soon or waiting; both languages. */

const METRIC_LABELS: Record<BoardMetric, Bilingual> = {
  breached: { 'zh-CN': '已违约', en: 'Breached' },
  late: { 'zh-CN': '已超时', en: 'Late' },
  dueSoon: { 'zh-CN': '4 小时内到期', en: 'Due within 4 h' },
  waiting: { 'zh-CN': '等待投诉人或被投诉方', en: 'Waiting on complainant or respondent' },
};

export function boardPageHtml(input: {
  member: StaffMember;
  teams: readonly BoardTeam[];
  language: Language;
  nonce: string;
  scriptNonce: string;
  desk: DeskConfig;
  refreshedAt: string;
}): string {
  const { language, desk } = input;
  const zh = language === 'zh-CN';
  const metrics = Object.keys(BOARD_METRICS) as BoardMetric[];
  const link = (query: string) => `/staff/cases?${query}&lang=${language}`;
  const rows = input.teams.map(
    (t) =>
      html`<tr><th scope="row">${teamLabel(desk, t.team, language)}</th>${metrics.map(
        (m) =>
          html`<td><a href="${link(t.figures[m].query)}" data-board="${t.team}:${m}" aria-label="${`${teamLabel(desk, t.team, language)} · ${METRIC_LABELS[m][language]}: ${t.figures[m].count}${t.figures[m].more ? '+' : ''}`}">${t.figures[m].count}${t.figures[m].more ? '+' : ''}</a></td>`,
      )}</tr>`,
  );
  const oldest = input.teams
    .filter((t) => t.oldestBreached.length)
    .map(
      (t) =>
        html`<h3>${teamLabel(desk, t.team, language)}</h3><ol>${t.oldestBreached.map(
          (row) =>
            html`<li><a href="/staff/complaints/${row.id}?lang=${language}">${row.number}</a> · ${row.summary} · <span class="late">${dueText(row, language, desk.timeZone)}</span></li>`,
        )}</ol>`,
    );
  return page({
    title: zh ? '风险看板' : 'At-risk board',
    language,
    wide: true,
    langSwitch: `/staff/board?lang=${language === 'zh-CN' ? 'en' : 'zh-CN'}`,
    body: html`${staffNav(input.member, language, input.nonce)}
<div id="board" data-refreshed="${zh ? '已刷新：' : 'Refreshed at'}" data-failed="${zh ? '刷新失败，显示的是上次的数字。' : 'Could not refresh; the figures are from before.'}">
<p id="board-status" role="status">${zh ? '每分钟自动刷新。' : 'Refreshes itself every minute.'}</p>
<div class="scroll" role="region" aria-labelledby="board-caption" tabindex="0"><table class="dense"><caption id="board-caption" style="text-align:left;font-weight:600;padding:.25rem 0">${zh ? '各团队的风险案件（每个数字链接到对应视图）' : 'Cases at risk per team (each number opens its view)'}</caption>
<thead><tr><th scope="col">${zh ? '团队' : 'Team'}</th>${metrics.map((m) => html`<th scope="col">${METRIC_LABELS[m][language]}</th>`)}</tr></thead>
<tbody>${rows}</tbody></table></div>
<section aria-labelledby="oldest-title"><h2 id="oldest-title" style="margin-top:0">${zh ? '违约最久的案件' : 'Breached longest'}</h2>${oldest.length ? oldest : html`<p>${zh ? '没有违约案件。' : 'Nothing is breached.'}</p>`}</section>
</div>
${inlineScript(input.scriptNonce, BOARD_REFRESH_SCRIPT)}`,
  });
}
