import middy from '@middy/core';
import { grantStaffAttachment } from '../app/staff-attachment';
import { sendMessage } from '../app/send-message';
import { json, problemDetails, requestLanguage, wantsJson, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { settings } from '../lib/settings';
import { formUploadResult } from './shared/form-upload-result';
import { noncedFields, redirect, signInRedirect, staffSessionOf } from './shared/staff-auth';

/**
 * POST /staff/complaints/{id}/messages (`to`, `text`, optional `attachments`, `awaitAnswer` with
 * `answerBy` or `answerWithinDays`): a form goes back to the case page, JSON gets 201 with the message.
 * POST /staff/complaints/{id}/attachments (`fileName`, `contentType`, `size`): a presigned upload
 * for a file to send with a message, checked and recorded as evidence is (its `evidenceId` goes in
 * the message's `attachments`); from the case page's plain form (no script), the form that
 * uploads one file to the evidence store and comes back to the case page.
 */
async function staffMessage(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const id = event.pathParameters?.id ?? '';
  const { fields, sentJson: isJson } = noncedFields(session, event);
  const back = `${settings().publicBaseUrl}/staff/complaints/${encodeURIComponent(id)}?lang=${language}`;
  // The case page without its script asks by a plain form: it gets the form that uploads one file.
  if (event.resource.endsWith('/attachments'))
    return isJson
      ? json(201, await grantStaffAttachment(session.member, id, fields, language))
      : formUploadResult(
          await grantStaffAttachment(session.member, id, {}, language, { returnTo: back }),
          language,
          back,
        );
  const sent = await sendMessage(session.member, id, fields, language);
  if (wantsJson(event) || isJson) return json(201, sent);
  return redirect(`/staff/complaints/${encodeURIComponent(id)}?lang=${language}&notice=message-sent`);
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(staffMessage);
