import type { Language } from '../domain/language';
import { escapeHtml, html, type SafeHtml } from './layout';

/**
 * Charts drawn on the server as SVG: horizontal bars, a line over time, and the table every
 * chart also gives its numbers in (a chart is read by eye; the table by a screen reader, a
 * search or a copy). Each SVG is `role="img"` with a title and a description naming its figures.
 * No script and no library: a page stays a few kilobytes.
 */

export interface Datum {
  label: string;
  value: number;
}

const PALETTE = ['#1f5fbf', '#2e8b57', '#c77c02', '#8e44ad', '#c0392b', '#16a085', '#5b6472'];
const number = (n: number, language: Language) =>
  new Intl.NumberFormat(language === 'zh-CN' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: 2 }).format(n);

/** Full-width characters (CJK, kana, Hangul, full-width forms): each as wide as the font is high. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/**
 * About how wide a text is drawn at this font size, in pixels: a full-width character a whole em,
 * a capital or a digit 0.65 em, anything else 0.55 em (wide enough for system-ui; a label is
 * given this room, so neither Chinese nor Latin labels are clipped).
 */
export function textWidth(text: string, fontPx: number): number {
  let em = 0;
  for (const ch of text) em += WIDE.test(ch) ? 1 : /[A-Z0-9%@#&mwMW]/.test(ch) ? 0.65 : 0.55;
  return Math.ceil(em * fontPx);
}

/** The text cut to at most `maxPx` wide, with an ellipsis when cut. */
function fitted(text: string, fontPx: number, maxPx: number): string {
  if (textWidth(text, fontPx) <= maxPx) return text;
  const chars = [...text];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, fontPx) > maxPx) chars.pop();
  return `${chars.join('')}…`;
}

/** A table of figures: a caption, a header row, and rows (first cell a row header). */
export function dataTable(input: {
  caption: string;
  head: readonly string[];
  rows: readonly (readonly (string | number | SafeHtml)[])[];
  language: Language;
}): SafeHtml {
  const cell = (v: string | number | SafeHtml) => (typeof v === 'number' ? number(v, input.language) : v);
  return html`<table class="figures"><caption>${input.caption}</caption><thead><tr>${input.head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${input.rows.map(
    (row) =>
      html`<tr>${row.map((v, i) => (i === 0 ? html`<th scope="row">${cell(v)}</th>` : html`<td>${cell(v)}</td>`))}</tr>`,
  )}</tbody></table>`;
}

const describe = (data: readonly Datum[], language: Language) =>
  data.map((d) => `${d.label}: ${number(d.value, language)}`).join(language === 'zh-CN' ? '；' : '; ');

/** The numbers of a chart as a table, folded under it. */
function numbersOf(
  title: string,
  data: readonly Datum[],
  language: Language,
  head: readonly [string, string],
): SafeHtml {
  return html`<details><summary>${language === 'zh-CN' ? '数据表' : 'The numbers'}</summary>${dataTable({ caption: title, head, rows: data.map((d) => [d.label, d.value]), language })}</details>`;
}

/** Horizontal bars, one per datum, longest first as given; the value is written at each bar's end. */
export function barChart(input: {
  id: string;
  title: string;
  data: readonly Datum[];
  language: Language;
  head?: readonly [string, string];
  width?: number;
}): SafeHtml {
  const { data, language } = input;
  const width = input.width ?? 640;
  const row = 26;
  const font = 12;
  // The labels' column is as wide as the widest label needs (at most 40 % of the chart; a longer
  // label is cut with an ellipsis), and the values' room as wide as the widest value.
  const labelWidth = Math.min(Math.round(width * 0.4), Math.max(60, ...data.map((d) => textWidth(d.label, font) + 12)));
  const valueRoom = Math.max(...data.map((d) => textWidth(number(d.value, language), font)), 0) + 12;
  const plot = width - labelWidth - valueRoom;
  const max = Math.max(1, ...data.map((d) => d.value));
  const height = Math.max(row, data.length * row) + 8;
  const head = input.head ?? [language === 'zh-CN' ? '项目' : 'Item', language === 'zh-CN' ? '数值' : 'Value'];
  if (!data.length) return html`<p>${language === 'zh-CN' ? '此范围内没有数据。' : 'No figures in this range.'}</p>`;
  return html`<figure class="chart"><figcaption>${input.title}</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${input.id}-t ${input.id}-d" style="max-width:${width}px;font:12px system-ui,sans-serif">
<title id="${input.id}-t">${input.title}</title><desc id="${input.id}-d">${describe(data, language)}</desc>
${data.map((d, i) => {
  const y = 4 + i * row;
  const w = Math.max(d.value > 0 ? 2 : 0, Math.round((d.value / max) * plot));
  const shown = fitted(d.label, font, labelWidth - 12);
  return html`<g><text x="${labelWidth - 6}" y="${y + 16}" text-anchor="end" fill="#1d2330">${shown}</text><rect x="${labelWidth}" y="${y + 3}" width="${w}" height="${row - 8}" rx="3" fill="${PALETTE[i % PALETTE.length]}"></rect><text x="${labelWidth + w + 6}" y="${y + 16}" fill="#1d2330">${number(d.value, language)}</text></g>`;
})}</svg>${numbersOf(input.title, data, language, head)}</figure>`;
}

