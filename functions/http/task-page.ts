import middy from '@middy/core';
import { decideByTaskLink, showTaskLink, taskLinkOf, type ClosedLink, type TaskLinkView } from '../app/task-link';
import type { FieldError } from '../domain/field-errors';
import { isLanguage, type Language } from '../domain/language';
import type { FormInput } from '../domain/steps';
import {
  formBody,
  json,
  messageProblem,
  html as pageResult,
  problemDetails,
  requestLanguage,
  wantsJson,
  type HttpEvent,
  type HttpResult,
} from '../lib/http';
import { logContext } from '../lib/log';
import { settings } from '../lib/settings';
import { evidenceFromEvents } from '../domain/evidence-policy';
import { evidenceList } from '../pages/evidence-list';
import { html } from '../pages/layout';
import {
  linkStatusMessage,
  notRecordedMessage,
  recordedMessage,
  taskFormPage,
  taskMessagePage,
  type TaskMessage,
} from '../pages/task-pages';
import { withDownloadLinks } from '../store/evidence-objects';
import type { TaskLinkRecord } from '../store/task-links';

function pageLanguage(event: HttpEvent, link?: TaskLinkRecord): Language {
  const asked = event.queryStringParameters?.lang;
  return isLanguage(asked) ? asked : (link?.assigneeLanguage ?? requestLanguage(event));
}

const messagePage = (m: TaskMessage, headers: Record<string, string> = {}): HttpResult =>
  pageResult(m.status, taskMessagePage(m), { 'content-language': m.language, ...headers });

/** A refusal as problem+json to a reader who asked for JSON, else its page. */
const messageResult = (event: HttpEvent, m: TaskMessage, headers: Record<string, string> = {}): HttpResult =>
  m.status >= 400 && wantsJson(event) ? messageProblem(m, headers) : messagePage(m, headers);

/** The open task as JSON: what it asks, of whom, by when, and the nonce its decision is posted with. */
function openTaskJson(view: Extract<TaskLinkView, { kind: 'open' }>, language: Language): HttpResult {
  const { link, complaint } = view;
  return json(
    200,
    {
      state: 'open',
      step: link.step,
      role: link.role,
      level: link.level,
      deadlineAt: link.dueAt,
      ...(link.question ? { question: link.question } : {}),
      nonce: link.nonce,
      language,
      complaint: { number: complaint.number, status: complaint.status, category: complaint.category },
    },
    { 'content-language': language },
  );
}

async function formPage(
  status: number,
  view: Extract<TaskLinkView, { kind: 'open' }>,
  language: Language,
  extra: { values?: FormInput; errors?: FieldError[] } = {},
): Promise<HttpResult> {
  const { link, complaint, events } = view;
  const { desk } = settings();
  // Staff see the evidence with short-lived download links; complainants and respondents do not.
  const evidence =
    link.role === 'handler' || link.role === 'supervisor'
      ? html`<section aria-labelledby="evidence"><h2 id="evidence">${language === 'zh-CN' ? '证据' : 'Evidence'}</h2>${evidenceList(await withDownloadLinks(evidenceFromEvents(events)), language, desk.timeZone)}</section>`
      : undefined;
  return pageResult(
    status,
    taskFormPage({
      step: link.step,
      role: link.role,
      level: link.level,
      complaint,
      events,
      language,
      config: desk,
      nonce: link.nonce,
      deadlineAt: link.dueAt,
      question: link.question,
      evidence,
      ...extra,
    }),
    { 'content-language': language },
  );
}

/** GET /tasks/{linkId} shows the task; POST decides it (first writer wins). */
async function taskPage(event: HttpEvent): Promise<HttpResult> {
  const link = await taskLinkOf(event.pathParameters?.linkId ?? '');
  const language = pageLanguage(event, link);
  const closed = (view: ClosedLink) =>
    messageResult(
      event,
      linkStatusMessage(view.link, language, view.now, settings().desk.timeZone, view.currentHolder, {
        posted: view.posted,
        caseClosed: view.caseClosed,
        holderGone: view.holderGone,
      }),
    );
  if (event.httpMethod !== 'POST') {
    const view = await showTaskLink(link);
    if (view.kind !== 'open') return closed(view);
    return wantsJson(event) ? openTaskJson(view, language) : formPage(200, view, language);
  }
  const result = await decideByTaskLink(link, formBody(event), language);
  switch (result.kind) {
    case 'recorded':
      return messagePage(
        recordedMessage({
          step: result.link.step,
          role: result.link.role,
          decision: result.decision,
          complaintId: result.link.complaintId,
          trackingUrl: result.trackingUrl,
          language,
        }),
      );
    case 'invalid':
      return wantsJson(event)
        ? messageProblem(
            {
              status: 400,
              title: language === 'zh-CN' ? '提交的内容有误' : 'The decision has invalid fields',
              message: result.errors.map((e) => `${e.path}: ${e.message}`).join('; '),
              language,
            },
            {},
            result.errors,
          )
        : formPage(400, result.view, language, { values: result.values, errors: result.errors });
    case 'closed':
      return closed(result);
    case 'not-recorded':
      return messageResult(event, notRecordedMessage(language), { 'retry-after': String(result.retryAfterSeconds) });
  }
}

export const handler = middy<HttpEvent, HttpResult>().use(logContext()).use(problemDetails()).handler(taskPage);
