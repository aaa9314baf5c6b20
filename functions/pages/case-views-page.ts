import {
  VIEW_SORTS,
  VIEW_STATUSES,
  viewQueryOf,
  viewTeams,
  type CasePage,
  type CaseRow,
  type CaseViewFilters,
  type ViewSort,
  type ViewStatus,
} from '../domain/case-views';
import { CHANNELS } from '../domain/complaint';
import type { DeskConfig } from '../domain/config';
import { findCategory } from '../domain/desk';
import type { Bilingual, Language } from '../domain/language';
import { OUTCOME_LABELS, STATUS_LABELS, STEP_LABELS, type Outcome } from '../domain/lifecycle';
import { teamMembers, type StaffMember } from '../domain/staff';
import { CHANNEL_LABELS } from './labels';
import { formatTime, html, page, type SafeHtml } from './layout';
import { staffNav } from './staff-pages';

/** The case views page (GET /staff/cases), its CSV, and the bulk actions' answer. Both languages. */

const other = (language: Language): Language => (language === 'zh-CN' ? 'en' : 'zh-CN');

export const VIEW_STATUS_LABELS: Record<ViewStatus, Bilingual> = {
  open: { 'zh-CN': '未结', en: 'Open' },
  waiting: { 'zh-CN': '等待投诉人或被投诉方', en: 'Waiting on complainant or respondent' },
  'waiting-complainant': { 'zh-CN': '等待投诉人', en: 'Waiting on the complainant' },
  'waiting-respondent': { 'zh-CN': '等待被投诉方', en: 'Waiting on the respondent' },
  closed: { 'zh-CN': '已结案', en: 'Closed' },
  withdrawn: { 'zh-CN': '已撤回', en: 'Withdrawn' },
  merged: { 'zh-CN': '已合并', en: 'Merged' },
  rejected: { 'zh-CN': '不予受理', en: 'Rejected' },
};

const SORT_LABELS: Record<ViewSort, Bilingual> = {
  due: { 'zh-CN': '期限', en: 'Due' },
  priority: { 'zh-CN': '优先级', en: 'Priority' },
  received: { 'zh-CN': '收到时间', en: 'Received' },
  updated: { 'zh-CN': '最后变更', en: 'Last change' },
};

/** A team as people name it: its display name where the config gives one, else its id. */
export function teamLabel(desk: DeskConfig, team: string | undefined, language: Language): string {
  if (!team) return '—';
  const named = desk.teams[team] as { name?: Bilingual } | undefined;
  return named?.name?.[language] ?? team;
}

/** Where a case stands against its deadline, in words. */
export function dueText(row: CaseRow, language: Language, timeZone: string): string {
  const zh = language === 'zh-CN';
  const at = (iso: string) => formatTime(iso, language, timeZone);
  switch (row.due.state) {
    case 'none':
      return '—';
    case 'late':
      return zh ? `已超时（自 ${at(row.due.since)}）` : `Late since ${at(row.due.since)}`;
    case 'due-soon':
      return zh ? `即将到期：${at(row.due.at)}` : `Due soon: ${at(row.due.at)}`;
    default:
      return zh ? `按期：${at(row.due.at)}` : `On time: ${at(row.due.at)}`;
  }
}

/** The step or status a row shows. */
export function stepText(row: CaseRow, language: Language): string {
  if (row.status === 'closed')
    return `${STATUS_LABELS.closed[language]}${row.outcome && row.outcome in OUTCOME_LABELS ? ` · ${OUTCOME_LABELS[row.outcome as Outcome][language]}` : ''}`;
  const step = row.step ? STEP_LABELS[row.step][language] : STATUS_LABELS[row.status][language];
  return row.level ? `${step} · ${language === 'zh-CN' ? `已升级 ${row.level} 级` : `escalated ×${row.level}`}` : step;
}

export interface ViewLink {
  id: string;
  name: string;
  href: string;
  count: number;
  more: boolean;
  scope: 'default' | 'personal' | 'team';
  team?: string;
}

function viewList(views: readonly ViewLink[], language: Language, desk: DeskConfig, current: string): SafeHtml {
  const zh = language === 'zh-CN';
  const scopeLabel = (v: ViewLink) =>
    v.scope === 'default'
      ? ''
      : v.scope === 'personal'
        ? zh
          ? '（个人）'
          : ' (mine)'
        : ` (${teamLabel(desk, v.team, language)})`;
  return html`<nav aria-labelledby="views-title" class="notice" style="background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:.5rem 1rem;margin:0 0 1rem"><h2 id="views-title" style="margin:.25rem 0">${zh ? '视图' : 'Views'}</h2><ul style="margin:.25rem 0;padding-left:1.2rem;columns:16rem">${views.map(
    (v) =>
      html`<li><a href="${v.href}"${v.href === current ? html` aria-current="page"` : html``} data-view="${v.id}">${v.name}</a>${scopeLabel(v)} <span class="badge" data-count="${v.id}">${v.count}${v.more ? '+' : ''}</span></li>`,
  )}</ul></nav>`;
}

