import type { DeskConfig } from '../domain/config';
import { type EvidenceParty, evidenceLimitsFor } from '../domain/evidence-policy';
import type { Language } from '../domain/language';
import { formatLimit } from './evidence-list';
import { formatTime, html, page, type SafeHtml } from './layout';

/**
 * Uploading from a page used without its script: a plain form asks the desk for an upload (a
 * POST to the page's upload grant), and the desk answers with this page, a form that sends the
 * file straight to the evidence store (a presigned POST) with its type picked beside it. The
 * store sends the browser back to the page it came from; the file is checked when it lands, as
 * every upload is, and then shows among the files that may be attached.
 */
const T = {
  title: { 'zh-CN': '上传文件', en: 'Upload a file' },
  type: { 'zh-CN': '文件类型', en: 'Type of file' },
  file: { 'zh-CN': '选择文件', en: 'Choose the file' },
  limits: {
    'zh-CN': '图片、PDF、日志每个最大 {max}，视频最大 {video}。文件上传后会经过检查，类型须与所选一致。',
    en: 'Images, PDFs and logs up to {max} each, video up to {video}. The file is checked once it is uploaded; it must be of the type chosen.',
  },
  until: { 'zh-CN': '请在 {at} 前上传。', en: 'Upload it by {at}.' },
  send: { 'zh-CN': '上传', en: 'Upload' },
  back: { 'zh-CN': '返回，不上传', en: 'Go back without uploading' },
  withoutScript: { 'zh-CN': '上传文件（无需 JavaScript）', en: 'Upload a file (without JavaScript)' },
  withoutScriptHint: {
    'zh-CN': '未启用 JavaScript 时，可逐个上传文件；检查通过后即可在上方勾选附上。',
    en: 'Without JavaScript, upload files one at a time; once checked, tick them above to attach them.',
  },
} satisfies Record<string, Record<Language, string>>;

/** What each accepted type is called in the form; a type not named here shows as itself. */
const TYPE_LABELS: Record<string, Record<Language, string>> = {
  'image/png': { 'zh-CN': 'PNG 图片（截图）', en: 'PNG image (screenshot)' },
  'image/jpeg': { 'zh-CN': 'JPEG 图片（照片）', en: 'JPEG image (photo)' },
  'image/gif': { 'zh-CN': 'GIF 图片', en: 'GIF image' },
  'image/webp': { 'zh-CN': 'WebP 图片', en: 'WebP image' },
  'video/mp4': { 'zh-CN': 'MP4 视频', en: 'MP4 video' },
  'video/webm': { 'zh-CN': 'WebM 视频', en: 'WebM video' },
  'video/quicktime': { 'zh-CN': 'QuickTime 视频（.mov）', en: 'QuickTime video (.mov)' },
  'application/pdf': { 'zh-CN': 'PDF 文档', en: 'PDF document' },
  'text/plain': { 'zh-CN': '文本日志（.txt、.log）', en: 'Text log (.txt, .log)' },
};

/** The plain form a page without its script offers beside its picker: it asks for one upload. */
export function uploadWithoutScript(grant: string, hidden: Record<string, string>, language: Language): SafeHtml {
  return html`<noscript><form method="post" action="${grant}" id="upload-without-script"><p class="hint">${T.withoutScriptHint[language]}</p>${Object.entries(
    hidden,
  ).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  )}<button type="submit">${T.withoutScript[language]}</button></form></noscript>`;
}

/** The page with the form that sends one file to the evidence store (a presigned POST). */
export function formUploadPage(input: {
  post: { url: string; fields: Record<string, string>; expiresAt: string };
  language: Language;
  config: DeskConfig;
  party?: EvidenceParty;
  back: string;
}): string {
  const { language: l, config } = input;
  const limits = evidenceLimitsFor(config.evidence, input.party);
  const hint = T.limits[l]
    .replace('{max}', formatLimit(limits.maxBytes))
    .replace('{video}', formatLimit(limits.videoMaxBytes));
  // The store reads the fields in order and the file last: the type is picked before it.
  return page({
    title: T.title[l],
    language: l,
    body: html`<section><form method="post" action="${input.post.url}" enctype="multipart/form-data" id="form-upload">${Object.entries(
      input.post.fields,
    ).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<label for="upload-type">${T.type[l]}</label><select id="upload-type" name="Content-Type" required>${config.evidence.contentTypes.map(
      (type) => html`<option value="${type}">${TYPE_LABELS[type]?.[l] ?? type}</option>`,
    )}</select>
<label for="upload-file">${T.file[l]}</label><p class="hint" id="upload-hint">${hint} ${T.until[l].replace('{at}', formatTime(input.post.expiresAt, l, config.timeZone))}</p>
<input type="file" id="upload-file" name="file" required accept="${config.evidence.contentTypes.join(',')}" aria-describedby="upload-hint">
<button type="submit">${T.send[l]}</button></form></section>
<p><a href="${input.back}">${T.back[l]}</a></p>`,
  });
}
