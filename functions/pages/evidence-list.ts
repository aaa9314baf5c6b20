import { defang } from '../domain/defang';
import { type DeclaredFile, type EvidenceItem, QUARANTINE_REASON_LABELS } from '../domain/evidence-policy';
import type { Language } from '../domain/language';
import { formatTime, html, type SafeHtml } from './layout';

/** Evidence with its download link, as functions/store/evidence-objects.ts `withDownloadLinks` gives it. */
export type LinkedEvidence = EvidenceItem & { url: string };

/** A size limit as a person reads it: whole megabytes. */
export function formatLimit(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/** A file's size as a person reads it: KB, or MB with one decimal. */
export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * The evidence list of a staff page: name, type, size, when, and the sha256 recorded when it
 * landed (so a download can be checked against it). Links are presigned for 5 minutes and
 * always download; reload the page for fresh ones.
 */
export function evidenceList(items: readonly LinkedEvidence[], language: Language, timeZone: string): SafeHtml {
  const zh = language === 'zh-CN';
  if (!items.length) return html`<p>${zh ? '没有证据。' : 'No evidence.'}</p>`;
  return html`<ul class="evidence">${items.map(
    (item) =>
      html`<li><a href="${item.url}" download rel="noopener noreferrer">${defang(item.name)}</a> <span class="badge">${item.contentType}</span> ${formatSize(item.size)} · <time datetime="${item.addedAt}">${formatTime(item.addedAt, language, timeZone)}</time><br><small>SHA-256 <code>${item.sha256}</code></small></li>`,
  )}</ul>
<p><small>${zh ? '下载链接 5 分钟内有效；过期请刷新本页。' : 'Download links work for 5 minutes; reload the page for fresh ones.'}</small></p>`;
}

const DECLARED_STATE: Record<Exclude<DeclaredFile['state'], 'arrived'>, Record<Language, string>> = {
  expected: { 'zh-CN': '等待上传', en: 'Upload awaited' },
  refused: { 'zh-CN': '未通过检查，未收到', en: 'Refused by the check; never arrived' },
  'never-uploaded': {
    'zh-CN': '上传链接已过期，文件从未到达',
    en: 'Its upload link expired; the file never arrived',
  },
};

/**
 * The caller's files a staff member declared at entry that are not (yet) evidence: each still
 * awaited, refused by the check (with why), or never uploaded. A file that never arrived means
 * the caller has been (or will be) asked for their evidence after all.
 */
export function declaredFilesList(files: readonly DeclaredFile[] | undefined, language: Language): SafeHtml {
  const zh = language === 'zh-CN';
  const missing = (files ?? []).filter((file) => file.state !== 'arrived');
  if (!missing.length) return html``;
  return html`<h3 id="declared-files">${zh ? '登记时声明的来电人文件' : 'The caller’s files declared at entry'}</h3><ul class="declared">${missing.map(
    (file) =>
      html`<li data-state="${file.state}">${defang(file.name)} — <strong>${DECLARED_STATE[file.state as Exclude<DeclaredFile['state'], 'arrived'>][language]}</strong>${file.reason ? html` (${QUARANTINE_REASON_LABELS[file.reason]?.[language] ?? file.reason})` : html``}</li>`,
  )}</ul>${
    missing.some((file) => file.state !== 'expected')
      ? html`<p>${zh ? '未收到的文件不算证据；该类别需要证据时，系统会请投诉人自行补充。' : 'A file that never arrived is no evidence; where the category requires evidence, the complainant is asked for it.'}</p>`
      : html``
  }`;
}
