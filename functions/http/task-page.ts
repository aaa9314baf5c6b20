import middy from '@middy/core';
import { hashSecret } from '../domain/ids';
import { isLanguage, type Bilingual, type Language } from '../domain/language';
import { STEP_LABELS } from '../domain/lifecycle';
import { parseStepDecision, type FormInput } from '../domain/steps';
import { getComplaint, getTaskLink, listEvents, type TaskLinkRecord } from '../lib/complaint-store';
import { formBody, html as pageResult, problemDetails, requestLanguage, type HttpEvent, type HttpResult } from '../lib/http';
import { log, logContext } from '../lib/log';
import { settings } from '../lib/settings';
import { decideTask } from '../lib/workflow';
import { evidenceFromEvents } from '../domain/evidence-policy';
import { withDownloadLinks } from '../lib/evidence-store';
import { evidenceList } from '../pages/evidence-list';
import { formatTime, html } from '../pages/layout';
import { decisionLabel, taskFormPage, taskMessagePage } from '../pages/task-pages';
import { currentTime } from '../lib/clock';

function pageLanguage(event: HttpEvent, link?: TaskLinkRecord): Language {
  const asked = event.queryStringParameters?.lang;
  return isLanguage(asked) ? asked : (link?.assigneeLanguage ?? requestLanguage(event));
}

function message(status: number, language: Language, title: Bilingual, text: Bilingual, tone: 'ok' | 'notice' | 'error' = 'notice'): HttpResult {
  return pageResult(status, taskMessagePage({ title: title[language], message: text[language], language, tone }), { 'content-language': language });
}

/** Explains a link that takes no decision: decided (by whom, when), moved (to whom), or late. */
function closedLink(link: TaskLinkRecord | undefined, language: Language, now: Date): HttpResult {
  const { timeZone } = settings().desk;
  const at = (iso: string | undefined) => ({ 'zh-CN': formatTime(iso, 'zh-CN', timeZone), en: formatTime(iso, 'en', timeZone) });
  if (!link) return message(404, language, { 'zh-CN': '链接无效', en: 'Link not valid' }, { 'zh-CN': '此任务链接不存在或不完整，请检查邮件中的链接。', en: 'This task link does not exist or is incomplete; check the link in your email.' }, 'error');
  if (link.state === 'decided' && link.decision) {
    const when = at(link.decidedAt);
    return message(409, language, { 'zh-CN': '已作出决定', en: 'Already decided' }, {
      'zh-CN': `此任务已于 ${when['zh-CN']} 由 ${link.decidedBy} 作出决定：${decisionLabel(link.decision, 'zh-CN')}。无需再次提交。`,
      en: `This task was already decided on ${when.en} by ${link.decidedBy}: ${decisionLabel(link.decision, 'en')}. Nothing more is needed.`,
    });
  }
  if (link.state === 'moved') {
    const when = at(link.movedAt);
    switch (link.movedReason) {
      case 'escalated':
        return message(410, language, { 'zh-CN': '任务已转交', en: 'Task moved' }, {
          'zh-CN': `此任务未在期限内处理，已于 ${when['zh-CN']} 转交给 ${link.movedTo}。此链接不再接受决定。`,
          en: `This task was not done by its deadline and moved to ${link.movedTo} on ${when.en}. This link no longer takes a decision.`,
        });
      case 'reissued':
        return message(410, language, { 'zh-CN': '已发送新链接', en: 'A fresh link was sent' }, {
          'zh-CN': `已于 ${when['zh-CN']} 向 ${link.movedTo} 发送了此任务的新链接，请使用最新邮件中的链接。`,
          en: `A fresh link for this task was sent to ${link.movedTo} on ${when.en}; please use the link in the latest email.`,
        });
      case 'closed':
        return message(410, language, { 'zh-CN': '投诉已结束', en: 'Complaint closed' }, { 'zh-CN': '此投诉已结束（例如已被撤回），无需再处理。', en: 'This complaint has ended (for example it was withdrawn); nothing more is needed.' });
      default:
        return message(409, language, { 'zh-CN': '已被处理或已转交', en: 'Already decided or moved' }, {
          'zh-CN': '此任务已在别处作出决定，或因超时已转交他人。您的提交未被记录。',
          en: 'This task was already decided elsewhere or moved on after its deadline. Your submission was not recorded.',
        });
    }
  }
  if (new Date(link.dueAt) <= now) {
    return message(410, language, { 'zh-CN': '期限已过', en: 'Deadline passed' }, {
      'zh-CN': `此任务的期限（${at(link.dueAt)['zh-CN']}）已过，此链接不再接受决定；任务将按规定上报或关闭。`,
      en: `This task's deadline (${at(link.dueAt).en}) has passed; this link no longer takes a decision, and the task moves on as the rules say.`,
    });
  }
  return message(409, language, { 'zh-CN': '无法提交', en: 'Cannot submit' }, { 'zh-CN': '页面已过期，请重新打开邮件中的链接。', en: 'This page is out of date; open the link from your email again.' }, 'error');
}

