import middy from '@middy/core';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { hashSecret } from '../domain/ids';
import { isLanguage, type Language } from '../domain/language';
import { parseStepDecision, STEP_LABELS } from '../domain/lifecycle';
import { sfn } from '../lib/aws-clients';
import { claimTaskLink, getComplaint, getTaskLink, listEvents, markTaskLinkMoved, type TaskLinkRecord } from '../lib/complaint-store';
import { formBody, html, problemDetails, requestLanguage, type HttpEvent, type HttpResult } from '../lib/http';
import { log } from '../lib/log';
import { settings } from '../lib/settings';
import { formatTime } from '../pages/layout';
import { decisionLabel, taskFormPage, taskMessagePage } from '../pages/task-pages';

/** What the workflow receives when a task is decided (SendTaskSuccess output). */
export interface TaskOutcome {
  decision: string;
  reason?: string;
  note?: string;
  decidedBy: string;
  decidedAt: string;
}

// Step Functions refuses a token that timed out, was already used or never existed: to the
// visitor that means the task was decided elsewhere or moved on, never a server error.
const REFUSED_TOKEN_ERRORS = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

function pageLanguage(event: HttpEvent, link?: TaskLinkRecord): Language {
  const asked = event.queryStringParameters?.lang;
  return isLanguage(asked) ? asked : (link?.assigneeLanguage ?? requestLanguage(event));
}

function message(status: number, language: Language, title: Record<Language, string>, text: Record<Language, string>, tone: 'ok' | 'notice' | 'error' = 'notice'): HttpResult {
  return html(status, taskMessagePage({ title: title[language], message: text[language], language, tone }), { 'content-language': language });
}

/** Explains a link that no longer takes a decision: decided (by whom, when), moved, or expired. */
function closedLink(link: TaskLinkRecord | undefined, language: Language, now: Date): HttpResult {
  const { timeZone } = settings().desk;
  if (!link) return message(404, language, { 'zh-CN': '链接无效', en: 'Link not valid' }, { 'zh-CN': '此任务链接不存在或不完整，请检查邮件中的链接。', en: 'This task link does not exist or is incomplete; check the link in your email.' }, 'error');
  if (link.state === 'decided' && link.decision) {
    const when = formatTime(link.decidedAt, language, timeZone);
    return message(409, language, { 'zh-CN': '已作出决定', en: 'Already decided' }, {
      'zh-CN': `此任务已于 ${when} 由 ${link.decidedBy} 作出决定：${decisionLabel(link.decision, 'zh-CN')}。无需再次提交。`,
      en: `This task was already decided on ${when} by ${link.decidedBy}: ${decisionLabel(link.decision, 'en')}. Nothing more is needed.`,
    });
  }
  if (link.state === 'moved' || new Date(link.deadlineAt) <= now) {
    return message(410, language, { 'zh-CN': '任务已转交或已关闭', en: 'Task moved or closed' }, {
      'zh-CN': `此任务的期限（${formatTime(link.deadlineAt, 'zh-CN', timeZone)}）已过或已在别处处理，此链接不再接受决定。`,
      en: `This task's deadline (${formatTime(link.deadlineAt, 'en', timeZone)}) has passed or it was handled elsewhere; this link no longer takes a decision.`,
    });
  }
  return message(409, language, { 'zh-CN': '无法提交', en: 'Cannot submit' }, { 'zh-CN': '页面已过期，请重新打开邮件中的链接。', en: 'This page is out of date; open the link from your email again.' }, 'error');
}

async function formPage(status: number, event: HttpEvent, link: TaskLinkRecord, language: Language, extra: { values?: Record<string, string>; errors?: { path: string; message: string }[] } = {}): Promise<HttpResult> {
  const complaint = await getComplaint(link.complaintId);
  if (!complaint) return closedLink(undefined, language, new Date());
  const events = await listEvents(link.complaintId);
  return html(status, taskFormPage({ step: link.step, complaint, events, language, config: settings().desk, nonce: link.nonce, deadlineAt: link.deadlineAt, ...extra }), { 'content-language': language });
}

/** GET shows the task; it never changes anything (mail scanners open links). */
async function showTask(event: HttpEvent, link: TaskLinkRecord | undefined): Promise<HttpResult> {
  const language = pageLanguage(event, link);
  const now = new Date();
  if (!link || link.state !== 'open' || new Date(link.deadlineAt) <= now) return closedLink(link, language, now);
  return formPage(200, event, link, language);
}

/** POST decides: first writer wins on the link, then the workflow is told. */
async function decideTask(event: HttpEvent, link: TaskLinkRecord | undefined): Promise<HttpResult> {
  const language = pageLanguage(event, link);
  const form = formBody(event);
  const now = new Date();
  if (!link || link.state !== 'open' || new Date(link.deadlineAt) <= now) return closedLink(link, language, now);
  const parsed = parseStepDecision(link.step, form, language);
  if (!parsed.ok) return formPage(400, event, link, language, { values: form, errors: parsed.errors });

  const decidedAt = now.toISOString();
  const claim = await claimTaskLink(link.linkIdHash, form.nonce ?? '', parsed.decision, link.assignee, decidedAt);
  if (!claim.claimed) return closedLink(claim.link, language, now);

  const outcome: TaskOutcome = { ...parsed.decision, decidedBy: link.assignee, decidedAt };
  try {
    await sfn.send(new SendTaskSuccessCommand({ taskToken: link.taskToken, output: JSON.stringify(outcome) }));
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (!REFUSED_TOKEN_ERRORS.has(name)) throw error;
    log.info('task token refused; link marked moved', { complaintId: link.complaintId, step: link.step, error: name });
    await markTaskLinkMoved(link.linkIdHash, decidedAt);
    return message(409, language, { 'zh-CN': '已被处理或已转交', en: 'Already decided or moved' }, {
      'zh-CN': '此任务已在别处作出决定，或因超时已转交他人。您的提交未被记录。',
      en: 'This task was already decided elsewhere or moved on after its deadline. Your submission was not recorded.',
    });
  }
  log.info('task decided', { complaintId: link.complaintId, step: link.step, decision: parsed.decision.decision });
  return message(200, language, { 'zh-CN': '决定已记录', en: 'Decision recorded' }, {
    'zh-CN': `谢谢。您对“${STEP_LABELS[link.step]['zh-CN']}”的决定（${decisionLabel(parsed.decision, 'zh-CN')}）已记录。`,
    en: `Thank you. Your decision on the ${STEP_LABELS[link.step].en.toLowerCase()} (${decisionLabel(parsed.decision, 'en')}) is recorded.`,
  }, 'ok');
}

async function taskPage(event: HttpEvent): Promise<HttpResult> {
  const linkId = event.pathParameters?.linkId ?? '';
  const link = /^[A-Za-z0-9_-]{16,64}$/.test(linkId) ? await getTaskLink(hashSecret(linkId)) : undefined;
  return event.httpMethod === 'POST' ? decideTask(event, link) : showTask(event, link);
}

export const handler = middy<HttpEvent, HttpResult>().use(problemDetails()).handler(taskPage);
