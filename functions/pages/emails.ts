import type { DeskConfig } from '../domain/config';
import { findCategory } from '../domain/config';
import type { Language } from '../domain/language';
import { REJECTION_EXPLANATIONS, STEP_LABELS, type HumanStep, type RejectionReason } from '../domain/lifecycle';
import { escapeHtml, formatTime } from './layout';

/** One email, with a plain-text body and an HTML body that say the same. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

function htmlOf(paragraphs: string[]): string {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">${paragraphs
    .map((p) => `<p>${escapeHtml(p).replace(/(https?:\/\/[^\s<]+)/g, (url) => `<a href="${url}">${url}</a>`).replace(/\n/g, '<br>')}</p>`)
    .join('')}</body></html>`;
}

function message(to: string, subject: string, paragraphs: string[]): EmailMessage {
  return { to, subject, text: paragraphs.join('\n\n'), html: htmlOf(paragraphs) };
}

export function acknowledgementEmail(input: { to: string; name: string; number: string; trackingUrl: string; categoryId: string; acceptanceDeadlineAt: string; language: Language; config: DeskConfig }): EmailMessage {
  const category = findCategory(input.config, input.categoryId)?.name[input.language] ?? input.categoryId;
  const due = formatTime(input.acceptanceDeadlineAt, input.language, input.config.timeZone);
  if (input.language === 'zh-CN') {
    return message(input.to, `[${input.number}] 我们已收到您的投诉`, [
      `${input.name}，您好：`,
      `我们已收到您的投诉，投诉编号为 ${input.number}（类别：${category}）。请保存此编号，电话查询时可直接报出。`,
      `我们将在 ${due} 前完成受理审核，并通过邮件告知结果。`,
      `您可以随时通过以下私人链接查看处理进度和记录（请勿转发给他人）：\n${input.trackingUrl}`,
      `Redress 投诉处理中心`,
    ]);
  }
  return message(input.to, `[${input.number}] We have received your complaint`, [
    `Dear ${input.name},`,
    `We have received your complaint. Its number is ${input.number} (category: ${category}). Keep this number; you can quote it on the phone.`,
    `We will finish the acceptance review by ${due} and tell you the result by email.`,
    `Follow its progress and history at any time through this private link (do not share it):\n${input.trackingUrl}`,
    `The Redress complaints desk`,
  ]);
}

/** Staff emails carry both languages: teams are mixed, and the page follows the reader's choice. */
export function taskAssignedEmail(input: { to: string; number: string; step: HumanStep; taskUrl: string; deadlineAt: string; config: DeskConfig }): EmailMessage {
  const zhDue = formatTime(input.deadlineAt, 'zh-CN', input.config.timeZone);
  const enDue = formatTime(input.deadlineAt, 'en', input.config.timeZone);
  return message(input.to, `[${input.number}] 待办：${STEP_LABELS[input.step]['zh-CN']} / To do: ${STEP_LABELS[input.step].en}`, [
    `投诉 ${input.number} 等待您的${STEP_LABELS[input.step]['zh-CN']}，请在 ${zhDue} 前处理。打开链接查看投诉并提交决定（仅打开不会作出任何决定）：`,
    input.taskUrl,
    `Complaint ${input.number} awaits your ${STEP_LABELS[input.step].en.toLowerCase()}; please act by ${enDue}. Open the link to read it and record your decision (opening it decides nothing).`,
    `此链接仅供您本人使用，请勿转发。/ This link is for you alone; do not forward it.`,
  ]);
}

export function acceptedEmail(input: { to: string; name: string; number: string; trackingUrl: string; language: Language }): EmailMessage {
  if (input.language === 'zh-CN') {
    return message(input.to, `[${input.number}] 您的投诉已受理`, [
      `${input.name}，您好：`,
      `您的投诉 ${input.number} 已通过受理审核，我们将展开调查，并在调查后答复您。`,
      `查看进度：\n${input.trackingUrl}`,
      `Redress 投诉处理中心`,
    ]);
  }
  return message(input.to, `[${input.number}] Your complaint has been accepted`, [
    `Dear ${input.name},`,
    `Your complaint ${input.number} has passed the acceptance review. We will now investigate it and reply to you with the result.`,
    `Follow its progress:\n${input.trackingUrl}`,
    `The Redress complaints desk`,
  ]);
}

export function rejectedEmail(input: { to: string; name: string; number: string; trackingUrl: string; reason: RejectionReason; language: Language }): EmailMessage {
  const explanation = REJECTION_EXPLANATIONS[input.reason][input.language];
  if (input.language === 'zh-CN') {
    return message(input.to, `[${input.number}] 您的投诉未予受理`, [`${input.name}，您好：`, `经审核，您的投诉 ${input.number} 未予受理。`, `理由：${explanation}`, `查看记录：\n${input.trackingUrl}`, `Redress 投诉处理中心`]);
  }
  return message(input.to, `[${input.number}] Your complaint was not accepted`, [`Dear ${input.name},`, `After review, your complaint ${input.number} was not accepted.`, `Reason: ${explanation}`, `See its record:\n${input.trackingUrl}`, `The Redress complaints desk`]);
}