function filterForm(
  filters: CaseViewFilters,
  language: Language,
  desk: DeskConfig,
  teams: readonly string[],
): SafeHtml {
  const zh = language === 'zh-CN';
  const selected = (yes: boolean) => (yes ? html` selected` : html``);
  const cell = (content: SafeHtml) => html`<div style="flex:1 1 11rem;min-width:9rem">${content}</div>`;
  return html`<section aria-labelledby="filters-title"><h2 id="filters-title" style="margin-top:0">${zh ? '筛选与排序' : 'Filter and sort'}</h2><form method="get" action="/staff/cases">
<input type="hidden" name="lang" value="${language}">
<label for="f-q">${zh ? '搜索（编号或其一部分、邮箱、姓名、投诉对象）' : 'Search (number or part of it, email, name, subject)'}</label><input type="text" id="f-q" name="q" value="${filters.q ?? ''}">
<div style="display:flex;flex-wrap:wrap;gap:0 1rem">
${cell(html`<label for="f-status">${zh ? '状态' : 'Status'}</label><select id="f-status" name="status"><option value="">${zh ? '全部' : 'Any'}</option>${VIEW_STATUSES.map((s) => html`<option value="${s}"${selected(filters.status === s)}>${VIEW_STATUS_LABELS[s][language]}</option>`)}</select>`)}
${cell(html`<label for="f-category">${zh ? '类别' : 'Category'}</label><select id="f-category" name="category"><option value="">${zh ? '全部' : 'Any'}</option>${desk.categories.map((c) => html`<option value="${c.id}"${selected(filters.category === c.id)}>${c.name[language]}</option>`)}</select>`)}
${cell(html`<label for="f-team">${zh ? '团队' : 'Team'}</label><select id="f-team" name="team"><option value="">${zh ? '全部' : 'Any'}</option>${teams.map((name) => html`<option value="${name}"${selected(filters.team === name)}>${teamLabel(desk, name, language)}</option>`)}</select>`)}
${cell(html`<label for="f-holder">${zh ? '处理人（邮箱）' : 'Holder (email)'}</label><input type="text" id="f-holder" name="holder" value="${filters.holder ?? ''}">`)}
${cell(html`<label for="f-channel">${zh ? '渠道' : 'Channel'}</label><select id="f-channel" name="channel"><option value="">${zh ? '全部' : 'Any'}</option>${CHANNELS.map((c) => html`<option value="${c}"${selected(filters.channel === c)}>${CHANNEL_LABELS[c][language]}</option>`)}</select>`)}
${cell(html`<label for="f-priority">${zh ? '优先级' : 'Priority'}</label><select id="f-priority" name="priority"><option value="">${zh ? '全部' : 'Any'}</option>${[1, 2, 3, 4].map((p) => html`<option value="${p}"${selected(filters.priority === p)}>${p}</option>`)}</select>`)}
${cell(html`<label for="f-due">${zh ? '多少小时内到期' : 'Due within (hours)'}</label><input type="text" inputmode="numeric" id="f-due" name="due" value="${filters.dueWithinHours ?? ''}">`)}
${cell(html`<label for="f-sort">${zh ? '排序' : 'Sort by'}</label><select id="f-sort" name="sort">${(Object.keys(VIEW_SORTS) as ViewSort[]).map((s) => html`<option value="${s}"${selected(filters.sort === s)}>${SORT_LABELS[s][language]}</option>`)}</select>`)}
${cell(html`<label for="f-dir">${zh ? '顺序' : 'Order'}</label><select id="f-dir" name="dir"><option value="asc"${selected(filters.asc)}>${zh ? '升序' : 'Ascending'}</option><option value="desc"${selected(!filters.asc)}>${zh ? '降序' : 'Descending'}</option></select>`)}
</div>
<fieldset style="margin-top:.75rem"><legend>${zh ? '期限' : 'Deadline'}</legend>
<label><input type="checkbox" name="late" value="1"${filters.late ? html` checked` : html``}> ${zh ? '只看已超时' : 'Late only'}</label>
<label><input type="checkbox" name="breached" value="1"${filters.breached ? html` checked` : html``}> ${zh ? '只看已违约（升级用尽）' : 'Breached only (out of escalations)'}</label></fieldset>
${filters.escalatedFrom ? html`<input type="hidden" name="escalatedFrom" value="${filters.escalatedFrom}">` : html``}
<button type="submit">${zh ? '应用' : 'Apply'}</button></form></section>`;
}

