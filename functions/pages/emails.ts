import type { DeskConfig } from '../domain/config';
import { defang } from '../domain/defang';
import { escalationLevelName, findCategory } from '../domain/desk';
import type { Language } from '../domain/language';
import { REJECTION_EXPLANATIONS, STEP_LABELS, type HumanStep, type RejectionReason } from '../domain/lifecycle';
import type { EmailMessage } from '../lib/email-message';
import { escapeHtml, formatTime } from './layout';
import type { AnalyticsView } from '../domain/analytics';
import { mailBars } from './charts';
import { ANALYTICS_LABELS } from './labels';
import { COUNTED_FIGURES, weeklyFigures } from '../domain/analytics-counts';

/**
 * A line that is nothing but a link is one the desk wrote (a tracking or task link on its own
 * line): only those become links, so text a person typed (a name, a question, a reply) is never
 * turned into a link. Links open a new window: mail viewers show mail in frames that Redress
 * pages refuse to be shown in.
 */
function lineHtml(line: string): string {
  const escaped = escapeHtml(line);
  return /^https?:\/\/\S+$/.test(line)
    ? `<a href="${escaped}" target="_blank" rel="noopener noreferrer">${escaped}</a>`
    : escaped;
}

function htmlOf(paragraphs: string[]): string {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">${paragraphs.map((p) => `<p>${p.split('\n').map(lineHtml).join('<br>')}</p>`).join('')}</body></html>`;
}

/** `recipient` is the address, or a recipient that may carry a Reply-To (the case's reply address). */
export function message(
  recipient: string | { to: string; replyTo?: string; language?: Language },
  subject: string,
  paragraphs: string[],
): EmailMessage {
  const { to, replyTo, language } = typeof recipient === 'string' ? { to: recipient } : recipient;
  return {
    to,
    ...(replyTo ? { replyTo } : {}),
    // The sender's name is said in the reader's language (both for a mail in both).
    ...(language ? { language } : {}),
    subject,
    text: paragraphs.join('\n\n'),
    html: htmlOf(paragraphs),
  };
}

export function acknowledgementEmail(input: {
  to: string;
  replyTo?: string;
  name: string;
  number: string;
  trackingUrl: string;
  categoryId: string;
  acceptanceDeadlineAt: string;
  language: Language;
  config: DeskConfig;
}): EmailMessage {
  const category = findCategory(input.config, input.categoryId)?.name[input.language] ?? input.categoryId;
  const due = formatTime(input.acceptanceDeadlineAt, input.language, input.config.timeZone);
  if (input.language === 'zh-CN') {
    return message(input, `[${input.number}] 我们已收到您的投诉`, [
      `${input.name}，您好：`,
      `我们已收到您的投诉，投诉编号为 ${input.number}（类别：${category}）。请保存此编号，电话查询时可直接报出。`,
      `我们将在 ${due} 前完成受理审核，并通过邮件告知结果。`,
      `您可以随时通过以下私人链接查看处理进度和记录（请勿转发给他人）：\n${input.trackingUrl}`,
      ...(input.replyTo ? [`如需补充说明或材料，请直接回复本邮件（可附上截图等文件），您的回复会记入此投诉。`] : []),
      `Redress 投诉处理中心`,
    ]);
  }
  return message(input, `[${input.number}] We have received your complaint`, [
    `Dear ${input.name},`,
    `We have received your complaint. Its number is ${input.number} (category: ${category}). Keep this number; you can quote it on the phone.`,
    `We will finish the acceptance review by ${due} and tell you the result by email.`,
    `Follow its progress and history at any time through this private link (do not share it):\n${input.trackingUrl}`,
    ...(input.replyTo
      ? [
          `To add detail or files, reply to this email (attachments are welcome); your reply is added to this complaint.`,
        ]
      : []),
    `The Redress complaints desk`,
  ]);
}

