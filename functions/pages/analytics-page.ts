import { ANALYTICS_STAGES, TIME_MEASURES, type AnalyticsView, type HotspotEntry } from '../domain/analytics';
import { COUNTED_FIGURES, type CountedFigure, type CountedFigureId, countedIn } from '../domain/analytics-counts';
import type { DeskConfig } from '../domain/config';
import { findCategory, teamName } from '../domain/desk';
import type { Bilingual, Language } from '../domain/language';
import {
  OUTCOME_LABELS,
  REJECTION_LABELS,
  STAFF_STATUS_LABELS,
  STEP_LABELS,
  type ComplaintStatus,
  type Outcome,
  type RejectionReason,
} from '../domain/lifecycle';
import type { StaffMember } from '../domain/staff';
import { barChart, dataTable, lineChart, type Datum } from './charts';
import { ANALYTICS_LABELS as L, CHANNEL_LABELS } from './labels';
import { html, page, type SafeHtml } from './layout';
import { staffNav } from './staff-pages';

/** The analytics page (charts with their numbers as tables) and the same figures as CSV. */

const other = (language: Language): Language => (language === 'zh-CN' ? 'en' : 'zh-CN');

/** A duration as a person reads it: `3 h 20 min`, `2 d 4 h`, `45 s`. */
export function formatDuration(seconds: number | null, language: Language): string {
  if (seconds === null) return '—';
  const zh = language === 'zh-CN';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const unit = (n: number, zhUnit: string, enUnit: string) => (n ? `${n}${zh ? ` ${zhUnit}` : ` ${enUnit}`}` : '');
  if (d) return [unit(d, '天', 'd'), unit(h, '小时', 'h')].filter(Boolean).join(' ');
  if (h) return [unit(h, '小时', 'h'), unit(m, '分', 'min')].filter(Boolean).join(' ');
  if (m) return unit(m, '分', 'min');
  return `${seconds}${zh ? ' 秒' : ' s'}`;
}

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 1000) / 10}%`);

/** What a figure's key means to a person: a category, channel, status, outcome or reason. */
export function keyLabel(
  kind: 'category' | 'channel' | 'status' | 'outcome' | 'reason' | 'team' | 'priority',
  key: string,
  language: Language,
  config: DeskConfig,
): string {
  switch (kind) {
    case 'category':
      return findCategory(config, key)?.name[language] ?? key;
    case 'channel':
      return (CHANNEL_LABELS as Record<string, Bilingual>)[key]?.[language] ?? key;
    case 'status':
      return STAFF_STATUS_LABELS[key as ComplaintStatus]?.[language] ?? key;
    case 'outcome':
      return OUTCOME_LABELS[key as Outcome]?.[language] ?? key;
    case 'reason':
      return REJECTION_LABELS[key as RejectionReason]?.[language] ?? key;
    case 'priority':
      return `${language === 'zh-CN' ? '优先级' : 'Priority'} ${key}`;
    case 'team':
      return teamName(config, key, language);
    default:
      return key;
  }
}

const data = (record: Record<string, number>, label: (key: string) => string): Datum[] =>
  Object.entries(record)
    .sort(([, a], [, b]) => b - a)
    .map(([key, value]) => ({ label: label(key), value }));

function hotspotLabel(h: HotspotEntry, language: Language, config: DeskConfig) {
  return h.kind === 'category' ? keyLabel('category', h.key, language, config) : h.label;
}

/**
 * A section's counted figures as label and value: one row for a plain count, one per key for a
 * figure counted by key (`Rejected: <reason>`).
 */
function countedRows(
  ids: readonly CountedFigureId[],
  view: AnalyticsView,
  language: Language,
  config: DeskConfig,
): { id: CountedFigureId; key: string; label: string; value: number }[] {
  return ids.flatMap((id) => {
    const figure: CountedFigure = COUNTED_FIGURES[id];
    const name = figure.label[language];
    const { total, byKey } = view.counts[id];
    if (!figure.keys) return [{ id, key: '', label: name, value: total }];
    return Object.entries(byKey ?? {}).map(([key, value]) => ({
      id,
      key,
      label: keyLabel(figure.keys!, key, language, config),
      value,
    }));
  });
}

export function analyticsPageHtml(input: {
  view: AnalyticsView;
  member: StaffMember;
  language: Language;
  nonce: string;
  config: DeskConfig;
  query: string;
  notice?: string;
}): string {
  const { view, language, config } = input;
  const t = (key: keyof typeof L) => L[key][language];
  const _zh = language === 'zh-CN';
  const label = (kind: Parameters<typeof keyLabel>[0]) => (key: string) => keyLabel(kind, key, language, config);
  const r = view.received;
  const sl = view.serviceLevels;
  const stageRow = (
    stage: (typeof ANALYTICS_STAGES)[number],
    f: AnalyticsView['serviceLevels']['byStage'][typeof stage],
  ) => [STEP_LABELS[stage][language], f.decided, percent(f.onTimeShare), f.escalations, f.breaches];
  const handlersRows = view.handlers.map((h) => [
    h.email,
    h.teams.map((team) => teamName(config, team, language)).join(', '),
    h.decided,
    percent(h.onTimeShare),
    formatDuration(h.times.accept.medianSeconds, language),
    formatDuration(h.times.reply.medianSeconds, language),
    h.satisfaction.mean === null ? '—' : `${h.satisfaction.mean} (${h.satisfaction.responses})`,
    h.reviewsOverturned,
    h.openLoad,
  ]);
  const hotRows = (list: HotspotEntry[]) =>
    list.map((h) => [
      hotspotLabel(h, language, config),
      h.kind === 'subject' ? t('subject') : t('category'),
      h.count,
      h.previous,
      h.change > 0 ? `+${h.change}` : String(h.change),
    ]);
  const s = view.satisfaction;
  // The survey's reach first, then the answers, then the counts that follow them (reviews).
  const [reach, ...after] = countedIn('satisfaction');
  const sent = countedRows(reach ? [reach] : [], view, language, config);
  const reviews = countedRows(after, view, language, config);
  const dlRow = (row: { label: string; value: number }) => html`<dt>${row.label}</dt><dd>${row.value}</dd>`;
  const range = view.range;
  const selected = (g: string) => (range.groupBy === g ? html` selected` : html``);
  const body = html`${staffNav(input.member, language, input.nonce)}