async function formPage(status: number, link: TaskLinkRecord, language: Language, extra: { values?: FormInput; errors?: { path: string; message: string }[] } = {}): Promise<HttpResult> {
  const complaint = await getComplaint(link.complaintId);
  if (!complaint) return closedLink(undefined, language, currentTime());
  const events = await listEvents(link.complaintId);
  const { desk } = settings();
  // Staff see the evidence with short-lived download links; complainants and respondents do not.
  const evidence =
    link.role === 'handler' || link.role === 'supervisor'
      ? html`<section aria-labelledby="evidence"><h2 id="evidence">${language === 'zh-CN' ? '证据' : 'Evidence'}</h2>${evidenceList(await withDownloadLinks(evidenceFromEvents(events)), language, desk.timeZone)}</section>`
      : undefined;
  return pageResult(
    status,
    taskFormPage({ step: link.step, role: link.role, level: link.level, complaint, events, language, config: desk, nonce: link.nonce, deadlineAt: link.dueAt, question: link.question, evidence, ...extra }),
    { 'content-language': language },
  );
}

const isOpen = (link: TaskLinkRecord | undefined, now: Date): link is TaskLinkRecord => !!link && link.state === 'open' && new Date(link.dueAt) > now;

/** GET shows the task; it never changes anything (mail scanners open links). */
async function showTask(event: HttpEvent, link: TaskLinkRecord | undefined): Promise<HttpResult> {
  const language = pageLanguage(event, link);
  const now = currentTime();
  return isOpen(link, now) ? formPage(200, link, language) : closedLink(link, language, now);
}

/** POST decides: first writer wins on the link, then the workflow is told. */
async function postDecision(event: HttpEvent, link: TaskLinkRecord | undefined): Promise<HttpResult> {
  const language = pageLanguage(event, link);
  const form = formBody(event);
  const now = currentTime();
  if (!isOpen(link, now)) return closedLink(link, language, now);
  const parsed = parseStepDecision(link.step, form, language);
  if (!parsed.ok) return formPage(400, link, language, { values: form, errors: parsed.errors });

  const result = await decideTask(link.linkIdHash, typeof form.nonce === 'string' ? form.nonce : '', parsed.decision, link.assignedTo, now);
  if (!result.sent && result.why === 'lost') return closedLink(result.link, language, now);
  if (!result.sent) {
    return message(409, language, { 'zh-CN': '已被处理或已转交', en: 'Already decided or moved' }, {
      'zh-CN': '此任务已在别处作出决定，或因超时已转交他人。您的提交未被记录。',
      en: 'This task was already decided elsewhere or moved on after its deadline. Your submission was not recorded.',
    });
  }
  log.info('task decided', { complaintId: link.complaintId, step: link.step, decision: parsed.decision.decision });
  return message(200, language, { 'zh-CN': '已记录', en: 'Recorded' }, {
    'zh-CN': `谢谢。您在“${STEP_LABELS[link.step]['zh-CN']}”中的提交（${decisionLabel(parsed.decision, 'zh-CN')}）已记录。`,
    en: `Thank you. What you sent for the ${STEP_LABELS[link.step].en.toLowerCase()} (${decisionLabel(parsed.decision, 'en')}) is recorded.`,
  }, 'ok');
}

async function taskPage(event: HttpEvent): Promise<HttpResult> {
  const linkId = event.pathParameters?.linkId ?? '';
  const link = /^[A-Za-z0-9_-]{16,64}$/.test(linkId) ? await getTaskLink(hashSecret(linkId)) : undefined;
  return event.httpMethod === 'POST' ? postDecision(event, link) : showTask(event, link);
}

export const handler = middy<HttpEvent, HttpResult>().use(logContext()).use(problemDetails()).handler(taskPage);
