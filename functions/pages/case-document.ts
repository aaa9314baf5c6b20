import type { CaseFile, TimelineEntry } from '../domain/case-file';
import type { Language } from '../domain/language';
import { escapeHtml, formatTime, html, type SafeHtml } from './layout';

/**
 * `case.html` of a case archive: one self-contained page (no script, no outside resource) that
 * reads on screen and prints as a document: every section starts a page, every text in full, and
 * every time with its zone.
 */
const STYLE = `
body{font:15px/1.5 system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#111;max-width:52rem;margin:1rem auto;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.15rem;border-bottom:1px solid #999;padding-bottom:.2rem;margin-top:2rem}
dl{display:grid;grid-template-columns:minmax(8rem,auto) 1fr;gap:.2rem 1rem}dt{color:#444}dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:.3rem .4rem;vertical-align:top;text-align:left;white-space:pre-wrap;overflow-wrap:anywhere}
code{font-size:.85em;word-break:break-all}.meta{color:#444}
@media print{body{max-width:none;margin:0;font-size:11pt}section{break-before:page}section:first-of-type{break-before:auto}tr,dl{break-inside:avoid}a{color:inherit;text-decoration:none}}
`;

const T = {
  'referral-bundle': { 'zh-CN': '投诉案件材料（转交用）', en: 'Complaint case file (for referral)' },
  export: { 'zh-CN': '您的个人信息副本', en: 'A copy of your data' },
  generated: { 'zh-CN': '生成时间', en: 'Generated' },
  desk: { 'zh-CN': '受理机构', en: 'Desk' },
  number: { 'zh-CN': '投诉编号', en: 'Case number' },
  status: { 'zh-CN': '状态', en: 'Status' },
  outcome: { 'zh-CN': '处理结果', en: 'Outcome' },
  received: { 'zh-CN': '收到时间', en: 'Received' },
  closed: { 'zh-CN': '结案时间', en: 'Closed' },
  complainant: { 'zh-CN': '投诉人', en: 'Complainant' },
  name: { 'zh-CN': '姓名', en: 'Name' },
  email: { 'zh-CN': '邮箱', en: 'Email' },
  phone: { 'zh-CN': '电话', en: 'Phone' },
  complaint: { 'zh-CN': '投诉内容', en: 'The complaint' },
  channel: { 'zh-CN': '渠道', en: 'Channel' },
  category: { 'zh-CN': '类别', en: 'Category' },
  subject: { 'zh-CN': '被投诉对象', en: 'Complained about' },
  description: { 'zh-CN': '事实描述', en: 'What happened' },
  desired: { 'zh-CN': '诉求', en: 'Outcome sought' },
  occurred: { 'zh-CN': '发生时间', en: 'When it happened' },
  contact: { 'zh-CN': '此前沟通', en: 'Earlier contact' },
  timeline: { 'zh-CN': '处理经过', en: 'Timeline' },
  time: { 'zh-CN': '时间', en: 'Time' },
  who: { 'zh-CN': '操作方', en: 'By' },
  what: { 'zh-CN': '事项', en: 'What' },
  detail: { 'zh-CN': '说明', en: 'Detail' },
  ownWords: { 'zh-CN': '投诉人原话', en: 'In the complainant’s words' },
  decisions: { 'zh-CN': '处理决定', en: 'Decisions' },
  reply: { 'zh-CN': '答复', en: 'Reply' },
  result: { 'zh-CN': '处理结果', en: 'Result' },
  grounds: { 'zh-CN': '依据', en: 'Grounds' },
  followUp: { 'zh-CN': '后续措施', en: 'Follow-up' },
  review: { 'zh-CN': '复核', en: 'Review' },
  requested: { 'zh-CN': '申请时间', en: 'Requested' },
  reason: { 'zh-CN': '理由', en: 'Reason' },
  ruled: { 'zh-CN': '裁定时间', en: 'Ruled' },
  ruling: { 'zh-CN': '裁定', en: 'Ruling' },
  evidence: { 'zh-CN': '证据清单', en: 'Evidence' },
  file: { 'zh-CN': '文件', en: 'File' },
  type: { 'zh-CN': '类型', en: 'Type' },
  size: { 'zh-CN': '大小（字节）', en: 'Size (bytes)' },
  added: { 'zh-CN': '上传时间', en: 'Added' },
  inArchive: { 'zh-CN': '包内路径', en: 'In this archive' },
  none: { 'zh-CN': '无', en: 'None' },
  handling: { 'zh-CN': '内部处理信息（仅限工作人员）', en: 'Handling (staff only)' },
  integrity: {
    'zh-CN': '本包内每个文件的大小和 SHA-256 均列于 manifest.json；可用 npm run verify-bundle 核对。',
    en: 'The size and SHA-256 of every file in this archive are listed in manifest.json; npm run verify-bundle checks them.',
  },
} as const;

function row(label: string, value: unknown): SafeHtml {
  if (value === undefined || value === null || value === '') return html``;
  return html`<dt>${label}</dt><dd>${Array.isArray(value) ? value.join(', ') : String(value)}</dd>`;
}