${input.notice ? html`<section class="ok" role="status"><p>${input.notice}</p></section>` : html``}
<section aria-labelledby="range"><h2 id="range">${t('range')}</h2><form method="get" action="/staff/analytics"><input type="hidden" name="lang" value="${language}">
<label for="a-from">${t('from')}</label><input type="text" inputmode="numeric" id="a-from" name="from" value="${range.from}" pattern="\\d{4}-\\d{2}-\\d{2}">
<label for="a-to">${t('to')}</label><input type="text" inputmode="numeric" id="a-to" name="to" value="${range.to}" pattern="\\d{4}-\\d{2}-\\d{2}">
<label for="a-group">${t('groupBy')}</label><select id="a-group" name="groupBy"><option value="day"${selected('day')}>${t('day')}</option><option value="week"${selected('week')}>${t('week')}</option><option value="month"${selected('month')}>${t('month')}</option></select>
<button type="submit">${t('apply')}</button></form>
<p>${range.from} – ${range.to} (${range.timeZone}) · <a href="/staff/analytics.csv?${input.query}">${t('csv')}</a></p>
${input.member.role === 'admin' || Object.values(input.member.teams).includes('manager') ? html`<form method="post" action="/staff/analytics/weekly-report?lang=${language}"><input type="hidden" name="nonce" value="${input.nonce}"><button type="submit">${t('sendReport')}</button></form>` : html``}</section>

<section aria-labelledby="received"><h2 id="received">${COUNTED_FIGURES.received.label[language]}: ${r.total}</h2>
${lineChart({ id: 'series', title: t('overTime'), data: r.series.map((p) => ({ label: p.period, value: p.total })), language, head: [t('period'), t('count')] })}
${barChart({ id: 'by-category', title: t('byCategory'), data: data(r.byCategory, label('category')), language, head: [t('category'), t('count')] })}
${barChart({ id: 'by-channel', title: t('byChannel'), data: data(r.byChannel, label('channel')), language })}
${barChart({ id: 'by-team', title: t('byTeam'), data: data(r.byTeam, label('team')), language })}
${barChart({ id: 'by-priority', title: t('byPriority'), data: data(r.byPriority, label('priority')), language })}
${barChart({ id: 'by-status', title: t('byStatus'), data: data(r.byStatus, label('status')), language })}</section>