function saveViewForm(
  filters: CaseViewFilters,
  member: StaffMember,
  language: Language,
  nonce: string,
  desk: DeskConfig,
): SafeHtml {
  const zh = language === 'zh-CN';
  const shareable = Object.entries(member.teams)
    .filter(([, place]) => place !== 'handler')
    .map(([team]) => team);
  return html`<details><summary>${zh ? '保存当前视图' : 'Save this view'}</summary><section><form method="post" action="/staff/views?lang=${language}">
<input type="hidden" name="nonce" value="${nonce}"><input type="hidden" name="query" value="${viewQueryOf(filters).toString()}">
<label for="v-name">${zh ? '名称' : 'Name'}</label><input type="text" id="v-name" name="name" required maxlength="60">
<label for="v-scope">${zh ? '给谁看' : 'Who sees it'}</label><select id="v-scope" name="scope"><option value="personal">${zh ? '只有我' : 'Only me'}</option>${shareable.map((team) => html`<option value="team:${team}">${zh ? `团队：${teamLabel(desk, team, language)}` : `Team: ${teamLabel(desk, team, language)}`}</option>`)}</select>
<button type="submit">${zh ? '保存' : 'Save'}</button></form></section></details>`;
}

function sortLink(filters: CaseViewFilters, sort: ViewSort, language: Language, label: string): SafeHtml {
  const query = viewQueryOf({ ...filters, sort, asc: filters.sort === sort ? !filters.asc : VIEW_SORTS[sort].asc });
  query.set('lang', language);
  const current = filters.sort === sort ? (filters.asc ? 'ascending' : 'descending') : undefined;
  return html`<th scope="col"${current ? html` aria-sort="${current}"` : html``}><a href="/staff/cases?${query.toString()}">${label}${current ? (filters.asc ? ' ▲' : ' ▼') : ''}</a></th>`;
}

