import middy from '@middy/core';
import { fileComplaint } from '../app/file-complaint';
import { STAFF_CHANNELS } from '../domain/complaint';
import { intakeFromForm } from '../domain/staff';
import {
  formBody,
  header,
  html,
  json,
  jsonBody,
  problemDetails,
  requestLanguage,
  ValidationError,
  type HttpEvent,
  type HttpResult,
} from '../lib/http';
import { logContext } from '../lib/log';
import { settings } from '../lib/settings';
import { requireNonce, signInRedirect, staffSessionOf } from './shared/staff-auth';
import { newComplaintPage } from '../pages/staff-pages';

/**
 * GET /staff/complaints: the form for a complaint taken by phone or message. POST (the form, or
 * JSON as the public route takes it, with `x-redress-nonce`): filed through the same intake as
 * the public route, channel hotline, social or app only, with `enteredBy` recorded.
 */
async function staffComplaint(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const page = (status: number, extra: Parameters<typeof newComplaintPage>[0] extends infer P ? Partial<P> : never) =>
    html(
      status,
      newComplaintPage({ member: session.member, language, nonce: session.nonce, config: settings().desk, ...extra }),
      { 'content-language': language },
    );
  if (event.httpMethod !== 'POST') return page(200, {});
  const isJson = /json/i.test(header(event, 'content-type') ?? '');
  const form = isJson ? undefined : formBody(event);
  requireNonce(session, event, form);
  const body = form ? intakeFromForm(form) : jsonBody(event);
  const request = {
    body,
    channels: STAFF_CHANNELS,
    idempotencyKey: header(event, 'idempotency-key'),
    readerLanguage: language,
    enteredBy: session.member.email,
  };
  if (isJson) {
    const answer = await fileComplaint(request);
    return json(
      answer.status,
      { ...answer.body, ...(answer.kind === 'linked' ? { duplicateOf: answer.complaint } : {}) },
      answer.headers,
    );
  }
  try {
    const answer = await fileComplaint(request);
    // Staff see the case it landed on, a repeat's too (the public answer names none).
    if (!answer.complaint)
      return page(answer.status, {
        values: form,
        errors: [{ path: 'complainant.email', message: String(answer.body.message) }],
      });
    return page(answer.status, { filed: answer.complaint });
  } catch (error) {
    if (error instanceof ValidationError)
      return page(400, {
        values: form,
        errors: (error.options.errors ?? []).map((e) => ({
          path: e.path,
          message: typeof e.message === 'string' ? e.message : e.message[language],
        })),
      });
    throw error;
  }
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(staffComplaint);