/** Staff emails carry both languages: teams are mixed, and the page follows the reader's choice. */
export function taskAssignedEmail(input: {
  to: string;
  number: string;
  step: HumanStep;
  taskUrl: string;
  deadlineAt: string;
  config: DeskConfig;
  escalatedFrom?: string;
  breached?: boolean;
}): EmailMessage {
  const zhDue = formatTime(input.deadlineAt, 'zh-CN', input.config.timeZone);
  const enDue = formatTime(input.deadlineAt, 'en', input.config.timeZone);
  const zhStep = STEP_LABELS[input.step]['zh-CN'];
  const enStep = STEP_LABELS[input.step].en;
  const prefix = input.breached ? '【已严重超时 / BREACHED】' : input.escalatedFrom ? '【超时上报 / Escalated】' : '';
  return message(input, `${prefix}[${input.number}] 待办：${zhStep} / To do: ${enStep}`, [
    // Whoever missed the deadline is named only to someone else: a holder is never told that they themselves missed it.
    ...(input.escalatedFrom && input.escalatedFrom !== input.to
      ? [
          `${input.escalatedFrom} 未在期限内完成此任务，现转交给您。/ ${input.escalatedFrom} missed the deadline; the task is now yours.`,
        ]
      : []),
    ...(input.breached
      ? [
          `此任务已超过全部上报期限，现由您负责，直至有人作出决定；在此之前每天会再次提醒，投诉人已获知处理延误。/ This task is past every escalation deadline. It is yours until someone decides it; a reminder follows each day until then, and the complainant has been told it is late.`,
        ]
      : []),
    `投诉 ${input.number} 等待您的${zhStep}，请在 ${zhDue} 前处理。打开链接查看投诉并提交决定（仅打开不会作出任何决定）：`,
    input.taskUrl,
    `Complaint ${input.number} awaits your ${enStep.toLowerCase()}; please act by ${enDue}. Open the link to read it and record your decision (opening it decides nothing).`,
    `此链接仅供您本人使用，请勿转发。/ This link is for you alone; do not forward it.`,
  ]);
}

/** To the person a task was taken from by a reassignment: it is someone else's now, and why. */
export function taskReassignedAwayEmail(input: {
  to: string;
  number: string;
  step: HumanStep;
  newHolder: string;
  by: string;
  reason: string;
}): EmailMessage {
  const zhStep = STEP_LABELS[input.step]['zh-CN'];
  const enStep = STEP_LABELS[input.step].en;
  return message(input, `[${input.number}] 任务已改派 / Task reassigned: ${enStep}`, [
    `投诉 ${input.number} 的${zhStep}已由 ${input.by} 改派给 ${input.newHolder}，您无需再处理；此前邮件中的任务链接已失效。`,
    `理由：${input.reason}`,
    `The ${enStep.toLowerCase()} of complaint ${input.number} was reassigned to ${input.newHolder} by ${input.by}; nothing more is needed from you, and the task link in the earlier email no longer works.`,
    `Reason: ${input.reason}`,
  ]);
}

type Recipient = {
  to: string;
  replyTo?: string;
  name: string;
  number: string;
  trackingUrl: string;
  language: Language;
};

export function evidenceRequestEmail(input: Recipient & { deadlineAt: string; config: DeskConfig }): EmailMessage {
  const due = formatTime(input.deadlineAt, input.language, input.config.timeZone);
  if (input.language === 'zh-CN') {
    return message(input, `[${input.number}] 请补充证据`, [
      `${input.name}，您好：`,
      `此类投诉需要证据文件（截图、日志、录像或 PDF）才能受理。请在 ${due} 前通过以下私人链接上传：`,
      input.trackingUrl,
      `逾期未补充的，投诉将被关闭。`,
      `Redress 投诉处理中心`,
    ]);
  }
  return message(input, `[${input.number}] Please add evidence`, [
    `Dear ${input.name},`,
    `This kind of complaint needs evidence as a file (a screenshot, log, video or PDF) before it can be reviewed. Please upload it by ${due} through your private link:`,
    input.trackingUrl,
    `If none arrives by then, the complaint will be closed.`,
    `The Redress complaints desk`,
  ]);
}

export function informationRequestEmail(
  input: Recipient & { question: string; taskUrl: string; deadlineAt: string; config: DeskConfig },
): EmailMessage {
  const due = formatTime(input.deadlineAt, input.language, input.config.timeZone);
  if (input.language === 'zh-CN') {
    return message(input, `[${input.number}] 请补充信息`, [
      `${input.name}，您好：`,
      `处理人员需要您补充以下信息：`,
      input.question,
      `请在 ${due} 前通过以下链接回复（也可在查询页面补充证据）：`,
      input.taskUrl,
      ...(input.replyTo ? [`也可以直接回复本邮件作答。`] : []),
      `逾期未回复的，投诉将被关闭。`,
      `Redress 投诉处理中心`,
    ]);
  }
  return message(input, `[${input.number}] We need more information`, [
    `Dear ${input.name},`,
    `The handler needs you to tell us more:`,
    input.question,
    `Please answer by ${due} through this link (you can also add evidence on your tracking page):`,
    input.taskUrl,
    ...(input.replyTo ? [`You can also answer by replying to this email.`] : []),
    `If no answer arrives by then, the complaint will be closed.`,
    `The Redress complaints desk`,
  ]);
}

