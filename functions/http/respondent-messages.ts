import middy from '@middy/core';
import { respondentWrites } from '../app/receive-answer';
import { caseForRespondent, respondentThread } from '../app/respondent-view';
import { isLanguage } from '../domain/language';
import { isOpen } from '../domain/lifecycle';
import {
  formBody,
  header,
  html,
  json,
  jsonBody,
  problemDetails,
  requestLanguage,
  wantsJson,
  type HttpEvent,
  type HttpResult,
} from '../lib/http';
import { logContext } from '../lib/log';
import { settings } from '../lib/settings';
import { isFormPost } from './shared/tracking-auth';
import { respondentPage } from '../pages/thread-view';

/**
 * GET /respond/{id}?token=…: the respondent's link from the desk's mail: its messages to them
 * and their answers (page or JSON). POST (`text`, with the token) answers: JSON gets 201, the
 * page's form a 303 back to it.
 */
async function respondentMessages(event: HttpEvent): Promise<HttpResult> {
  const form = isFormPost(event) ? formBody(event) : undefined;
  const body = !form && event.body && /json/i.test(header(event, 'content-type') ?? '') ? jsonBody(event) : undefined;
  const fields = (form ?? body ?? {}) as Record<string, unknown>;
  const token =
    event.queryStringParameters?.token ??
    header(event, 'authorization')?.replace(/^Bearer\s+/i, '') ??
    (typeof fields.token === 'string' ? fields.token : undefined);
  const id = event.pathParameters?.id ?? '';
  const complaint = await caseForRespondent(id, token);
  const asked = event.queryStringParameters?.lang;
  const language = isLanguage(asked) ? asked : requestLanguage(event);
  const selfPath = `${settings().publicBaseUrl}/respond/${complaint.id}`;
  if (event.httpMethod === 'POST') {
    const written = await respondentWrites(complaint, fields, language);
    if (form)
      return {
        statusCode: 303,
        headers: {
          location: `${selfPath}?token=${encodeURIComponent(token!)}&lang=${language}&notice=sent`,
          'cache-control': 'no-store',
        },
        body: '',
      };
    return json(201, { sent: true, at: written.at, answeredWait: written.answered });
  }
  const entries = await respondentThread(complaint);
  if (wantsJson(event))
    return json(200, { number: complaint.number, open: isOpen(complaint.status), messages: entries });
  return html(
    200,
    respondentPage({
      number: complaint.number,
      entries,
      language,
      timeZone: settings().desk.timeZone,
      token: token!,
      selfPath,
      open: isOpen(complaint.status),
      notice: event.queryStringParameters?.notice === 'sent' ? 'sent' : undefined,
      downloadHref: (fileId) => `${selfPath}/files/${fileId}?token=${encodeURIComponent(token!)}`,
    }),
    { 'content-language': language },
  );
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails(requestLanguage))
  .handler(respondentMessages);
