import type { Language } from '../domain/language';
import { STEP_LABELS, type HumanStep } from '../domain/lifecycle';
import type { EmailMessage } from './emails';
import { escapeHtml, formatTime } from './layout';

function message(to: string, subject: string, paragraphs: string[]): EmailMessage {
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">${paragraphs
    .map((p) => `<p>${escapeHtml(p).replace(/(https?:\/\/[^\s<]+)/g, (url) => `<a href="${url}">${url}</a>`).replace(/\n/g, '<br>')}</p>`)
    .join('')}</body></html>`;
  return { to, subject, text: paragraphs.join('\n\n'), html };
}

/** Seed 003 (duplicates): the complainant is told which case their new filing joined. */
export function duplicateLinkedEmail(input: { to: string; name: string; number: string; trackingUrl: string; language: Language }): EmailMessage {
  if (input.language === 'zh-CN') {
    return message(input.to, `[${input.number}] 您的再次投诉已并入原投诉`, [
      `${input.name}，您好：`,
      `您刚才提交的投诉与您 7 天内就同一事项提交、仍在处理中的投诉 ${input.number} 相同，我们没有另立新案，已将您新提交的内容并入 ${input.number}，由同一处理人员一并处理。`,
      `查看进度：\n${input.trackingUrl}`,
      `Redress 投诉处理中心`,
    ]);
  }
  return message(input.to, `[${input.number}] Your new filing was added to your open complaint`, [
    `Dear ${input.name},`,
    `What you just filed is about the same matter as your open complaint ${input.number}, filed within the last 7 days. Rather than open a second case, we added what you wrote to ${input.number}; the same handler deals with both.`,
    `Follow its progress:\n${input.trackingUrl}`,
    `The Redress complaints desk`,
  ]);
}

/** A reminder (催办) reaches the current assignee; staff emails carry both languages. */
export function reminderEmail(input: { to: string; number: string; step?: HumanStep; deadlineAt?: string; timeZone: string }): EmailMessage {
  const step = input.step ? STEP_LABELS[input.step] : { 'zh-CN': '处理', en: 'handling' };
  const due = (language: Language) => (input.deadlineAt ? formatTime(input.deadlineAt, language, input.timeZone) : '');
  return message(input.to, `[${input.number}] 投诉人催办 / Reminder from the complainant`, [
    `投诉人就投诉 ${input.number} 发来催办。该投诉正等待您的${step['zh-CN']}${input.deadlineAt ? `，期限为 ${due('zh-CN')}` : ''}。请使用此前邮件中的任务链接处理。`,
    `The complainant sent a reminder about complaint ${input.number}. It is waiting for your ${step.en.toLowerCase()}${input.deadlineAt ? `, due by ${due('en')}` : ''}. Please act through the task link in the earlier email.`,
  ]);
}