/** The respondent sees the question and the subject, never the complainant's identity. */
export function statementRequestEmail(input: {
  to: string;
  number: string;
  question: string;
  taskUrl: string;
  deadlineAt: string;
  config: DeskConfig;
}): EmailMessage {
  const zhDue = formatTime(input.deadlineAt, 'zh-CN', input.config.timeZone);
  const enDue = formatTime(input.deadlineAt, 'en', input.config.timeZone);
  return message(input, `[${input.number}] 请就一项投诉作出说明 / Your statement on a complaint`, [
    `我们正在调查一项与您有关的投诉（${input.number}），请您说明情况：`,
    input.question,
    `请在 ${zhDue} 前通过以下链接提交说明；逾期未说明的，我们将根据现有材料处理。`,
    input.taskUrl,
    `We are investigating a complaint that concerns you (${input.number}) and ask for your side: ${input.question} Please answer by ${enDue} through the link above; without an answer we will decide on what we have.`,
  ]);
}

/** The outside bodies a complainant may still turn to. */
const OUTSIDE_BODIES = {
  'zh-CN':
    '如对处理结果仍不满意，您还可以向消费者协会或市场监管部门（12315）投诉；涉及互联网信息服务的，可向国家互联网信息办公室或当地通信管理局反映。',
  en: 'If you are still not satisfied, you may complain to a consumer association or the market regulator (12315 in China); for internet information services, to the Cyberspace Administration or the local communications administration.',
};

export function replyEmail(
  input: Recipient & {
    reply: string;
    grounds?: string;
    followUp?: string;
    surveyUrl: string;
    reviewBy: string;
    config: DeskConfig;
  },
): EmailMessage {
  const reviewBy = formatTime(input.reviewBy, input.language, input.config.timeZone);
  if (input.language === 'zh-CN') {
    return message(input, `[${input.number}] 投诉处理结果`, [
      `${input.name}，您好：`,
      `关于您的投诉 ${input.number}，处理结果如下：`,
      input.reply,
      ...(input.grounds ? [`依据：${input.grounds}`] : []),
      ...(input.followUp ? [`后续安排：${input.followUp}`] : []),
      `请您对处理结果评价（1–5 分），只有提交才会记录：`,
      input.surveyUrl,
      `如对结果有异议，您可在 ${reviewBy} 前申请一次复核（在上述评价页面或您的查询页面提出），复核结论为最终结论。`,
      OUTSIDE_BODIES['zh-CN'],
      `查看记录：\n${input.trackingUrl}`,
      `Redress 投诉处理中心`,
    ]);
  }
  return message(input, `[${input.number}] The outcome of your complaint`, [
    `Dear ${input.name},`,
    `Here is the outcome of your complaint ${input.number}:`,
    input.reply,
    ...(input.grounds ? [`Grounds: ${input.grounds}`] : []),
    ...(input.followUp ? [`Follow-up: ${input.followUp}`] : []),
    `Please rate the outcome (1–5); only submitting the form records anything:`,
    input.surveyUrl,
    `If you disagree, you may ask once for a review by ${reviewBy} (on the rating page or your tracking page); the review's ruling is final.`,
    OUTSIDE_BODIES.en,
    `Your record:\n${input.trackingUrl}`,
    `The Redress complaints desk`,
  ]);
}

export function rulingEmail(
  input: Recipient & { upheld: boolean; reason: string; reply?: string; grounds?: string },
): EmailMessage {
  if (input.language === 'zh-CN') {
    return message(input, `[${input.number}] 复核结论（最终）`, [
      `${input.name}，您好：`,
      input.upheld ? `经复核，维持原处理结果。` : `经复核，撤销原处理结果，新的处理结果如下：`,
      ...(input.upheld ? [] : [input.reply ?? '', ...(input.grounds ? [`依据：${input.grounds}`] : [])]),
      `复核意见：${input.reason}`,
      `此为最终结论，同一事项的再次投诉将不予受理。`,
      OUTSIDE_BODIES['zh-CN'],
      `查看记录：\n${input.trackingUrl}`,
    ]);
  }
  return message(input, `[${input.number}] Review ruling (final)`, [
    `Dear ${input.name},`,
    input.upheld
      ? `On review, the original outcome stands.`
      : `On review, the original outcome is overturned. The new outcome:`,
    ...(input.upheld ? [] : [input.reply ?? '', ...(input.grounds ? [`Grounds: ${input.grounds}`] : [])]),
    `The reviewer's reasons: ${input.reason}`,
    `This ruling is final; a further complaint on the same matter will not be accepted.`,
    OUTSIDE_BODIES.en,
    `Your record:\n${input.trackingUrl}`,
  ]);
}

