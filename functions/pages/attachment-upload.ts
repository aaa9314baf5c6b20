import type { DeskConfig } from '../domain/config';
import { type EvidenceParty, evidenceLimitsFor } from '../domain/evidence-policy';
import type { Language } from '../domain/language';
import type { AttachData } from './browser/page-data';
import { ATTACH_SCRIPT } from './browser/scripts.generated';
import { formatLimit } from './evidence-list';
import { uploadWithoutScript } from './form-upload-page';
import { dataAttributes, html, inlineScript, type SafeHtml } from './layout';

const UPLOAD = {
  label: { 'zh-CN': '上传要附上的文件', en: 'Upload files to attach' },
  limits: {
    'zh-CN': '与证据相同的检查：图片、PDF、日志每个最大 {max}，视频最大 {video}。',
    en: 'Checked as evidence is: images, PDFs and logs up to {max} each, video up to {video}.',
  },
  needsScript: {
    'zh-CN': '此选择框需要 JavaScript；未启用时请用下方的“上传文件”按钮。',
    en: 'This picker needs JavaScript; without it, use the “Upload a file” button below.',
  },
  uploading: { 'zh-CN': '正在上传：', en: 'Uploading: ' },
  uploaded: { 'zh-CN': '已上传：', en: 'Uploaded: ' },
  uploadFailed: { 'zh-CN': '上传失败：', en: 'Upload failed: ' },
  checking: { 'zh-CN': '正在检查：', en: 'Being checked: ' },
  ready: { 'zh-CN': '将随消息发送：', en: 'Sent with the message: ' },
  notAccepted: {
    'zh-CN': '未通过检查（见本案证据），不能附上：',
    en: 'Not accepted by the checks (see the case’s evidence), cannot be attached: ',
  },
} satisfies Record<string, Record<Language, string>>;

/**
 * A message form's upload control (the staff case page's, the respondent's answer form): a file
 * picker whose script (browser/attach.browser.ts) uploads each file through `grant` (with the
 * page nonce, or the link's token), and ticks it in the form as an `attachments` value once
 * `poll`'s JSON lists it among its `evidence` (checked and recorded). Without the script the
 * picker stays disabled; files already recorded can be ticked.
 */
export function attachmentUpload(
  at: { grant: string; poll: string; nonce?: string; token?: string },
  l: Language,
  config: DeskConfig,
  scriptNonce: string | undefined,
  /** Whose allowance the files use (the respondent's own, or the case's): the limits shown are that side's. */
  party?: EvidenceParty,
): { form: SafeHtml; fields: SafeHtml; script: SafeHtml; noScript: SafeHtml } {
  const evidenceLimits = evidenceLimitsFor(config.evidence, party);
  const data: AttachData = {
    grant: at.grant,
    poll: at.poll,
    nonce: at.nonce ?? '',
    token: at.token ?? '',
    uploading: UPLOAD.uploading[l],
    uploaded: UPLOAD.uploaded[l],
    uploadFailed: UPLOAD.uploadFailed[l],
    checking: UPLOAD.checking[l],
    ready: UPLOAD.ready[l],
    notAccepted: UPLOAD.notAccepted[l],
  };
  const limits = UPLOAD.limits[l]
    .replace('{max}', formatLimit(evidenceLimits.maxBytes))
    .replace('{video}', formatLimit(evidenceLimits.videoMaxBytes));
  return {
    form: dataAttributes(data),
    fields: html`<label for="message-files">${UPLOAD.label[l]}</label><p class="hint" id="message-files-hint">${limits}</p>
<p class="hint" id="message-files-needs-script">${UPLOAD.needsScript[l]}</p>
<input type="file" id="message-files" multiple disabled accept="${config.evidence.contentTypes.join(',')}" aria-describedby="message-files-hint">
<ul id="message-uploads" aria-live="polite"></ul>`,
    script: scriptNonce ? inlineScript(scriptNonce, ATTACH_SCRIPT) : html``,
    // Without the script: a plain form asks for one upload at a time (form-upload-page.ts), outside the message form.
    noScript: uploadWithoutScript(at.grant, at.token ? { token: at.token } : { nonce: at.nonce ?? '' }, l),
  };
}
