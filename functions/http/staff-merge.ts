import middy from '@middy/core';
import { mergeCases } from '../app/merge-cases';
import {
  formBody,
  header,
  json,
  jsonBody,
  problemDetails,
  requestLanguage,
  wantsJson,
  type HttpEvent,
  type HttpResult,
} from '../lib/http';
import { logContext } from '../lib/log';
import { redirect, requireNonce, signInRedirect, staffSessionOf } from './shared/staff-auth';

/**
 * POST /staff/complaints/{id}/merge (`into`: the number of another open case of the same
 * complainant; supervisor and up): the case closes as merged into it. A form goes to the
 * surviving case's page, JSON gets 200.
 */
async function staffMerge(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const isJson = /json/i.test(header(event, 'content-type') ?? '');
  const fields = (isJson ? jsonBody(event) : formBody(event)) as Record<string, unknown>;
  requireNonce(session, event, fields);
  const merged = await mergeCases(session.member, event.pathParameters?.id ?? '', fields, language);
  if (wantsJson(event) || isJson) return json(200, merged);
  return redirect(`/staff/complaints/${encodeURIComponent(merged.into.id)}?lang=${language}&notice=merged`);
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(staffMerge);
