import middy from '@middy/core';
import { reportUnsubscribeOf, unsubscribeFromReports } from '../app/report-unsubscribe';
import {
  html,
  messageProblem,
  problemDetails,
  requestLanguage,
  wantsJson,
  type HttpEvent,
  type HttpResult,
} from '../lib/http';
import { logContext } from '../lib/log';
import { reportUnsubscribePage } from '../pages/report-unsubscribe-page';

/**
 * GET /reports/unsubscribe/{token}: what the weekly report's List-Unsubscribe link does, and a
 * button (a mail scanner's GET changes nothing). POST: unsubscribed, from the button or from the
 * mail client's one-click (RFC 8058: `List-Unsubscribe=One-Click`, no cookie, no page).
 */
async function reportUnsubscribe(event: HttpEvent): Promise<HttpResult> {
  const language = requestLanguage(event);
  const token = event.pathParameters?.token ?? '';
  const address =
    event.httpMethod === 'POST' ? (await unsubscribeFromReports(token))?.address : await reportUnsubscribeOf(token);
  if (!address) {
    const unknown = reportUnsubscribePage('unknown', language);
    return wantsJson(event)
      ? messageProblem({ status: 404, title: unknown.title, message: unknown.message, language })
      : html(404, unknown.body, { 'content-language': language });
  }
  const shown = reportUnsubscribePage(event.httpMethod === 'POST' ? 'done' : 'ask', language, address);
  return html(200, shown.body, { 'content-language': language });
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails(requestLanguage))
  .handler(reportUnsubscribe);