function detailsText(details: Record<string, unknown> | undefined): string {
  if (!details) return '';
  return Object.entries(details)
    .filter(([key]) => key !== 'complainantNote')
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('\n');
}

function timelineTable(entries: readonly TimelineEntry[], file: CaseFile, l: Language): SafeHtml {
  if (entries.length === 0) return html`<p>${T.none[l]}</p>`;
  const staff = file.audience === 'staff';
  const time = (iso: string) => formatTime(iso, l, file.timeZone);
  return html`<table><thead><tr><th>${T.time[l]}</th>${staff ? html`<th>${T.who[l]}</th>` : html``}<th>${T.what[l]}</th><th>${T.detail[l]}</th></tr></thead><tbody>
${entries.map(
  (e) =>
    html`<tr><td><time datetime="${e.at}">${time(e.at)}</time><br><code>${e.at}</code></td>${staff ? html`<td>${e.actor ?? ''}</td>` : html``}<td>${e.label}</td><td>${[e.detail, e.ownWords ? `${T.ownWords[l]}: ${e.ownWords}` : undefined, staff ? detailsText(e.details) : undefined].filter(Boolean).join('\n')}</td></tr>\n`,
)}</tbody></table>`;
}

export function caseDocumentHtml(file: CaseFile): string {
  const l = file.language;
  const time = (iso: string | undefined) => (iso ? formatTime(iso, l, file.timeZone) : undefined);
  const c = file.complaint;
  const subject = [c.subject.name, c.subject.ref, `(${c.subject.type})`].filter(Boolean).join(' ');
  const body = html`<h1>${T[file.kind][l]} · ${file.case.number}</h1>
<p class="meta">${T.desk[l]}: ${file.desk} · ${T.generated[l]}: ${time(file.generatedAt)} (<code>${file.generatedAt}</code>)</p>
<p class="meta">${T.integrity[l]}</p>
<section><h2>${T.complaint[l]}</h2><dl>
${row(T.number[l], file.case.number)}${row(T.status[l], file.case.statusLabel)}${row(T.outcome[l], file.case.outcomeLabel)}
${row(T.received[l], time(file.case.receivedAt))}${row(T.closed[l], time(file.case.closedAt))}
${row(T.complainant[l], '')}${row(T.name[l], file.complainant.name)}${row(T.email[l], file.complainant.email)}${row(T.phone[l], file.complainant.phone)}
${row(T.channel[l], c.channel)}${row(T.category[l], c.categoryName)}${row(T.subject[l], subject)}
${row(
  T.occurred[l],
  [c.occurredAt ?? []].flat().map((at) => time(at)),
)}
${row(T.description[l], c.description)}${row(T.desired[l], c.desiredOutcome)}${row(T.contact[l], c.contactHistory)}
</dl></section>
<section><h2>${T.timeline[l]}</h2>${timelineTable(file.timeline, file, l)}</section>
<section><h2>${T.decisions[l]}</h2>${timelineTable(file.decisions, file, l)}</section>
<section><h2>${T.reply[l]}</h2>${
    file.reply
      ? html`<dl>${row(T.time[l], time(file.reply.at))}${row(T.result[l], file.reply.reply)}${row(T.grounds[l], file.reply.grounds)}${row(T.followUp[l], file.reply.followUp)}</dl>`
      : html`<p>${T.none[l]}</p>`
  }</section>
<section><h2>${T.review[l]}</h2>${
    file.review
      ? html`<dl>${row(T.requested[l], time(file.review.requestedAt))}${row(T.reason[l], file.review.reason)}${row(T.ruled[l], time(file.review.ruledAt))}${row(T.ruling[l], file.review.ruling)}${row(T.reason[l], file.review.rulingReason)}${row(T.result[l], file.review.reply)}${row(T.grounds[l], file.review.grounds)}</dl>`
      : html`<p>${T.none[l]}</p>`
  }</section>
<section><h2>${T.evidence[l]}</h2>${
    file.evidence.length
      ? html`<table><thead><tr><th>${T.file[l]}</th><th>${T.type[l]}</th><th>${T.size[l]}</th><th>${T.added[l]}</th><th>SHA-256</th><th>${T.inArchive[l]}</th></tr></thead><tbody>
${file.evidence.map((e) => html`<tr><td>${e.name}</td><td>${e.contentType}</td><td>${e.size}</td><td>${time(e.addedAt)}</td><td><code>${e.sha256}</code></td><td><code>${e.path}</code></td></tr>\n`)}</tbody></table>`
      : html`<p>${T.none[l]}</p>`
  }</section>
${
  file.handling
    ? html`<section><h2>${T.handling[l]}</h2><dl>${Object.entries(file.handling).map(([key, value]) => row(key, value))}</dl></section>`
    : html``
}`;
  return `<!doctype html>
<html lang="${l}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${T[file.kind][l]} ${file.case.number}`)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.value}
</body>
</html>
`;
}
