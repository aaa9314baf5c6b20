import { LIMITS, SUBJECT_TYPES } from '../domain/complaint';
import type { DeskConfig } from '../domain/config';
import type { Language } from '../domain/language';
import type { ComplaintFormData } from './browser/page-data';
import { COMPLAINT_FORM_SCRIPT } from './browser/scripts.generated';
import { dataAttributes, html, inlineScript, page, type SafeHtml } from './layout';
import { formatLimit } from './evidence-list';
import { labelOf, SUBJECT_TYPE_LABELS } from './labels';

type Text = Record<Language, string>;

/** Everything the form and its script say, in both languages. */
const T = {
  title: { 'zh-CN': '在线投诉', en: 'File a complaint' },
  intro: {
    'zh-CN':
      '请如实、客观地叙述事情经过，附上链接或截图等证据，并写明您的处理要求。请勿在投诉中公开他人的电话、住址等隐私，也请勿使用人身攻击的语言。',
    en: 'Describe what happened, factually, with links or screenshots as evidence, and say what you want done. Do not publish anyone’s phone number, address or other private data, and do not attack anyone.',
  },
  required: { 'zh-CN': '（必填）', en: ' (required)' },
  you: { 'zh-CN': '您的信息', en: 'About you' },
  name: { 'zh-CN': '姓名或昵称', en: 'Name' },
  email: {
    'zh-CN': '电子邮箱（用于接收投诉编号和查询链接）',
    en: 'Email (for your complaint number and tracking link)',
  },
  phone: { 'zh-CN': '手机号码（可选，用于接收短信通知）', en: 'Mobile number (optional, to be told by text)' },
  contactBy: { 'zh-CN': '通知方式', en: 'Tell me by' },
  byEmail: { 'zh-CN': '邮件', en: 'Email' },
  bySms: { 'zh-CN': '短信（需填写手机号码）', en: 'Text (needs a mobile number)' },
  byBoth: { 'zh-CN': '邮件和短信', en: 'Email and text' },
  complaint: { 'zh-CN': '投诉内容', en: 'Your complaint' },
  category: { 'zh-CN': '类别', en: 'Category' },
  evidenceRequired: { 'zh-CN': '（需附证据）', en: ' (evidence required)' },
  subjectType: { 'zh-CN': '投诉对象', en: 'What is it about?' },
  subjectRef: { 'zh-CN': '链接或 ID（如帖子链接、用户 ID）', en: 'Link or id (a post’s link, a user id)' },
  subjectName: { 'zh-CN': '对象名称（如帖子标题、用户名）', en: 'Its name (a post’s title, a user name)' },
  description: { 'zh-CN': '投诉事由：发生了什么', en: 'What happened' },
  desiredOutcome: { 'zh-CN': '处理要求：您希望我们怎么处理', en: 'What you want done' },
  occurredAt: { 'zh-CN': '发生时间（可选）', en: 'When it happened (optional)' },
  contactHistory: {
    'zh-CN': '沟通情况（可选；写明已与对方或版主沟通的经过，可优先处理）',
    en: 'Contact so far (optional; complaints that show earlier contact are handled first)',
  },
  evidence: {
    'zh-CN': '证据（截图、日志、视频、PDF；可多选）',
    en: 'Evidence (screenshots, logs, video, PDF; several allowed)',
  },
  evidenceHint: {
    'zh-CN': '图片、PDF、日志每个最大 {max}，视频最大 {video}。',
    en: 'Images, PDFs and logs up to {max} each, video up to {video}.',
  },
  submit: { 'zh-CN': '提交投诉', en: 'Submit complaint' },
  noscript: {
    'zh-CN':
      '此表单需要启用 JavaScript 才能提交并直接上传证据。如无法启用，请通过投诉热线或以 JSON 方式向 POST /complaints 提交。',
    en: 'This form needs JavaScript to submit and to upload evidence. Without it, call the complaints hotline or send JSON to POST /complaints.',
  },
  sending: { 'zh-CN': '正在提交…', en: 'Submitting…' },
  fixErrors: { 'zh-CN': '请修改标出的内容后再提交。', en: 'Please correct the marked fields and submit again.' },
  failed: { 'zh-CN': '提交失败，请稍后重试。', en: 'Submitting failed; please try again later.' },
  done: { 'zh-CN': '投诉已提交', en: 'Complaint filed' },
  number: { 'zh-CN': '您的投诉编号：', en: 'Your complaint number: ' },
  tracking: {
    'zh-CN': '查看处理进度（私人链接，请勿转发）',
    en: 'Follow its progress (a private link; do not share it)',
  },
  // Said of a repeat of an open case, which is answered with nothing of that case.
  duplicate: {
    'zh-CN': '投诉编号和查询链接已发送至您的邮箱。',
    en: 'The complaint number and tracking link are in your mailbox.',
  },
  uploading: { 'zh-CN': '正在上传：', en: 'Uploading: ' },
  uploaded: { 'zh-CN': '已上传：', en: 'Uploaded: ' },
  uploadFailed: { 'zh-CN': '上传失败：', en: 'Upload failed: ' },
  emailed: { 'zh-CN': '确认邮件已发送到您的邮箱。', en: 'A confirmation is on its way to your mailbox.' },
  evidenceByLink: {
    'zh-CN': '您填写的链接已作为证据，无需再上传。',
    en: 'The link you gave counts as the evidence; nothing more to upload.',
  },
  evidenceDue: {
    'zh-CN': '此类投诉需要证据：请在 {days} 天内通过上面的私人链接上传截图等文件，逾期未补充的投诉将被关闭。',
    en: 'This kind of complaint needs evidence: upload a screenshot or other file through the private link above within {days} days, or the complaint will be closed.',
  },
} satisfies Record<string, Text>;