/** Sent once, when a case passes its last escalation: it is late, and when the complainant may expect it. */
export function delayNoticeEmail(
  input: Recipient & { step: HumanStep; expectedBy: string; timeZone: string },
): EmailMessage {
  const zh = input.language === 'zh-CN';
  const step = STEP_LABELS[input.step][zh ? 'zh-CN' : 'en'];
  const by = formatTime(input.expectedBy, input.language, input.timeZone);
  return message(
    input,
    zh ? `[${input.number}] 您的投诉处理已延误` : `[${input.number}] Your complaint is running late`,
    [
      zh ? `${input.name}，您好：` : `Dear ${input.name},`,
      zh
        ? `很抱歉，您的投诉 ${input.number} 在“${step}”环节未能在规定期限内处理。我们已将其交由负责人优先处理，预计于 ${by} 前给您答复。`
        : `We are sorry: your complaint ${input.number} was not handled within its time limit at the ${step.toLowerCase()} stage. It is now with the person responsible for late cases, and you can expect an answer by ${by}.`,
      zh
        ? `您可随时通过以下链接查看进度或催办：\n${input.trackingUrl}`
        : `You can follow it or send a reminder at any time:\n${input.trackingUrl}`,
      zh ? `Redress 投诉处理中心` : `The Redress complaints desk`,
    ],
  );
}

export function closedEmail(input: Recipient & { outcome: 'abandoned' | 'withdrawn' }): EmailMessage {
  const zh = input.language === 'zh-CN';
  const text =
    input.outcome === 'withdrawn'
      ? zh
        ? `您已撤回投诉 ${input.number}，我们已停止处理。`
        : `You withdrew complaint ${input.number}; we have stopped handling it.`
      : zh
        ? `由于未在期限内收到您的回复，投诉 ${input.number} 已关闭。如仍需处理，请重新提交投诉。`
        : `We did not hear from you in time, so complaint ${input.number} is closed. File a new complaint if you still need us to act.`;
  return message(input, zh ? `[${input.number}] 投诉已关闭` : `[${input.number}] Complaint closed`, [
    zh ? `${input.name}，您好：` : `Dear ${input.name},`,
    text,
    input.trackingUrl,
    zh ? `Redress 投诉处理中心` : `The Redress complaints desk`,
  ]);
}

export function acceptedEmail(input: {
  to: string;
  name: string;
  number: string;
  trackingUrl: string;
  language: Language;
}): EmailMessage {
  if (input.language === 'zh-CN') {
    return message(input, `[${input.number}] 您的投诉已受理`, [
      `${input.name}，您好：`,
      `您的投诉 ${input.number} 已通过受理审核，我们将展开调查，并在调查后答复您。`,
      `查看进度：\n${input.trackingUrl}`,
      `Redress 投诉处理中心`,
    ]);
  }
  return message(input, `[${input.number}] Your complaint has been accepted`, [
    `Dear ${input.name},`,
    `Your complaint ${input.number} has passed the acceptance review. We will now investigate it and reply to you with the result.`,
    `Follow its progress:\n${input.trackingUrl}`,
    `The Redress complaints desk`,
  ]);
}

/** The complainant's request for a review (复核) is recorded: what happens next. */
export function reviewRequestedEmail(input: {
  to: string;
  replyTo?: string;
  name: string;
  number: string;
  trackingUrl: string;
  reason: string;
  language: Language;
}): EmailMessage {
  const reason = defang(input.reason);
  if (input.language === 'zh-CN') {
    return message(input, `[${input.number}] 已收到您的复核申请`, [
      `${input.name}，您好：`,
      `我们已收到您对投诉 ${input.number} 的复核申请，将由未参与处理的主管复核，并将复核结果通知您。`,
      `您的理由：${reason}`,
      `查看进度：\n${input.trackingUrl}`,
      `Redress 投诉处理中心`,
    ]);
  }
  return message(input, `[${input.number}] Your request for a review is received`, [
    `Dear ${input.name},`,
    `We have received your request for a review of complaint ${input.number}. A supervisor who did not handle it will review it, and we will tell you the result.`,
    `Your reason: ${reason}`,
    `Follow its progress:\n${input.trackingUrl}`,
    `The Redress complaints desk`,
  ]);
}

export function rejectedEmail(input: {
  to: string;
  name: string;
  number: string;
  trackingUrl: string;
  reason: RejectionReason;
  /** What the handler wrote to the complainant, beside the fixed reason. */
  message?: string;
  language: Language;
}): EmailMessage {
  const explanation = REJECTION_EXPLANATIONS[input.reason][input.language];
  // Typed by a person: never a live link.
  const said = input.message ? defang(input.message) : undefined;
  if (input.language === 'zh-CN') {
    return message(input, `[${input.number}] 您的投诉未予受理`, [
      `${input.name}，您好：`,
      `经审核，您的投诉 ${input.number} 未予受理。`,
      `理由：${explanation}`,
      ...(said ? [`处理人员留言：${said}`] : []),
      `查看记录：\n${input.trackingUrl}`,
      `Redress 投诉处理中心`,
    ]);
  }
  return message(input, `[${input.number}] Your complaint was not accepted`, [
    `Dear ${input.name},`,
    `After review, your complaint ${input.number} was not accepted.`,
    `Reason: ${explanation}`,
    ...(said ? [`A word from the desk: ${said}`] : []),
    `See its record:\n${input.trackingUrl}`,
    `The Redress complaints desk`,
  ]);
}

