import middy from '@middy/core';
import { respondentWrites } from '../app/receive-answer';
import { caseForRespondent, grantRespondentUpload } from '../app/respondent-view';
import {
  formBody,
  json,
  jsonBody,
  problemDetails,
  requestLanguage,
  type HttpEvent,
  type HttpResult,
} from '../lib/http';
import { logContext } from '../lib/log';
import { settings } from '../lib/settings';
import { formUploadResult } from './shared/form-upload-result';
import { pageLanguage, postsJson, seeOther } from './shared/page-results';
import { respondentPageResult } from './shared/respondent-page';
import { isFormPost, trackingTokenOf } from './shared/tracking-auth';

/**
 * GET /respond/{id}?token=…: the respondent's link from the desk's mail: its messages to them
 * and their answers (page or JSON, with the files they uploaded). POST (`text`, optional
 * `attachments`, with the token) answers: JSON gets 201, the page's form a 303 back to it.
 * POST /respond/{id}/attachments (`fileName`, `contentType`, `size`): a presigned upload for a
 * file to attach, checked and recorded as evidence is, as the respondent's; from the page's plain
 * form (no script), the form that uploads one file to the evidence store and comes back here.
 */
async function respondentMessages(event: HttpEvent): Promise<HttpResult> {
  const form = isFormPost(event) ? formBody(event) : undefined;
  const body = !form && event.body && postsJson(event) ? jsonBody(event) : undefined;
  const fields = (form ?? body ?? {}) as Record<string, unknown>;
  const token = trackingTokenOf(event, typeof fields.token === 'string' ? fields.token : undefined);
  const complaint = await caseForRespondent(event.pathParameters?.id ?? '', token);
  const language = pageLanguage(event);
  const selfPath = `${settings().publicBaseUrl}/respond/${complaint.id}`;
  const back = `${selfPath}?token=${encodeURIComponent(token!)}&lang=${language}`;
  if (event.resource.endsWith('/attachments'))
    return form
      ? formUploadResult(
          await grantRespondentUpload(complaint, {}, language, { returnTo: back }),
          language,
          back,
          'respondent',
        )
      : json(201, await grantRespondentUpload(complaint, fields, language));
  if (event.httpMethod === 'POST') {
    const written = await respondentWrites(complaint, fields, language);
    if (form) return seeOther(`${back}&notice=sent`);
    return json(201, { sent: true, at: written.at, answeredWait: written.answered });
  }
  return respondentPageResult(event, complaint, token!, language, selfPath);
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails(requestLanguage))
  .handler(respondentMessages);