/**
 * The evidence rule, as the form states it: which categories need evidence; for which subjects
 * their link is enough; that anything else needs an uploaded file, and by when.
 */
function evidenceRule(config: DeskConfig, l: Language): string | undefined {
  const needing = config.categories.filter((c) => c.evidenceRequired).map((c) => c.name[l]);
  if (!needing.length) return undefined;
  const zh = l === 'zh-CN';
  const byLink = config.evidence.linkIsEvidenceFor.map((type) => labelOf(SUBJECT_TYPE_LABELS, type)?.[l] ?? type);
  const days = Math.round(config.serviceLevels.evidenceSeconds / 86400);
  return zh
    ? `${needing.join('、')}类投诉需附证据。${byLink.length ? `投诉对象为${byLink.join('、')}的，填写其链接即可；` : ''}其他的须上传截图等文件，可现在上传，也可在提交后 ${days} 天内补传。`
    : `Complaints about ${needing.join(', ')} need evidence. ${byLink.length ? `For ${byLink.join(' or ').toLowerCase()}, its link is enough; ` : ''}anything else needs a screenshot or other file, now or within ${days} days of filing.`;
}

function field(input: {
  id: string;
  path: string;
  label: Text;
  language: Language;
  required?: boolean;
  control: SafeHtml;
  hint?: string;
}): SafeHtml {
  return html`<label for="${input.id}">${input.label[input.language]}${input.required ? T.required[input.language] : ''}</label>${input.hint ? html`<p class="hint" id="${input.id}-hint">${input.hint}</p>` : html``}${input.control}`;
}

