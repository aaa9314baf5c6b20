import type { Language } from '../domain/language';
import type { EmailMessage } from '../lib/email-message';
import { message } from './emails';
import { formatTime } from './layout';

/**
 * The desk's messages by mail. A file sent with a message is never attached: the mail names it
 * and the recipient fetches it through their own page (tracking link or respondent link), where
 * the download link works for them only and expires.
 */

/** To the complainant, in their language, from the case's reply address (a reply lands on the case). */
export function complainantMessageEmail(input: {
  to: string;
  replyTo?: string;
  name: string;
  number: string;
  trackingUrl: string;
  language: Language;
  text: string;
  awaitUntil?: string;
  attachmentNames: string[];
  timeZone: string;
}): EmailMessage {
  const zh = input.language === 'zh-CN';
  const until = input.awaitUntil ? formatTime(input.awaitUntil, input.language, input.timeZone) : undefined;
  const files = input.attachmentNames.join(zh ? '、' : ', ');
  if (zh)
    return message(input, `[${input.number}] 处理人员给您的消息`, [
      `${input.name}，您好：`,
      `关于您的投诉 ${input.number}，处理人员写道：`,
      input.text,
      ...(files ? [`附件（请在查询页面下载，链接仅您本人可用）：${files}`] : []),
      ...(until ? [`请在 ${until} 前回复。`] : []),
      `${input.replyTo ? '请直接回复本邮件，或' : '请'}在查询页面回复：\n${input.trackingUrl}`,
      `Redress 投诉处理中心`,
    ]);
  return message(input, `[${input.number}] A message about your complaint`, [
    `Dear ${input.name},`,
    `About your complaint ${input.number}, the handler writes:`,
    input.text,
    ...(files ? [`Attached (download it on your tracking page; the link works for you only): ${files}`] : []),
    ...(until ? [`Please answer by ${until}.`] : []),
    `${input.replyTo ? 'Reply to this email, or answer' : 'Answer'} on your tracking page:\n${input.trackingUrl}`,
    `The Redress complaints desk`,
  ]);
}

/** To the respondent (no known language: both), with their own link to answer and fetch files; never the complainant's identity. */
export function respondentMessageEmail(input: {
  to: string;
  number: string;
  text: string;
  respondUrl: string;
  awaitUntil?: string;
  attachmentNames: string[];
  timeZone: string;
}): EmailMessage {
  const zhUntil = input.awaitUntil ? formatTime(input.awaitUntil, 'zh-CN', input.timeZone) : undefined;
  const enUntil = input.awaitUntil ? formatTime(input.awaitUntil, 'en', input.timeZone) : undefined;
  const files = input.attachmentNames.join(', ');
  return message(input, `[${input.number}] 关于一项投诉的消息 / A message about a complaint`, [
    `关于一项与您有关的投诉（${input.number}），处理人员写道：`,
    input.text,
    ...(files ? [`附件请通过以下链接下载 / Files to download through the link below: ${files}`] : []),
    `${zhUntil ? `请在 ${zhUntil} 前` : '请'}通过以下链接回复：`,
    input.respondUrl,
    `About a complaint that concerns you (${input.number}), the handler writes the message above. ${enUntil ? `Please answer by ${enUntil} ` : 'Please answer '}through the link above.`,
  ]);
}

/** The complainant learns, in their language, that a case of theirs now goes on as another, and where to follow it. */
export function mergedEmail(input: {
  to: string;
  replyTo?: string;
  name: string;
  number: string;
  language: Language;
  intoNumber: string;
  intoTrackingUrl: string;
}): EmailMessage {
  if (input.language === 'zh-CN')
    return message(input, `[${input.number}] 您的投诉已并入 ${input.intoNumber}`, [
      `${input.name}，您好：`,
      `您的投诉 ${input.number} 与您的另一件投诉 ${input.intoNumber} 涉及同一事项，已并入其中一并处理。您提交的材料和消息都已转入 ${input.intoNumber}。`,
      `请通过以下链接继续查看进度：\n${input.intoTrackingUrl}`,
      `Redress 投诉处理中心`,
    ]);
  return message(input, `[${input.number}] Your complaint now continues as ${input.intoNumber}`, [
    `Dear ${input.name},`,
    `Your complaint ${input.number} is about the same matter as your complaint ${input.intoNumber}, so we merged them and handle them together. What you sent, files and messages, is with ${input.intoNumber}.`,
    `Follow it through this link:\n${input.intoTrackingUrl}`,
    `The Redress complaints desk`,
  ]);
}
