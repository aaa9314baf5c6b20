import middy from '@middy/core';
import { fileComplaint } from '../app/file-complaint';
import { STAFF_CHANNELS } from '../domain/complaint';
import { intakeFromForm } from '../domain/staff';
import {
  formBody,
  header,
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
import { newComplaintPage } from '../pages/staff-pages';
import { fieldErrorsOf, pageResult, postsJson } from './shared/page-results';
import { requireNonce, signInRedirect, staffSessionOf } from './shared/staff-auth';

/**
 * GET /staff/complaints: the form for a complaint taken by phone or message. POST (the form, or
 * JSON as the public route takes it, with `x-redress-nonce`): filed through the same intake as
 * the public route, channel hotline, social or app only, with `enteredBy` recorded.
 */
async function staffComplaint(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const { member, nonce } = session;
  const page = (status: number, extra: Partial<Parameters<typeof newComplaintPage>[0]> = {}) =>
    pageResult(status, newComplaintPage({ member, language, nonce, config: settings().desk, ...extra }), language);
  if (event.httpMethod !== 'POST') return page(200);
  const form = postsJson(event) ? undefined : formBody(event);
  requireNonce(session, event, form);
  const request = {
    body: form ? intakeFromForm(form) : jsonBody(event),
    channels: STAFF_CHANNELS,
    idempotencyKey: header(event, 'idempotency-key'),
    readerLanguage: language,
    enteredBy: member.email,
  };
  if (!form) {
    const answer = await fileComplaint(request);
    const duplicate = answer.kind === 'linked' ? { duplicateOf: answer.complaint } : {};
    return json(answer.status, { ...answer.body, ...duplicate }, answer.headers);
  }
  try {
    const answer = await fileComplaint(request);
    // Staff see the case it landed on, a repeat's too (the public answer names none).
    if (answer.complaint) return page(answer.status, { filed: answer.complaint });
    const errors = [{ path: 'complainant.email', message: String(answer.body.message) }];
    return page(answer.status, { values: form, errors });
  } catch (error) {
    if (error instanceof ValidationError) return page(400, { values: form, errors: fieldErrorsOf(error, language) });
    throw error;
  }
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(staffComplaint);
