import middy from '@middy/core';
import { decideByTaskLink, showTaskLink, taskLinkOf, type ClosedLink } from '../app/task-link';
import {
  formBody,
  json,
  messageProblem,
  problemDetails,
  wantsJson,
  type HttpEvent,
  type HttpResult,
} from '../lib/http';
import { logContext } from '../lib/log';
import { settings } from '../lib/settings';
import {
  closedLinkMessage,
  invalidDecisionMessage,
  notRecordedMessage,
  openTaskJson,
  openTaskPage,
  recordedMessage,
} from '../pages/task-pages';
import { messagePage, messageResult, pageLanguage, pageResult } from './shared/page-results';

/** GET /tasks/{linkId} shows the task; POST decides it (first writer wins). */
async function taskPage(event: HttpEvent): Promise<HttpResult> {
  const link = await taskLinkOf(event.pathParameters?.linkId ?? '');
  const language = pageLanguage(event, link?.assigneeLanguage);
  const { desk } = settings();
  const closed = (view: ClosedLink) => messageResult(event, closedLinkMessage(view, language, desk.timeZone));
  if (event.httpMethod !== 'POST') {
    const view = await showTaskLink(link);
    if (view.kind !== 'open') return closed(view);
    if (wantsJson(event)) return json(200, openTaskJson(view, language), { 'content-language': language });
    return pageResult(200, openTaskPage(view, language, desk), language);
  }
  const result = await decideByTaskLink(link, formBody(event), language);
  switch (result.kind) {
    case 'recorded': {
      const { step, role, complaintId } = result.link;
      const { decision, trackingUrl } = result;
      return messagePage(recordedMessage({ step, role, decision, complaintId, trackingUrl, language }));
    }
    case 'invalid':
      return wantsJson(event)
        ? messageProblem(invalidDecisionMessage(result.errors, language), {}, result.errors)
        : pageResult(
            400,
            openTaskPage(result.view, language, desk, { values: result.values, errors: result.errors }),
            language,
          );
    case 'closed':
      return closed(result);
    case 'not-recorded':
      return messageResult(event, notRecordedMessage(language), { 'retry-after': String(result.retryAfterSeconds) });
  }
}

export const handler = middy<HttpEvent, HttpResult>().use(logContext()).use(problemDetails()).handler(taskPage);
