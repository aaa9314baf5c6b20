import middy from '@middy/core';
import { respondentWrites } from '../app/receive-answer';
import { caseForRespondent, grantRespondentUpload, respondentFiles, respondentThread } from '../app/respondent-view';
import { isOpen } from '../domain/lifecycle';
import {
  formBody,
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
import { settings } from '../lib/settings';
import { respondentPage } from '../pages/thread-view';
import { pageLanguage, postsJson, scriptPageResult, seeOther } from './shared/page-results';
import { isFormPost, trackingTokenOf } from './shared/tracking-auth';

/**
 * GET /respond/{id}?token=…: the respondent's link from the desk's mail: its messages to them
 * and their answers (page or JSON, with the files they uploaded). POST (`text`, optional
 * `attachments`, with the token) answers: JSON gets 201, the page's form a 303 back to it.
 * POST /respond/{id}/attachments (`fileName`, `contentType`, `size`): a presigned upload for a
 * file to attach, checked and recorded as evidence is, as the respondent's.
 */
async function respondentMessages(event: HttpEvent): Promise<HttpResult> {
  const form = isFormPost(event) ? formBody(event) : undefined;
  const body = !form && event.body && postsJson(event) ? jsonBody(event) : undefined;
  const fields = (form ?? body ?? {}) as Record<string, unknown>;
  const token = trackingTokenOf(event, typeof fields.token === 'string' ? fields.token : undefined);
  const complaint = await caseForRespondent(event.pathParameters?.id ?? '', token);
  const language = pageLanguage(event);
  const selfPath = `${settings().publicBaseUrl}/respond/${complaint.id}`;
  if (event.resource.endsWith('/attachments'))
    return json(201, await grantRespondentUpload(complaint, fields, language));
  if (event.httpMethod === 'POST') {
    const written = await respondentWrites(complaint, fields, language);
    if (form) return seeOther(`${selfPath}?token=${encodeURIComponent(token!)}&lang=${language}&notice=sent`);
    return json(201, { sent: true, at: written.at, answeredWait: written.answered });
  }
  const [entries, evidence] = await Promise.all([respondentThread(complaint), respondentFiles(complaint)]);
  const open = isOpen(complaint.status);
  if (wantsJson(event)) return json(200, { number: complaint.number, open, messages: entries, evidence });
  // The answer form's one script uploads the respondent's files: to this origin and the evidence store only.
  const connectTo = [new URL(selfPath).origin, evidenceUploadOrigin()];
  return scriptPageResult(200, language, connectTo, (scriptNonce) =>
    respondentPage({
      number: complaint.number,
      entries,
      language,
      timeZone: settings().desk.timeZone,
      token: token!,
      selfPath,
      open,
      notice: event.queryStringParameters?.notice === 'sent' ? 'sent' : undefined,
      downloadHref: (fileId) => `${selfPath}/files/${fileId}?token=${encodeURIComponent(token!)}`,
      evidence,
      config: settings().desk,
      scriptNonce,
    }),
  );
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails(requestLanguage))
  .handler(respondentMessages);
