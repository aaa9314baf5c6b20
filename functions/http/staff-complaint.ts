import middy from '@middy/core';
import { enterComplaint } from '../app/enter-complaint';
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
  wantsJson,
} from '../lib/http';
import { evidenceUploadOrigin } from '../lib/evidence-upload-origin';
import { logContext } from '../lib/log';
import { settings } from '../lib/settings';
import { newComplaintPage } from '../pages/staff-pages';
import { fieldErrorsOf, postsJson, scriptPageResult } from './shared/page-results';
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
  // The form's one script uploads the caller's files: to this origin and the evidence store only.
  const page = (status: number, extra: Partial<Parameters<typeof newComplaintPage>[0]> = {}) =>
    scriptPageResult(status, language, [evidenceUploadOrigin()], (scriptNonce) =>
      newComplaintPage({ member, language, nonce, config: settings().desk, scriptNonce, ...extra }),
    );
  if (event.httpMethod !== 'POST') return page(200);
  const form = postsJson(event) ? undefined : formBody(event);
  requireNonce(session, event, form);
  const request = {
    body: form ? { ...intakeFromForm(form), evidence: form.evidence } : jsonBody(event),
    idempotencyKey: header(event, 'idempotency-key'),
    readerLanguage: language,
  };
  // The form's script asks for JSON: it then uploads the caller's files itself.
  if (!form || wantsJson(event)) {
    const { answer, uploads } = await enterComplaint(member, request);
    const extra = {
      ...(answer.kind === 'linked' ? { duplicateOf: answer.complaint } : {}),
      ...(uploads.length ? { uploads } : {}),
    };
    return json(answer.status, { ...answer.body, ...extra }, answer.headers);
  }
  try {
    const { answer } = await enterComplaint(member, request);
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
