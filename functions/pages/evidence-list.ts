import { defang } from '../domain/defang';
import type { EvidenceItem } from '../domain/evidence-policy';
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
