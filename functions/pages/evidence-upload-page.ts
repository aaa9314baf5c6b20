import type { ComplaintRecord } from '../domain/complaint';
import type { DeskConfig } from '../domain/config';
import type { EvidenceItem } from '../domain/evidence-policy';
import type { Language } from '../domain/language';
import type { EvidenceUploadData } from './browser/page-data';
import { EVIDENCE_UPLOAD_SCRIPT } from './browser/scripts.generated';
import { dataAttributes, html, inlineScript, page } from './layout';
import { formatLimit } from './evidence-list';
import { uploadWithoutScript } from './form-upload-page';
import { ownEvidenceList } from './self-service';

const T = {
  title: { 'zh-CN': '上传证据', en: 'Add evidence' },
  intro: {
    'zh-CN': '可上传截图、日志、录像或 PDF。文件直接上传到证据存储，处理人员可以看到；被投诉方看不到。',
    en: 'Upload screenshots, logs, video or PDFs. Files go straight to the evidence store, where the handler can see them; the other party cannot.',
  },
  files: { 'zh-CN': '选择文件（可多选）', en: 'Choose files (several allowed)' },
  limits: {
    'zh-CN': '图片、PDF、日志每个最大 {max}，视频最大 {video}。',
    en: 'Images, PDFs and logs up to {max} each, video up to {video}.',
  },
  upload: { 'zh-CN': '上传', en: 'Upload' },
  needsScript: {
    'zh-CN': '一次选择多个文件需要 JavaScript；未启用时，请用下方按钮逐个上传。',
    en: 'Choosing several files at once needs JavaScript; without it, upload one file at a time with the button below.',
  },
  uploading: { 'zh-CN': '正在上传：', en: 'Uploading: ' },
  uploaded: { 'zh-CN': '已上传：', en: 'Uploaded: ' },
  uploadFailed: { 'zh-CN': '上传失败：', en: 'Upload failed: ' },
  already: { 'zh-CN': '已收到的证据', en: 'Evidence received so far' },
  back: { 'zh-CN': '返回投诉查询页面', en: 'Back to your complaint' },
} satisfies Record<string, Record<Language, string>>;

/** The page behind "Add evidence" on the tracking page: pick files, each goes straight to S3. */
export function evidenceUploadPage(input: {
  complaint: ComplaintRecord;
  evidence: readonly EvidenceItem[];
  language: Language;
  config: DeskConfig;
  token: string;
  apiBaseUrl: string;
  scriptNonce: string;
}): string {
  const { complaint, language: l, config } = input;
  // What the script needs (./browser/evidence-upload.browser.ts), as data-* attributes of the form.
  const data: EvidenceUploadData = {
    api: input.apiBaseUrl,
    complaint: complaint.id,
    token: input.token,
    uploading: T.uploading[l],
    uploaded: T.uploaded[l],
    uploadFailed: T.uploadFailed[l],
  };
  const limits = T.limits[l]
    .replace('{max}', formatLimit(config.evidence.maxBytes))
    .replace('{video}', formatLimit(config.evidence.videoMaxBytes));
  const back = `../${complaint.id}?token=${encodeURIComponent(input.token)}&lang=${l}`;
  return page({
    title: `${T.title[l]} · ${complaint.number}`,
    language: l,
    langSwitch: `?token=${encodeURIComponent(input.token)}&lang=${l === 'zh-CN' ? 'en' : 'zh-CN'}`,
    body: html`<section class="notice"><p>${T.intro[l]}</p></section>
<section id="needs-script" class="error"><p>${T.needsScript[l]}</p></section>
<section><form id="evidence-form" ${dataAttributes(data)}>
<label for="files">${T.files[l]}</label><p class="hint" id="files-hint">${limits}</p>
<input type="file" id="files" name="files" multiple accept="${config.evidence.contentTypes.join(',')}" aria-describedby="files-hint">
<button type="submit" disabled>${T.upload[l]}</button>
</form>
<ul id="uploads" aria-live="polite"></ul>
${uploadWithoutScript(`${input.apiBaseUrl}/complaints/${complaint.id}/evidence?lang=${l}`, { token: input.token }, l)}</section>
<section aria-labelledby="received"><h2 id="received">${T.already[l]}</h2>${ownEvidenceList(input.evidence, l, config.timeZone)}</section>
<p><a href="${back}">${T.back[l]}</a></p>
${inlineScript(input.scriptNonce, EVIDENCE_UPLOAD_SCRIPT)}`,
  });
}