export function complaintFormPage(input: {
  language: Language;
  config: DeskConfig;
  scriptNonce: string;
  apiBaseUrl: string;
}): string {
  const { language: l, config } = input;
  const zh = l === 'zh-CN';
  // What the script needs (./browser/complaint-form.browser.ts), as data-* attributes of the form.
  const data: ComplaintFormData = {
    api: input.apiBaseUrl,
    sending: T.sending[l],
    fixErrors: T.fixErrors[l],
    failed: T.failed[l],
    duplicate: T.duplicate[l],
    uploading: T.uploading[l],
    uploaded: T.uploaded[l],
    uploadFailed: T.uploadFailed[l],
  };
  const sizes = T.evidenceHint[l]
    .replace('{max}', formatLimit(config.evidence.maxBytes))
    .replace('{video}', formatLimit(config.evidence.videoMaxBytes));
  const rule = evidenceRule(config, l);
  const evidenceHint = rule ? `${rule} ${sizes}` : sizes;
  const body = html`<style>input[type=tel],input[type=datetime-local]{width:100%;font:inherit;padding:.5rem;border:1px solid #b9c0cb;border-radius:6px}.hint{margin:0 0 .25rem;color:#5b6472;font-size:.9em}[aria-invalid=true]{border-color:#c0392b}button[disabled]{opacity:.5}</style>
<section class="notice"><p>${T.intro[l]}</p></section>
<section id="needs-script" class="error"><p>${T.noscript[l]}</p></section>
<div id="form-status" role="alert" aria-live="assertive"></div>
<form id="complaint-form" ${dataAttributes(data)}>
<section aria-labelledby="about-you"><h2 id="about-you">${T.you[l]}</h2>
${field({ id: 'name', path: 'complainant.name', label: T.name, language: l, required: true, control: html`<input type="text" id="name" name="name" data-path="complainant.name" required maxlength="${LIMITS.name}" autocomplete="name">` })}
${field({ id: 'email', path: 'complainant.email', label: T.email, language: l, required: true, control: html`<input type="email" id="email" name="email" data-path="complainant.email" required maxlength="${LIMITS.email}" autocomplete="email">` })}
${field({ id: 'phone', path: 'complainant.phone', label: T.phone, language: l, control: html`<input type="tel" id="phone" name="phone" data-path="complainant.phone" maxlength="${LIMITS.phone}" pattern="\\+?[0-9 \\(\\)\\-]{5,}" autocomplete="tel">` })}
</section>
<section aria-labelledby="your-complaint"><h2 id="your-complaint">${T.complaint[l]}</h2>
${field({
  id: 'category',
  path: 'category',
  label: T.category,
  language: l,
  required: true,
  control: html`<select id="category" name="category" data-path="category" required><option value="">—</option>${config.categories.map(
    (c) => html`<option value="${c.id}">${c.name[l]}${c.evidenceRequired ? T.evidenceRequired[l] : ''}</option>`,
  )}</select>`,
})}
${field({
  id: 'subjectType',
  path: 'subject.type',
  label: T.subjectType,
  language: l,
  required: true,
  control: html`<select id="subjectType" name="subjectType" data-path="subject.type" required>${SUBJECT_TYPES.map((type) => html`<option value="${type}">${SUBJECT_TYPE_LABELS[type]![l]}</option>`)}</select>`,
})}
${field({ id: 'subjectRef', path: 'subject.ref', label: T.subjectRef, language: l, control: html`<input type="text" id="subjectRef" name="subjectRef" data-path="subject.ref" maxlength="${LIMITS.ref}" inputmode="url">` })}
${field({ id: 'subjectName', path: 'subject.name', label: T.subjectName, language: l, control: html`<input type="text" id="subjectName" name="subjectName" data-path="subject.name" maxlength="${LIMITS.subjectName}">` })}
${field({ id: 'description', path: 'description', label: T.description, language: l, required: true, control: html`<textarea id="description" name="description" data-path="description" rows="6" required minlength="${LIMITS.description.min}" maxlength="${LIMITS.description.max}"></textarea>` })}
${field({ id: 'desiredOutcome', path: 'desiredOutcome', label: T.desiredOutcome, language: l, control: html`<textarea id="desiredOutcome" name="desiredOutcome" data-path="desiredOutcome" rows="3" maxlength="${LIMITS.desiredOutcome}"></textarea>` })}
${field({ id: 'occurredAt', path: 'occurredAt', label: T.occurredAt, language: l, control: html`<input type="datetime-local" id="occurredAt" name="occurredAt" data-path="occurredAt">` })}
${field({ id: 'contactHistory', path: 'contactHistory', label: T.contactHistory, language: l, control: html`<textarea id="contactHistory" name="contactHistory" data-path="contactHistory" rows="3" maxlength="${LIMITS.contactHistory}"></textarea>` })}
${field({ id: 'evidence', path: 'evidence', label: T.evidence, language: l, hint: evidenceHint, control: html`<input type="file" id="evidence" name="evidence" multiple accept="${config.evidence.contentTypes.join(',')}" aria-describedby="evidence-hint">` })}
</section>
${field({ id: 'contactBy', path: 'complainant.contactBy', label: T.contactBy, language: l, control: html`<select id="contactBy" name="contactBy" data-path="complainant.contactBy"><option value="email">${T.byEmail[l]}</option><option value="sms">${T.bySms[l]}</option><option value="both">${T.byBoth[l]}</option></select>` })}
<button type="submit" disabled>${T.submit[l]}</button>
</form>
<section id="confirmation" class="ok" hidden>
<h2 tabindex="-1">${T.done[l]}</h2>
<p>${T.number[l]}<strong data-number></strong></p>
<p><a data-tracking href="#">${T.tracking[l]}</a></p>
<p>${T.emailed[l]}</p>
<p data-evidence="link" hidden>${T.evidenceByLink[l]}</p>
<p data-evidence="file" class="notice" hidden>${T.evidenceDue[l].replace('{days}', String(Math.round(config.serviceLevels.evidenceSeconds / 86400)))}</p>
<ul data-uploads aria-live="polite"></ul>
</section>
${inlineScript(input.scriptNonce, COMPLAINT_FORM_SCRIPT)}`;
  return page({ title: T.title[l], language: l, langSwitch: `?lang=${zh ? 'en' : 'zh-CN'}`, body });
}
