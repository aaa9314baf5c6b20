import middy from '@middy/core';
import { respondentWrites } from '../app/receive-answer';
import { caseForRespondent, grantRespondentUpload, respondentFiles, respondentThread } from '../app/respondent-view';
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
import { evidenceUploadOrigin } from '../lib/evidence-upload-origin';
import { logContext } from '../lib/log';
import { newScriptNonce, scriptPageCsp } from '../lib/script-csp';
import { settings } from '../lib/settings';
import { isFormPost } from './shared/tracking-auth';
import { respondentPage } from '../pages/thread-view';

/**
 * GET /respond/{id}?token=…: the respondent's link from the desk's mail: its messages to them
 * and their answers (page or JSON, with the files they uploaded). POST (`text`, optional
 * `attachments`, with the token) answers: JSON gets 201, the page's form a 303 back to it.
 * POST /respond/{id}/attachments (`fileName`, `contentType`, `size`): a presigned upload for a
 * file to attach, checked and recorded as evidence is, as the respondent's.
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
  if (event.resource.endsWith('/attachments'))
    return json(201, await grantRespondentUpload(complaint, fields, language));
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
  const [entries, evidence] = await Promise.all([respondentThread(complaint), respondentFiles(complaint)]);
  if (wantsJson(event))
    return json(200, { number: complaint.number, open: isOpen(complaint.status), messages: entries, evidence });
  // The answer form's one script uploads the respondent's files: to this origin and the evidence store only.
  const scriptNonce = newScriptNonce();
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
      evidence,
      config: settings().desk,
      scriptNonce,
    }),
    {
      'content-language': language,
      'content-security-policy': scriptPageCsp(scriptNonce, [new URL(selfPath).origin, evidenceUploadOrigin()]),
    },
  );
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails(requestLanguage))
  .handler(respondentMessages);