/** A repeat filing on an open case: the complainant is told which case it joined. */
export function duplicateLinkedEmail(input: {
  to: string;
  name: string;
  number: string;
  trackingUrl: string;
  language: Language;
  duplicateDays: number;
}): EmailMessage {
  if (input.language === 'zh-CN') {
    return message(input, `[${input.number}] 您的再次投诉已并入原投诉`, [
      `${input.name}，您好：`,
      `您刚才提交的投诉与您 ${input.duplicateDays} 天内就同一事项提交、仍在处理中的投诉 ${input.number} 相同，我们没有另立新案，已将您新提交的内容并入 ${input.number}，由同一处理人员一并处理。`,
      `查看进度：\n${input.trackingUrl}`,
      `Redress 投诉处理中心`,
    ]);
  }
  return message(input, `[${input.number}] Your new filing was added to your open complaint`, [
    `Dear ${input.name},`,
    `What you just filed is about the same matter as your open complaint ${input.number}, filed within the last ${input.duplicateDays} days. Rather than open a second case, we added what you wrote to ${input.number}; the same handler deals with both.`,
    `Follow its progress:\n${input.trackingUrl}`,
    `The Redress complaints desk`,
  ]);
}

/**
 * A filing about a matter with a final ruling, held until its sender confirms it: confirming
 * counts it as malicious (a ban); not confirming leaves everything as it was.
 */
export function heldFilingEmail(input: {
  to: string;
  name: string;
  number: string;
  confirmUrl: string;
  validUntil: string;
  timeZone: string;
  language: Language;
}): EmailMessage {
  const until = formatTime(input.validUntil, input.language, input.timeZone);
  if (input.language === 'zh-CN') {
    return message(input.to, `[${input.number}] 请确认：是否由您本人再次投诉`, [
      `${input.name}，您好：`,
      `有人以您的邮箱就投诉 ${input.number} 的同一事项再次投诉。该事项已有最终裁定，就同一事项再次投诉属于恶意投诉，将按规定限制投诉。`,
      `如果是您本人提交的，请在 ${until} 前打开以下链接确认（仅打开不会确认）：`,
      input.confirmUrl,
      `如果不是您本人提交的，无需任何操作：此次投诉不会被处理，也不会影响您。`,
      `Redress 投诉处理中心`,
    ]);
  }
  return message(input.to, `[${input.number}] Please confirm: did you complain again?`, [
    `Dear ${input.name},`,
    `Someone used your address to complain again about the matter of complaint ${input.number}. That matter has a final ruling; complaining about it again is a malicious complaint, and filing is then restricted.`,
    `If it was you, confirm through this link by ${until} (opening it confirms nothing):`,
    input.confirmUrl,
    `If it was not you, do nothing: the complaint is not handled and nothing changes for you.`,
    `The Redress complaints desk`,
  ]);
}

/** The complainant's new private tracking link, after they replaced the old one. */
export function trackingLinkReplacedEmail(input: Recipient): EmailMessage {
  if (input.language === 'zh-CN') {
    return message(input, `[${input.number}] 您的新查询链接`, [
      `${input.name}，您好：`,
      `您已更换投诉 ${input.number} 的私人查询链接，旧链接已失效。新的链接如下（请勿转发）：`,
      input.trackingUrl,
      `如果这不是您本人的操作，说明有人持有您的旧链接；现在它已无法打开您的投诉。`,
      `Redress 投诉处理中心`,
    ]);
  }
  return message(input, `[${input.number}] Your new tracking link`, [
    `Dear ${input.name},`,
    `You replaced the private tracking link of complaint ${input.number}; the old link no longer works. Here is the new one (do not share it):`,
    input.trackingUrl,
    `If you did not ask for this, someone held your old link; it no longer opens your complaint.`,
    `The Redress complaints desk`,
  ]);
}

