import middy from '@middy/core';
import { setLegalHold } from '../app/erasure';
import { json, problemDetails, requestLanguage, wantsJson, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { noncedFields, redirect, signInRedirect, staffSessionOf } from './shared/staff-auth';

/**
 * POST /staff/complaints/{id}/legal-hold (`action` place with a `reason`, or release; supervisor
 * and up): a form goes back to the case page, JSON gets 200 with whether the case is held.
 */
async function staffLegalHold(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const id = event.pathParameters?.id ?? '';
  const { fields, sentJson: asJson } = noncedFields(session, event);
  const result = await setLegalHold(session.member, id, { action: fields.action, reason: fields.reason });
  if (asJson || wantsJson(event)) return json(200, result);
  return redirect(`/staff/complaints/${encodeURIComponent(id)}?lang=${language}`);
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(staffLegalHold);