/** A line over time: one point per period, the periods' labels along the bottom (some, when many). */
export function lineChart(input: {
  id: string;
  title: string;
  data: readonly Datum[];
  language: Language;
  head?: readonly [string, string];
  width?: number;
}): SafeHtml {
  const { data, language } = input;
  const width = input.width ?? 640;
  const height = 200;
  const font = 11;
  const left = Math.max(40, textWidth(number(Math.max(1, ...data.map((d) => d.value)), language), font) + 10);
  const bottom = 28;
  const top = 12;
  const plotW = width - left - 12;
  const plotH = height - top - bottom;
  const max = Math.max(1, ...data.map((d) => d.value));
  const head = input.head ?? [language === 'zh-CN' ? '时段' : 'Period', language === 'zh-CN' ? '数值' : 'Value'];
  if (!data.length) return html`<p>${language === 'zh-CN' ? '此范围内没有数据。' : 'No figures in this range.'}</p>`;
  const x = (i: number) => left + (data.length === 1 ? plotW / 2 : (i / (data.length - 1)) * plotW);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const points = data.map((d, i) => `${x(i).toFixed(1)},${y(d.value).toFixed(1)}`).join(' ');
  const every = Math.max(1, Math.ceil(data.length / 8));
  // The first and last labels sit inside the chart (a centred last label is cut at the edge); a
  // label that would meet the last one is left out.
  const lastWidth = textWidth(data[data.length - 1]!.label, font);
  const anchorOf = (i: number) =>
    data.length > 1 && i === data.length - 1 ? 'end' : i === 0 && data.length > 1 ? 'start' : 'middle';
  const shownLabel = (i: number) =>
    i === data.length - 1 ||
    (i % every === 0 && x(data.length - 1) - lastWidth - x(i) > textWidth(data[i]!.label, font) / 2 + 6);
  return html`<figure class="chart"><figcaption>${input.title}</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${input.id}-t ${input.id}-d" style="max-width:${width}px;font:11px system-ui,sans-serif">
<title id="${input.id}-t">${input.title}</title><desc id="${input.id}-d">${describe(data, language)}</desc>
<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#b9c0cb"></line><line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#b9c0cb"></line>
<text x="${left - 6}" y="${top + 4}" text-anchor="end" fill="#5b6472">${number(max, language)}</text><text x="${left - 6}" y="${top + plotH}" text-anchor="end" fill="#5b6472">0</text>
<polyline points="${points}" fill="none" stroke="#1f5fbf" stroke-width="2"></polyline>
${data.map((d, i) => html`<circle cx="${x(i).toFixed(1)}" cy="${y(d.value).toFixed(1)}" r="3" fill="#1f5fbf"><title>${d.label}: ${number(d.value, language)}</title></circle>${shownLabel(i) ? html`<text x="${x(i).toFixed(1)}" y="${height - 8}" text-anchor="${anchorOf(i)}" fill="#5b6472">${d.label}</text>` : html``}`)}
</svg>${numbersOf(input.title, data, language, head)}</figure>`;
}

/** HTML bars for mail (mail viewers show no SVG): a table with one coloured cell per bar. */
export function mailBars(input: {
  title: string;
  data: readonly Datum[];
  language?: Language;
  compare?: readonly number[];
}): string {
  const max = Math.max(1, ...input.data.map((d) => d.value), ...(input.compare ?? []));
  const esc = escapeHtml;
  const bar = (value: number, colour: string) =>
    `<div style="background:${colour};height:12px;width:${Math.max(value > 0 ? 2 : 0, Math.round((value / max) * 240))}px;display:inline-block;vertical-align:middle"></div> ${value}`;
  const rows = input.data
    .map(
      (d, i) =>
        `<tr><th scope="row" style="text-align:left;font-weight:normal;padding:2px 8px 2px 0;width:40%">${esc(d.label)}</th><td style="padding:2px 0">${bar(d.value, '#1f5fbf')}${input.compare ? `<br>${bar(input.compare[i] ?? 0, '#b9c0cb')}` : ''}</td></tr>`,
    )
    .join('');
  return `<p style="font-weight:600;margin:16px 0 4px">${esc(input.title)}</p><table role="table" aria-label="${esc(input.title)}" style="border-collapse:collapse;margin:0 0 12px;width:100%;max-width:560px">${rows || '<tr><td>—</td></tr>'}</table>`;
}
