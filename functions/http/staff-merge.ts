import middy from '@middy/core';
import { mergeCases } from '../app/merge-cases';
import { json, problemDetails, requestLanguage, wantsJson, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { noncedFields, redirect, signInRedirect, staffSessionOf } from './shared/staff-auth';

/**
 * POST /staff/complaints/{id}/merge (`into`: the number of another open case of the same
 * complainant; supervisor and up): the case closes as merged into it. A form goes to the
 * surviving case's page, JSON gets 200.
 */
async function staffMerge(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const { fields, sentJson: isJson } = noncedFields(session, event);
  const merged = await mergeCases(session.member, event.pathParameters?.id ?? '', fields, language);
  if (wantsJson(event) || isJson) return json(200, merged);
  return redirect(`/staff/complaints/${encodeURIComponent(merged.into.id)}?lang=${language}&notice=merged`);
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(staffMerge);