/** A reminder (催办) reaches the current assignee; staff emails carry both languages. */
export function reminderEmail(input: {
  to: string;
  number: string;
  step?: HumanStep;
  deadlineAt?: string;
  taskUrl?: string;
  timeZone: string;
}): EmailMessage {
  const step = input.step ? STEP_LABELS[input.step] : { 'zh-CN': '处理', en: 'handling' };
  const due = (language: Language) => (input.deadlineAt ? formatTime(input.deadlineAt, language, input.timeZone) : '');
  return message(input, `[${input.number}] 投诉人催办 / Reminder from the complainant`, [
    `投诉人就投诉 ${input.number} 发来催办。该投诉正等待您的${step['zh-CN']}${input.deadlineAt ? `，期限为 ${due('zh-CN')}` : ''}。${input.taskUrl ? '请打开以下任务链接处理（此链接取代此前邮件中的链接）：' : '请使用此前邮件中的任务链接处理。'}`,
    ...(input.taskUrl ? [input.taskUrl] : []),
    `The complainant sent a reminder about complaint ${input.number}. It is waiting for your ${step.en.toLowerCase()}${input.deadlineAt ? `, due by ${due('en')}` : ''}. ${input.taskUrl ? 'Act through the link above (it replaces the link in the earlier email).' : 'Please act through the task link in the earlier email.'}`,
  ]);
}

/** The holder of an open task learns that the complainant withdrew: nothing more is needed (both languages). */
export function withdrawnNoticeEmail(input: { to: string; number: string; step?: HumanStep }): EmailMessage {
  const step = input.step ? STEP_LABELS[input.step] : { 'zh-CN': '处理', en: 'handling' };
  return message(input, `[${input.number}] 投诉人已撤回投诉 / The complainant withdrew`, [
    `投诉人已撤回投诉 ${input.number}。您在“${step['zh-CN']}”中的任务已结束，无需再处理；此前邮件中的任务链接已失效。`,
    `The complainant withdrew complaint ${input.number}. Your ${step.en.toLowerCase()} task has ended and nothing more is needed; the task link in the earlier email no longer works.`,
  ]);
}

/** Tells the assignee (staff: both languages) that the complainant wrote to the case by email. */
export function complainantRepliedEmail(input: {
  to: string;
  number: string;
  text: string;
  attachments: number;
}): EmailMessage {
  const files = input.attachments
    ? [
        `附件 ${input.attachments} 个，检查后列入证据。/ ${input.attachments} attachment(s), listed as evidence once checked.`,
      ]
    : [];
  return message(input.to, `[${input.number}] 投诉人来信 / The complainant wrote`, [
    `投诉人就投诉 ${input.number} 发来邮件，已记入案件：/ The complainant emailed about complaint ${input.number}; it is on the case:`,
    // What the complainant wrote, never as a live link: this mail comes from the desk's own address.
    defang(input.text) || '（无正文 / no text）',
    ...files,
    `请勿直接回复本邮件；请通过任务链接或工作台处理。/ Do not reply to this email; act through your task link or the desk.`,
  ]);
}

/**
 * A mail that named a case's number from its complainant's address, but was not a reply to the
 * case's own mail: anyone can write any From, so it was kept unverified. Whoever owns the mailbox
 * is told how to reach the case for real (this mail carries the case's reply address) and that
 * they can confirm it on the tracking page.
 */
export function unverifiedMailEmail(input: Recipient): EmailMessage {
  if (input.language === 'zh-CN') {
    return message(input, `[${input.number}] 您的来信已收到，但未经核实`, [
      `${input.name}，您好：`,
      `我们收到一封以您的邮箱发出、提及投诉 ${input.number} 的邮件。由于它不是对本投诉邮件的回复，我们无法确认是您本人发送，因此只作为未经核实的内容记入投诉，不会据此作出任何处理。`,
      `如需补充说明或回答我们的问题，请直接回复本邮件或此前关于本投诉的任何邮件。`,
      `如果那封邮件是您发送的，也可以在查询页面确认（请勿转发此链接）：\n${input.trackingUrl}`,
      `如果不是您发送的，无需任何操作。`,
      `Redress 投诉处理中心`,
    ]);
  }
  return message(input, `[${input.number}] We received your email, but could not verify it`, [
    `Dear ${input.name},`,
    `We received an email from your address naming complaint ${input.number}. It was not a reply to our emails about the complaint, so we cannot tell that you sent it: it was added to the complaint as unverified, and nothing was done on it.`,
    `To add detail or answer our questions, reply to this email or to any earlier email about the complaint.`,
    `If you sent it, you can also confirm it on the tracking page (do not share this link):\n${input.trackingUrl}`,
    `If you did not send it, do nothing.`,
    `The Redress complaints desk`,
  ]);
}

/**
 * A reply to a closed case: it was recorded, but nobody works the case any more. What the sender
 * can do: ask for a review while its window is open (`reviewUntil`), or file a new complaint.
 */