<section aria-labelledby="levels"><h2 id="levels">${t('serviceLevels')}</h2>
${barChart({ id: 'on-time', title: `${t('onTimeShare')} (%)`, data: ANALYTICS_STAGES.map((stage) => ({ label: STEP_LABELS[stage][language], value: Math.round((sl.byStage[stage].onTimeShare ?? 0) * 1000) / 10 })), language, head: [t('stage'), t('onTimeShare')] })}
${dataTable({ caption: `${t('serviceLevels')} · ${t('escalations')} ${sl.escalations} · ${t('breaches')} ${sl.breaches}`, head: [t('stage'), t('decided'), t('onTimeShare'), t('escalations'), t('breaches')], rows: ANALYTICS_STAGES.map((stage) => stageRow(stage, sl.byStage[stage])), language })}
${dataTable({ caption: t('times'), head: [t('measure'), t('count'), t('median'), t('p90')], rows: TIME_MEASURES.map((m) => [t(m), sl.times[m].count, formatDuration(sl.times[m].medianSeconds, language), formatDuration(sl.times[m].p90Seconds, language)]), language })}
<p class="note">${t('approximateTimes').replace('{percent}', `${Math.round(sl.times.accept.approximate.relativeError * 1000) / 10}%`)}</p>
${Object.entries(sl.byTeam).map(([team, stages]) => dataTable({ caption: `${t('byTeam')}${language === 'zh-CN' ? '：' : ': '}${teamName(config, team, language)}`, head: [t('stage'), t('decided'), t('onTimeShare'), t('escalations'), t('breaches')], rows: ANALYTICS_STAGES.map((stage) => stageRow(stage, stages[stage])), language }))}</section>

<section aria-labelledby="outcomes"><h2 id="outcomes">${t('outcomes')}</h2>
${barChart({
  id: 'outcomes',
  title: t('outcomes'),
  data: countedRows(countedIn('outcomes'), view, language, config).map((row) => ({
    label: row.key ? `${COUNTED_FIGURES[row.id].label[language]}: ${row.label}` : row.label,
    value: row.value,
  })),
  language,
})}</section>

<section aria-labelledby="satisfaction"><h2 id="satisfaction">${t('satisfaction')}</h2>
<dl>${sent.map(dlRow)}<dt>${t('responses')}</dt><dd>${s.responses}</dd><dt>${t('responseRate')}</dt><dd>${percent(s.responseRate)}</dd><dt>${t('mean')}</dt><dd>${s.mean ?? '—'}</dd>${reviews.map(dlRow)}</dl>
${barChart({ id: 'ratings', title: t('distribution'), data: (['5', '4', '3', '2', '1'] as const).map((n) => ({ label: `${n} ★`, value: s.distribution[n] })), language })}
${dataTable({ caption: `${t('satisfaction')} · ${t('byCategory')}`, head: [t('category'), t('responses'), t('mean')], rows: Object.entries(s.byCategory).map(([c, f]) => [label('category')(c), f.responses, f.mean ?? '—']), language })}
${dataTable({ caption: `${t('satisfaction')} · ${t('byTeam')}`, head: [t('byTeam'), t('responses'), t('mean')], rows: Object.entries(s.byTeam).map(([team, f]) => [teamName(config, team, language), f.responses, f.mean ?? '—']), language })}</section>

<section aria-labelledby="hotspots"><h2 id="hotspots">${t('hotspots')}</h2>
${dataTable({ caption: t('hotspots'), head: [t('label'), t('section'), t('count'), t('previous'), t('change')], rows: hotRows(view.hotspots), language })}
${dataTable({ caption: t('rising'), head: [t('label'), t('section'), t('count'), t('previous'), t('change')], rows: hotRows(view.rising), language })}</section>

<section aria-labelledby="handlers"><h2 id="handlers">${t('handlers')}</h2>
<div style="overflow-x:auto" tabindex="0">${dataTable({ caption: t('handlers'), head: [t('handler'), t('byTeam'), t('decided'), t('onTimeShare'), `${t('median')} · ${t('accept')}`, `${t('median')} · ${t('reply')}`, t('satisfaction'), COUNTED_FIGURES.reviewsOverturned.label[language], t('openLoad')], rows: handlersRows, language })}</div></section>`;
  const styled = html`<style>table.figures{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9em}table.figures caption{text-align:left;font-weight:600;padding:.25rem 0}table.figures th,table.figures td{border-bottom:1px solid #dde1e7;padding:.25rem .4rem;text-align:left;overflow-wrap:anywhere}table.figures thead th{overflow-wrap:normal;word-break:keep-all;hyphens:manual;vertical-align:bottom}figure.chart{margin:.5rem 0 1rem}figure.chart figcaption{font-weight:600;margin:.25rem 0}details summary{cursor:pointer;color:#1f5fbf}</style>${body}`;
  return page({
    title: t('title'),
    language,
    langSwitch: `/staff/analytics?${input.query.replace(/(^|&)lang=[^&]*/g, '')}&lang=${other(language)}`.replace(
      '?&',
      '?',
    ),
    body: styled as SafeHtml,
  });
}

