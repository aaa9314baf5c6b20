import type { DeskConfig } from '../domain/config';
import type { Language } from '../domain/language';
import type { StaffEntryData } from './browser/page-data';
import { STAFF_ENTRY_SCRIPT } from './browser/scripts.generated';
import { formatLimit } from './evidence-list';
import { dataAttributes, html, inlineScript, type SafeHtml } from './layout';

const T = {
  label: {
    'zh-CN': '投诉人的证据（您代为上传；投诉人不会再被要求上传）',
    en: 'The caller’s evidence (you upload it; the complainant is then not asked to)',
  },
  limits: {
    'zh-CN': '图片、PDF、日志每个最大 {max}，视频最大 {video}；最多 {files} 个文件。',
    en: 'Images, PDFs and logs up to {max} each, video up to {video}; at most {files} files.',
  },
  needsScript: { 'zh-CN': '附加文件需要启用 JavaScript。', en: 'Attaching files needs JavaScript.' },
  uploading: { 'zh-CN': '正在上传：', en: 'Uploading: ' },
  uploaded: { 'zh-CN': '已上传，检查后列入证据：', en: 'Uploaded, listed as evidence once checked: ' },
  uploadFailed: { 'zh-CN': '上传失败：', en: 'Upload failed: ' },
} satisfies Record<string, Record<Language, string>>;

/**
 * The staff entry form's control for the caller's files: a file picker the script
 * (browser/staff-entry.browser.ts) declares in the hidden `evidence` field and uploads once the
 * case is filed. Without the script the picker stays disabled and the form files as before.
 */
export function entryEvidence(
  language: Language,
  config: DeskConfig,
  scriptNonce: string | undefined,
): { form: SafeHtml; fields: SafeHtml; script: SafeHtml } {
  const l = language;
  const data: StaffEntryData = {
    casePage: `/staff/complaints/{id}?lang=${l}`,
    uploading: T.uploading[l],
    uploaded: T.uploaded[l],
    uploadFailed: T.uploadFailed[l],
  };
  const limits = T.limits[l]
    .replace('{max}', formatLimit(config.evidence.maxBytes))
    .replace('{video}', formatLimit(config.evidence.videoMaxBytes))
    .replace('{files}', String(config.evidence.maxFiles));
  return {
    form: html`id="entry-form" ${dataAttributes(data)}`,
    fields: html`<input type="hidden" name="evidence" value="">
<label for="evidence-files">${T.label[l]}</label><p class="hint" id="evidence-files-hint">${limits}</p>
<p class="hint" id="evidence-needs-script">${T.needsScript[l]}</p>
<input type="file" id="evidence-files" multiple disabled accept="${config.evidence.contentTypes.join(',')}" aria-describedby="evidence-files-hint evidence-error">
<ul id="evidence-uploads" aria-live="polite"></ul>`,
    script: scriptNonce ? inlineScript(scriptNonce, STAFF_ENTRY_SCRIPT) : html``,
  };
}