export function closedCaseReplyEmail(
  input: Recipient & { reviewUntil?: string; formUrl: string; timeZone: string },
): EmailMessage {
  const until = input.reviewUntil ? formatTime(input.reviewUntil, input.language, input.timeZone) : undefined;
  if (input.language === 'zh-CN') {
    return message(input, `[${input.number}] 该投诉已结束`, [
      `${input.name}，您好：`,
      `您的来信已记入投诉 ${input.number}，但该投诉已经结束，不会再有人据此处理。`,
      ...(until
        ? [`如对处理结果有异议，您可以在 ${until} 前通过查询页面申请复核：\n${input.trackingUrl}`]
        : [`查看记录：\n${input.trackingUrl}`]),
      `如有新的问题，请提交新的投诉：\n${input.formUrl}`,
      `Redress 投诉处理中心`,
    ]);
  }
  return message(input, `[${input.number}] This complaint is closed`, [
    `Dear ${input.name},`,
    `Your email was added to complaint ${input.number}, but the complaint is closed: nobody will act on it.`,
    ...(until
      ? [
          `If you disagree with the outcome, you can ask for a review on the tracking page until ${until}:\n${input.trackingUrl}`,
        ]
      : [`See its record:\n${input.trackingUrl}`]),
    `For anything new, file a new complaint:\n${input.formUrl}`,
    `The Redress complaints desk`,
  ]);
}

/** The staff desk's sign-in link, in both languages (teams are mixed): single use, short-lived. */
export function staffSignInEmail(input: {
  to: string;
  url: string;
  validUntil: string;
  config: DeskConfig;
}): EmailMessage {
  const zhDue = formatTime(input.validUntil, 'zh-CN', input.config.timeZone);
  const enDue = formatTime(input.validUntil, 'en', input.config.timeZone);
  return message(input.to, 'Redress 工作台登录链接 / Sign-in link for the staff desk', [
    `您（或他人）请求登录 Redress 工作台。打开以下链接并点击“登录”即可登录，链接在 ${zhDue} 前有效，只能使用一次：`,
    input.url,
    `Someone (probably you) asked to sign in to the Redress staff desk. Open the link above and press "Sign in"; it works once, until ${enDue}.`,
    `如果不是您本人操作，请忽略此邮件。/ If this was not you, ignore this email.`,
  ]);
}

// ---- The weekly report (staff: both languages), with HTML bars: mail viewers show no SVG.

/** A late case still open, as the weekly report lists it. */
export interface LateCaseLine {
  id: string;
  number: string;
  category: string;
  step?: HumanStep;
  assignee?: string;
  deadlineAt?: string;
  level: number;
}