function table(page: CasePage, filters: CaseViewFilters, language: Language, desk: DeskConfig): SafeHtml {
  const zh = language === 'zh-CN';
  const th = (label: string) => html`<th scope="col">${label}</th>`;
  const rows = page.items.map((row) => {
    const category = findCategory(desk, row.category)?.name[language] ?? row.category;
    const tone = row.due.state === 'late' ? 'late' : row.due.state === 'due-soon' ? 'soon' : '';
    return html`<tr data-number="${row.number}" data-due-state="${row.due.state}">
<td><input type="checkbox" name="ids" value="${row.id}" id="pick-${row.id}" aria-label="${zh ? `选择 ${row.number}` : `Select ${row.number}`}"></td>
<td><a href="/staff/complaints/${row.id}?lang=${language}">${row.number}</a>${row.flagged ? html` <span class="badge">⚑</span>` : html``}</td>
<td class="summary">${row.summary}</td>
<td>${row.complainant.name}<br><small>${row.complainant.email}</small></td>
<td>${category}</td>
<td>${row.priority ?? '—'}</td>
<td>${stepText(row, language)}</td>
<td>${row.holder ?? '—'}</td>
<td class="${tone}">${dueText(row, language, desk.timeZone)}</td>
<td>${formatTime(row.updatedAt, language, desk.timeZone)}</td></tr>`;
  });
  return html`<div class="scroll" role="region" aria-labelledby="cases-caption" tabindex="0"><table class="dense"><caption id="cases-caption" style="text-align:left;font-weight:600;padding:.25rem 0">${zh ? `案件（本页 ${page.items.length} 件）` : `Cases (${page.items.length} on this page)`}</caption><thead><tr>
${th(zh ? '选择' : 'Pick')}${th(zh ? '编号' : 'Number')}${th(zh ? '摘要' : 'Summary')}${th(zh ? '投诉人' : 'Complainant')}${th(zh ? '类别' : 'Category')}${sortLink(filters, 'priority', language, zh ? '优先级' : 'Priority')}${th(zh ? '环节' : 'Step')}${th(zh ? '处理人' : 'Holder')}${sortLink(filters, 'due', language, zh ? '期限' : 'Due')}${sortLink(filters, 'updated', language, zh ? '最后变更' : 'Last change')}
</tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** The bulk actions under the table; each action is one use case per row (http/staff-bulk.ts). */
function bulkControls(
  member: StaffMember,
  language: Language,
  desk: DeskConfig,
  teams: readonly string[],
  replies: readonly { id: string; title: string }[],
): SafeHtml {
  const zh = language === 'zh-CN';
  const reassigns = member.role !== 'handler';
  return html`<fieldset style="margin-top:1rem"><legend>${zh ? '批量操作所选案件' : 'For the selected cases'}</legend>
<label for="b-action">${zh ? '操作' : 'Action'}</label><select id="b-action" name="action">${reassigns ? html`<option value="reassign">${zh ? '改派给本团队成员' : 'Reassign within the team'}</option>` : html``}<option value="note">${zh ? '添加内部备注' : 'Add an internal note'}</option>${replies.length ? html`<option value="reply">${zh ? '向投诉人发送常用回复' : 'Send a canned reply to the complainant'}</option>` : html``}</select>
${replies.length ? html`<label for="b-reply">${zh ? '常用回复' : 'Canned reply'}</label><select id="b-reply" name="reply"><option value="">—</option>${replies.map((r) => html`<option value="${r.id}">${r.title}</option>`)}</select>` : html``}
${reassigns ? html`<label for="b-to">${zh ? '改派给' : 'Reassign to'}</label><select id="b-to" name="to"><option value="">—</option>${teams.map((team) => html`<optgroup label="${teamLabel(desk, team, language)}">${teamMembers(desk, team).map((m) => html`<option value="${m}">${m}</option>`)}</optgroup>`)}</select>` : html``}
<label for="b-text">${zh ? '理由或备注（最多 2000 个字符）' : 'Reason or note (at most 2000 characters)'}</label><textarea id="b-text" name="text" rows="2" maxlength="2000"></textarea>
<button type="submit">${zh ? '执行' : 'Apply to selected'}</button></fieldset>`;
}

interface CasesPageInput {
  member: StaffMember;
  page: CasePage;
  filters: CaseViewFilters;
  language: Language;
  nonce: string;
  desk: DeskConfig;
  teams: readonly string[];
  views: readonly ViewLink[];
  /** The canned replies the reader may send in bulk. */
  replies?: readonly { id: string; title: string }[];
  nextHref?: string;
  csvHref: string;
  currentHref: string;
  notice?: string;
}

function casesPageHtml(input: CasesPageInput): string {
  const { language, desk, filters } = input;
  const zh = language === 'zh-CN';
  const empty = input.page.search
    ? input.page.search === 'too-short'
      ? zh
        ? '请至少输入 2 个字符（编号的一部分至少 3 个）。'
        : 'Type at least 2 characters (3 for part of a number).'
      : zh
        ? '没有匹配的案件。'
        : 'No case matches.'
    : input.nextHref
      ? zh
        ? '这一段没有匹配的案件，请看下一页。'
        : 'No match in this stretch; see the next page.'
      : zh
        ? '没有符合条件的案件。'
        : 'No case matches these filters.';
  const query = viewQueryOf(filters);
  query.set('lang', other(language));
  return page({
    title: zh ? '案件' : 'Cases',
    language,
    wide: true,
    langSwitch: `/staff/cases?${query.toString()}`,
    body: html`${staffNav(input.member, language, input.nonce)}
${input.notice ? html`<section class="ok" role="status"><p>${input.notice}</p></section>` : html``}
${viewList(input.views, language, desk, input.currentHref)}
${filterForm(filters, language, desk, input.teams)}
${saveViewForm(filters, input.member, language, input.nonce, desk)}
${
  input.page.items.length
    ? html`<form method="post" action="/staff/cases/bulk?lang=${language}"><input type="hidden" name="nonce" value="${input.nonce}">
${table(input.page, filters, language, desk)}
${bulkControls(input.member, language, desk, input.teams, input.replies ?? [])}</form>`
    : html`<section role="status"><p>${empty}</p></section>`
}
<p>${input.nextHref ? html`<a href="${input.nextHref}" rel="next">${zh ? '下一页' : 'Next page'}</a> · ` : html``}<a href="${input.csvHref}">${zh ? '下载本视图（CSV）' : 'Download this view (CSV)'}</a></p>`,
  });
}

/** A CSV cell: quoted, and a leading = + - @ made inert so a spreadsheet never runs it as a formula. */
function csvCell(value: unknown): string {
  let text = String(value ?? '');
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function casesCsv(page: CasePage, language: Language, desk: DeskConfig): string {
  const zh = language === 'zh-CN';
  const header = zh
    ? [
        '编号',
        '摘要',
        '投诉人',
        '邮箱',
        '类别',
        '团队',
        '渠道',
        '优先级',
        '状态',
        '环节',
        '处理人',
        '期限状态',
        '期限',
        '收到时间',
        '最后变更',
      ]
    : [
        'Number',
        'Summary',
        'Complainant',
        'Email',
        'Category',
        'Team',
        'Channel',
        'Priority',
        'Status',
        'Step',
        'Holder',
        'Due state',
        'Due',
        'Received',
        'Last change',
      ];
  const lines = page.items.map((row) =>
    [
      row.number,
      row.summary,
      row.complainant.name,
      row.complainant.email,
      findCategory(desk, row.category)?.name[language] ?? row.category,
      teamLabel(desk, row.team, language),
      row.channel,
      row.priority ?? '',
      row.status,
      stepText(row, language),
      row.holder ?? '',
      row.due.state,
      row.due.state === 'late' ? row.due.since : row.due.state === 'none' ? '' : row.due.at,
      row.receivedAt,
      row.updatedAt,
    ]
      .map(csvCell)
      .join(','),
  );
  // A byte-order mark, so a spreadsheet reads the Chinese as UTF-8.
  return `\uFEFF${[header.map(csvCell).join(','), ...lines].join('\r\n')}\r\n`;
}

export interface BulkOutcome {
  id: string;
  number?: string;
  ok: boolean;
  message?: string;
}

export function bulkResultPage(input: {
  member: StaffMember;
  language: Language;
  nonce: string;
  action: string;
  outcomes: readonly BulkOutcome[];
  backHref: string;
}): string {
  const { language } = input;
  const zh = language === 'zh-CN';
  const failed = input.outcomes.filter((o) => !o.ok);
  const done = input.outcomes.length - failed.length;
  return page({
    title: zh ? '批量操作结果' : 'Bulk action result',
    language,
    body: html`${staffNav(input.member, language, input.nonce)}
<section class="${failed.length ? 'error' : 'ok'}" role="status"><p>${zh ? `完成 ${done} 件，失败 ${failed.length} 件。` : `${done} done, ${failed.length} failed.`}</p></section>
<section><h2 style="margin-top:0">${zh ? '逐件结果' : 'Row by row'}</h2><ul>${input.outcomes.map(
      (o) =>
        html`<li data-outcome="${o.ok ? 'ok' : 'failed'}"><a href="/staff/complaints/${o.id}?lang=${language}">${o.number ?? o.id}</a>: ${o.ok ? (zh ? '已完成' : 'done') : html`<strong>${zh ? '失败' : 'failed'}</strong> — ${o.message ?? ''}`}</li>`,
    )}</ul></section>
<p><a href="${input.backHref}">${zh ? '返回案件列表' : 'Back to the cases'}</a></p>`,
  });
}

const CASES_NOTICES: Record<string, Bilingual> = {
  saved: { 'zh-CN': '视图已保存。', en: 'The view is saved.' },
};

/**
 * The cases page of a reader's view: its saved views, this page, the next and the CSV as links
 * in the reader's language, and what a `?notice=` says.
 */
export function casesPageFor(
  input: Pick<CasesPageInput, 'member' | 'page' | 'filters' | 'language' | 'nonce' | 'desk'> & {
    views: readonly (Omit<ViewLink, 'href'> & { query: string })[];
    replies: readonly { id: string; title: string }[];
    notice?: string;
  },
): string {
  const { member, page, filters, language, desk } = input;
  const query = viewQueryOf(filters);
  const withLang = (params: URLSearchParams, extra: Record<string, string> = {}) => {
    const out = new URLSearchParams(params);
    for (const [k, v] of Object.entries(extra)) out.set(k, v);
    out.set('lang', language);
    return out.toString();
  };
  return casesPageHtml({
    member,
    page,
    filters,
    language,
    nonce: input.nonce,
    desk,
    teams: viewTeams(member, desk),
    views: input.views.map((v) => ({ ...v, href: `/staff/cases?${withLang(new URLSearchParams(v.query))}` })),
    replies: input.replies.map((r) => ({ id: r.id, title: r.title })),
    currentHref: `/staff/cases?${withLang(query)}`,
    nextHref: page.nextCursor ? `/staff/cases?${withLang(query, { cursor: page.nextCursor })}` : undefined,
    csvHref: `/staff/cases.csv?${withLang(query, filters.cursor ? { cursor: filters.cursor } : {})}`,
    notice:
      input.notice && Object.hasOwn(CASES_NOTICES, input.notice) ? CASES_NOTICES[input.notice]![language] : undefined,
  });
}
