import type { DeskConfig } from '../domain/config';
import type { Language } from '../domain/language';
import type { EmailMessage } from '../lib/email-message';
import { message } from './emails';
import { formatTime } from './layout';

/** Mails about a complainant's data rights (issue 27): an erasure asked for, a legal hold placed or released. */
interface Recipient {
  to: string;
  replyTo?: string;
  name: string;
  number: string;
  trackingUrl: string;
  language: Language;
}

const SIGNATURE = { 'zh-CN': 'Redress 投诉处理中心', en: 'The Redress complaints desk' } as const;

export function erasureRequestedEmail(
  input: Recipient & { dueAt: string; held: boolean; config: DeskConfig },
): EmailMessage {
  const zh = input.language === 'zh-CN';
  const due = formatTime(input.dueAt, input.language, input.config.timeZone);
  return message(
    input,
    zh ? `[${input.number}] 已收到您的删除申请` : `[${input.number}] Your request to erase your data`,
    [
      zh ? `${input.name}，您好：` : `Dear ${input.name},`,
      zh
        ? `我们已收到您删除投诉 ${input.number} 中个人信息的申请，将在 ${due} 前删除您的姓名、联系方式、投诉内容、证据、往来消息和邮件，仅保留不含个人信息的统计数字以及删除的事实和日期。`
        : `We have your request to erase your personal data on complaint ${input.number}. By ${due} we will erase your name, contact details, the complaint's texts, your evidence, messages and mails, keeping only anonymous figures and the fact and date of erasure.`,
      ...(input.held
        ? [
            zh
              ? '注意：本案目前有争议正由监管部门或法院处理，资料暂予保留；保全解除后我们再删除，届时会通知您。'
              : 'Note: a dispute about this case is before a regulator or court, so its data are kept for now; we erase them once that hold is released, and will tell you.',
          ]
        : []),
      zh
        ? '如需保留一份副本，请在删除前通过查询页面下载：'
        : 'To keep a copy, download it from your tracking page before then:',
      input.trackingUrl,
      SIGNATURE[input.language],
    ],
  );
}

export function legalHoldEmail(input: Recipient & { placed: boolean; reason?: string }): EmailMessage {
  const zh = input.language === 'zh-CN';
  return message(
    input,
    input.placed
      ? zh
        ? `[${input.number}] 本案资料暂予保留`
        : `[${input.number}] Your case's data are kept for now`
      : zh
        ? `[${input.number}] 资料保留已解除`
        : `[${input.number}] The hold on your case's data is released`,
    [
      zh ? `${input.name}，您好：` : `Dear ${input.name},`,
      input.placed
        ? zh
          ? `投诉 ${input.number} 涉及的争议正由监管部门或法院处理，依法须保留本案资料。在保全解除前，我们不会删除或到期清除本案资料。原因：${input.reason ?? ''}`
          : `A dispute about complaint ${input.number} is before a regulator or court, so the law requires us to keep its data. Until this hold is released we will neither erase nor expire them. Reason: ${input.reason ?? ''}`
        : zh
          ? `投诉 ${input.number} 的资料保留已解除。如您已申请删除，我们将继续删除。`
          : `The hold on complaint ${input.number}'s data is released. If you asked for erasure, we now go ahead with it.`,
      input.trackingUrl,
      SIGNATURE[input.language],
    ],
  );
}

/** To the new address: confirm it is yours (the link is the only way it comes into use). */
export function confirmAddressEmail(input: {
  to: string;
  name: string;
  number: string;
  language: Language;
  confirmUrl: string;
}): EmailMessage {
  const zh = input.language === 'zh-CN';
  return message(
    input.to,
    zh ? `[${input.number}] 请确认您的新邮箱` : `[${input.number}] Confirm your new email address`,
    [
      zh ? `${input.name}，您好：` : `Dear ${input.name},`,
      zh
        ? `您申请将投诉 ${input.number} 的联系邮箱改为本邮箱。请在 24 小时内打开以下链接确认；确认前我们仍使用原邮箱。`
        : `You asked to use this address for complaint ${input.number}. Open this link within 24 hours to confirm; until then we keep writing to your old address.`,
      input.confirmUrl,
      zh ? '如果不是您本人申请，请忽略本邮件。' : 'If you did not ask for this, ignore this mail.',
      SIGNATURE[input.language],
    ],
  );
}

/** To the old address: the case now writes to another one. */
export function addressChangedEmail(input: {
  to: string;
  name: string;
  number: string;
  language: Language;
}): EmailMessage {
  const zh = input.language === 'zh-CN';
  return message(
    input.to,
    zh ? `[${input.number}] 联系邮箱已更改` : `[${input.number}] Your contact address was changed`,
    [
      zh ? `${input.name}，您好：` : `Dear ${input.name},`,
      zh
        ? `投诉 ${input.number} 的联系邮箱已更改并经新邮箱确认，今后的通知将发往新邮箱。如非本人操作，请立即联系我们。`
        : `The contact address of complaint ${input.number} was changed and confirmed from the new mailbox; we write there from now on. If this was not you, contact us at once.`,
      SIGNATURE[input.language],
    ],
  );
}
