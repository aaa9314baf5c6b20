import type { DeskConfig } from '../domain/config';
import type { Language } from '../domain/language';
import type { Notice } from '../domain/notice';
import { filledInput, type TemplateData, type TemplateId } from './notices';

/**
 * The text-message (SMS) form of the notices a complainant must receive. A text says what
 * happened, the case number and one short link (the sender shortens every link first); what the
 * email spells out (a question, a reply, reasons) is behind the link. Each ends with how to stop
 * texts. Segment counts: test/unit/sms-texts.test.ts.
 */
type Input<T extends TemplateId> = TemplateData<T> & { language: Language; config: DeskConfig };
type Text<T extends TemplateId> = (input: Input<T>) => string;

const STOP: Record<Language, string> = { 'zh-CN': ' 回T退订', en: ' Reply STOP to opt out' };

/** A date and time as short as a text allows, in the desk's zone: `12/9 18:00`. */
function short(iso: string, config: DeskConfig): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: config.timeZone,
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('month')}/${part('day')} ${part('hour')}:${part('minute')}`;
}

const say =
  <T extends TemplateId>(zh: (input: Input<T>) => string, en: (input: Input<T>) => string): Text<T> =>
  (input) =>
    `${input.language === 'zh-CN' ? `${input.config.sms.signature}${zh(input)}` : `Redress: ${en(input)}`}${STOP[input.language]}`;

export const TEXTS: { [T in TemplateId]?: Text<T> } = {
  acknowledgement: say(
    (i) => `已收到您的投诉${i.number}，进度见${i.trackingUrl}`,
    (i) => `we received your complaint ${i.number}. Follow it at ${i.trackingUrl}`,
  ),
  'evidence.request': say(
    (i) => `投诉${i.number}需补充证据，请于${short(i.deadlineAt, i.config)}前上传${i.trackingUrl}`,
    (i) => `complaint ${i.number} needs evidence by ${short(i.deadlineAt, i.config)}. Upload it at ${i.trackingUrl}`,
  ),
  'information.request': say(
    (i) => `投诉${i.number}需补充信息，请于${short(i.deadlineAt, i.config)}前回复${i.taskUrl}`,
    (i) =>
      `complaint ${i.number}: we need more information by ${short(i.deadlineAt, i.config)}. Answer at ${i.taskUrl}`,
  ),
  reply: say(
    (i) => `投诉${i.number}已答复，请查看并评价${i.surveyUrl}`,
    (i) => `complaint ${i.number} has our answer. Read and rate it at ${i.surveyUrl}`,
  ),
  'decision.accepted': say(
    (i) => `投诉${i.number}已受理，进度见${i.trackingUrl}`,
    (i) => `complaint ${i.number} is accepted. Follow it at ${i.trackingUrl}`,
  ),
  'decision.rejected': say(
    (i) => `投诉${i.number}未予受理，原因见${i.trackingUrl}`,
    (i) => `complaint ${i.number} was not accepted. The reason: ${i.trackingUrl}`,
  ),
  'decision.ruling': say(
    (i) => `投诉${i.number}复核已裁定，结果见${i.trackingUrl}`,
    (i) => `the review of complaint ${i.number} is decided. See ${i.trackingUrl}`,
  ),
  'delay.notice': say(
    (i) => `投诉${i.number}处理延误，预计${short(i.expectedBy, i.config)}前答复${i.trackingUrl}`,
    (i) => `complaint ${i.number} is late; expect an answer by ${short(i.expectedBy, i.config)}. ${i.trackingUrl}`,
  ),
  closed: say(
    (i) => `投诉${i.number}已${i.outcome === 'withdrawn' ? '撤回' : '因逾期关闭'}，详见${i.trackingUrl}`,
    (i) =>
      `complaint ${i.number} is closed (${i.outcome === 'withdrawn' ? 'withdrawn' : 'no answer in time'}). ${i.trackingUrl}`,
  ),
  'duplicate.linked': say(
    (i) => `您的再次投诉已并入投诉${i.number}，进度见${i.trackingUrl}`,
    (i) => `what you filed again was added to complaint ${i.number}. ${i.trackingUrl}`,
  ),
  // The desk's message itself is behind the link (the tracking page, where they answer): a text
  // says there is one and, when it awaits an answer, by when.
  'message.complainant': say(
    (i) =>
      `投诉${i.number}有处理人员的新消息${i.awaitUntil ? `，请于${short(i.awaitUntil, i.config)}前回复` : ''}，请查看${i.trackingUrl}`,
    (i) =>
      `complaint ${i.number}: the desk wrote to you${i.awaitUntil ? `; answer by ${short(i.awaitUntil, i.config)}` : ''}. Read it at ${i.trackingUrl}`,
  ),
  'tracking-link.replaced': say(
    (i) => `投诉${i.number}的新查询链接${i.trackingUrl}，旧链接已失效`,
    (i) => `the new link of complaint ${i.number} is ${i.trackingUrl}; the old one no longer works`,
  ),
};

/** Data fields that hold a link: the sender shortens each before rendering. */
export const LINK_FIELDS = ['trackingUrl', 'taskUrl', 'surveyUrl', 'formUrl', 'confirmUrl'] as const;

export function hasText(template: string): boolean {
  return Object.hasOwn(TEXTS, template);
}

/** The text of a notice (its template has a text form; see hasText). */
export function renderText(notice: Notice, desk: DeskConfig): string {
  const text = TEXTS[notice.template as TemplateId] as ((input: Record<string, unknown>) => string) | undefined;
  if (!text) throw new Error(`no text template ${notice.template}`);
  return text({ language: 'zh-CN', ...filledInput(notice, desk) });
}