export function weeklyReportEmail(input: {
  to: string;
  view: AnalyticsView;
  before: AnalyticsView;
  late: LateCaseLine[];
  config: DeskConfig;
  analyticsUrl: string;
  /** Where the recipient stops these reports (the List-Unsubscribe header). */
  listUnsubscribe?: string;
}): EmailMessage {
  const { view, before, config } = input;
  const both = (label: { 'zh-CN': string; en: string }) => `${label['zh-CN']} / ${label.en}`;
  const category = (id: string) => {
    const c = findCategory(config, id);
    return c ? `${c.name['zh-CN']} / ${c.name.en}` : id;
  };
  const pct = (share: number | null) => (share === null ? '—' : `${Math.round(share * 1000) / 10}%`);
  const figures: [string, string | number, string | number][] = [
    ...weeklyFigures().map(
      (id) =>
        [both(COUNTED_FIGURES[id].label), view.counts[id].total, before.counts[id].total] as [string, number, number],
    ),
    [both(ANALYTICS_LABELS.escalations), view.serviceLevels.escalations, before.serviceLevels.escalations],
    [both(ANALYTICS_LABELS.breaches), view.serviceLevels.breaches, before.serviceLevels.breaches],
    [
      `${both(ANALYTICS_LABELS.onTimeShare)} · ${both(STEP_LABELS.acceptance)}`,
      pct(view.serviceLevels.byStage.acceptance.onTimeShare),
      pct(before.serviceLevels.byStage.acceptance.onTimeShare),
    ],
    [
      `${both(ANALYTICS_LABELS.onTimeShare)} · ${both(STEP_LABELS.reply)}`,
      pct(view.serviceLevels.byStage.reply.onTimeShare),
      pct(before.serviceLevels.byStage.reply.onTimeShare),
    ],
    [both(ANALYTICS_LABELS.mean), view.satisfaction.mean ?? '—', before.satisfaction.mean ?? '—'],
    [both(ANALYTICS_LABELS.responseRate), pct(view.satisfaction.responseRate), pct(before.satisfaction.responseRate)],
  ];
  const range = `${view.range.from} – ${view.range.to}`;
  const teams = view.range.teams.join(', ');
  const categories = Object.keys({ ...view.received.byCategory, ...before.received.byCategory }).sort(
    (a, b) => (view.received.byCategory[b] ?? 0) - (view.received.byCategory[a] ?? 0),
  );
  const hotspots = view.hotspots.filter((h) => h.kind === 'subject').slice(0, 5);
  const lateLine = (c: LateCaseLine) =>
    `${c.number} · ${category(c.category)} · ${c.step ? both(STEP_LABELS[c.step]) : ''} · ${c.assignee ?? '—'} · ${formatTime(c.deadlineAt, 'zh-CN', config.timeZone)}${c.level ? ` · ${both({ 'zh-CN': escalationLevelName(config, c.level, 'zh-CN'), en: escalationLevelName(config, c.level, 'en') })}` : ''}`;
  const text = [
    `Redress ${both(ANALYTICS_LABELS.weeklyReport)}: ${range} (${config.timeZone}) · ${teams}`,
    figures.map(([label, now, then]) => `${label}: ${now} (${both(ANALYTICS_LABELS.weekBefore)}: ${then})`).join('\n'),
    `${both(ANALYTICS_LABELS.byCategory)}:\n${categories.map((c) => `${category(c)}: ${view.received.byCategory[c] ?? 0} (${before.received.byCategory[c] ?? 0})`).join('\n') || '—'}`,
    `${both(ANALYTICS_LABELS.hotspots)}:\n${hotspots.map((h) => `${h.label}: ${h.count} (${h.change >= 0 ? '+' : ''}${h.change})`).join('\n') || '—'}`,
    `${both(ANALYTICS_LABELS.lateOpen)} (${input.late.length}):\n${input.late.map(lateLine).join('\n') || both(ANALYTICS_LABELS.none)}`,
    input.analyticsUrl,
  ];
  const cell = 'padding:4px 8px;border-bottom:1px solid #dde1e7;text-align:left';
  const htmlBody = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1d2330">
<h1 style="font-size:20px">Redress ${escapeHtml(both(ANALYTICS_LABELS.weeklyReport))}</h1>
<p>${escapeHtml(range)} (${escapeHtml(config.timeZone)}) · ${escapeHtml(teams)}</p>
<table style="border-collapse:collapse;margin:8px 0 16px"><thead><tr><th style="${cell}">${escapeHtml(both(ANALYTICS_LABELS.figure))}</th><th style="${cell}">${escapeHtml(both(ANALYTICS_LABELS.thisWeek))}</th><th style="${cell}">${escapeHtml(both(ANALYTICS_LABELS.weekBefore))}</th></tr></thead><tbody>
${figures.map(([label, now, then]) => `<tr><th scope="row" style="${cell};font-weight:normal">${escapeHtml(label)}</th><td style="${cell}"><strong>${escapeHtml(now)}</strong></td><td style="${cell}">${escapeHtml(then)}</td></tr>`).join('')}
</tbody></table>
<p style="color:#5b6472;font-size:13px"><span style="display:inline-block;width:12px;height:12px;background:#1f5fbf"></span> ${escapeHtml(both(ANALYTICS_LABELS.thisWeek))} <span style="display:inline-block;width:12px;height:12px;background:#b9c0cb"></span> ${escapeHtml(both(ANALYTICS_LABELS.weekBefore))}</p>
${mailBars({ title: both(ANALYTICS_LABELS.byCategory), data: categories.map((c) => ({ label: category(c), value: view.received.byCategory[c] ?? 0 })), compare: categories.map((c) => before.received.byCategory[c] ?? 0) })}
${mailBars({ title: both(ANALYTICS_LABELS.distribution), data: (['5', '4', '3', '2', '1'] as const).map((n) => ({ label: `${n} ★`, value: view.satisfaction.distribution[n] })), compare: (['5', '4', '3', '2', '1'] as const).map((n) => before.satisfaction.distribution[n]) })}
${mailBars({ title: both(ANALYTICS_LABELS.hotspots), data: hotspots.map((h) => ({ label: h.label, value: h.count })) })}
<h2 style="font-size:16px">${escapeHtml(both(ANALYTICS_LABELS.lateOpen))} (${input.late.length})</h2>
${input.late.length ? `<ul>${input.late.map((c) => `<li>${escapeHtml(lateLine(c))}</li>`).join('')}</ul>` : `<p>${escapeHtml(both(ANALYTICS_LABELS.none))}</p>`}
<p><a href="${escapeHtml(input.analyticsUrl)}" target="_blank" rel="noopener noreferrer">${escapeHtml(input.analyticsUrl)}</a></p>
</body></html>`;
  return {
    to: input.to,
    subject: `Redress 投诉处理周报 / Weekly complaints report ${range}`,
    text: text.join('\n\n'),
    html: htmlBody,
    ...(input.listUnsubscribe ? { listUnsubscribe: input.listUnsubscribe } : {}),
  };
}