/** CSV of every figure: section, figure, key, label, value; UTF-8 with a BOM so spreadsheets read Chinese. */
export function analyticsCsv(view: AnalyticsView, language: Language, config: DeskConfig): string {
  const rows: (string | number | null)[][] = [
    [L.section[language], L.figure[language], L.key[language], L.label[language], L.value[language]],
  ];
  const put = (section: string, figure: string, key: string, label: string, value: string | number | null) =>
    rows.push([section, figure, key, label, value]);
  const record = (
    section: string,
    figure: string,
    values: Record<string, number>,
    kind: Parameters<typeof keyLabel>[0],
  ) => {
    for (const [key, n] of Object.entries(values)) put(section, figure, key, keyLabel(kind, key, language, config), n);
  };
  put('range', 'from', '', '', view.range.from);
  put('range', 'to', '', '', view.range.to);
  put('range', 'groupBy', '', '', view.range.groupBy);
  put('received', 'total', '', L.total[language], view.received.total);
  record('received', 'byCategory', view.received.byCategory, 'category');
  record('received', 'byChannel', view.received.byChannel, 'channel');
  record('received', 'byTeam', view.received.byTeam, 'team');
  record('received', 'byPriority', view.received.byPriority, 'priority');
  record('received', 'byStatus', view.received.byStatus, 'status');
  for (const p of view.received.series) put('received', 'series', p.period, p.period, p.total);
  for (const stage of ANALYTICS_STAGES) {
    const f = view.serviceLevels.byStage[stage];
    for (const [figure, value] of Object.entries(f))
      put('serviceLevels', figure, stage, STEP_LABELS[stage][language], value);
  }
  for (const [team, stages] of Object.entries(view.serviceLevels.byTeam))
    for (const stage of ANALYTICS_STAGES)
      for (const [figure, value] of Object.entries(stages[stage]))
        put('serviceLevels', `${team}.${figure}`, stage, STEP_LABELS[stage][language], value);
  for (const m of TIME_MEASURES) {
    const { approximate, ...figures } = view.serviceLevels.times[m];
    for (const [figure, value] of Object.entries(figures)) put('serviceLevels.times', figure, m, L[m][language], value);
    // The median and 90th percentile are read from histograms: within this share of the exact values.
    put('serviceLevels.times', 'approximate.relativeError', m, L[m][language], approximate.relativeError);
  }
  const counted = (section: 'outcomes' | 'satisfaction', ids: readonly CountedFigureId[]) => {
    for (const row of countedRows(ids, view, language, config)) put(section, row.id, row.key, row.label, row.value);
  };
  counted('outcomes', countedIn('outcomes'));
  record('outcomes', 'closed', view.outcomes.closed, 'outcome');
  const s = view.satisfaction;
  const [first, ...rest] = countedIn('satisfaction');
  counted('satisfaction', first ? [first] : []);
  put('satisfaction', 'responses', '', L.responses[language], s.responses);
  put('satisfaction', 'responseRate', '', L.responseRate[language], s.responseRate);
  put('satisfaction', 'mean', '', L.mean[language], s.mean);
  for (const [n, c] of Object.entries(s.distribution)) put('satisfaction', 'distribution', n, `${n} ★`, c);
  for (const [c, f] of Object.entries(s.byCategory))
    put('satisfaction', 'byCategory.mean', c, keyLabel('category', c, language, config), f.mean);
  counted('satisfaction', rest);
  for (const h of view.hotspots) put('hotspots', h.kind, h.key, hotspotLabel(h, language, config), h.count);
  for (const h of view.rising) put('rising', h.kind, h.key, hotspotLabel(h, language, config), h.change);
  for (const h of view.handlers) {
    put('handlers', 'decided', h.email, h.teams.join(' '), h.decided);
    put('handlers', 'onTimeShare', h.email, h.teams.join(' '), h.onTimeShare);
    for (const m of TIME_MEASURES) put('handlers', `median.${m}`, h.email, h.teams.join(' '), h.times[m].medianSeconds);
    put('handlers', 'satisfaction.mean', h.email, h.teams.join(' '), h.satisfaction.mean);
    put('handlers', 'reviewsOverturned', h.email, h.teams.join(' '), h.reviewsOverturned);
    put('handlers', 'openLoad', h.email, h.teams.join(' '), h.openLoad);
  }
  const cell = (v: string | number | null) => {
    const text = v === null ? '' : String(v);
    // A cell a spreadsheet would run as a formula is quoted as text.
    const safe = /^[=+\-@\t\r]/.test(text) && typeof v === 'string' ? `'${text}` : text;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return `\uFEFF${rows.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
