import middy from '@middy/core';
import { enterComplaint } from '../app/enter-complaint';
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
  wantsJson,
} from '../lib/http';
import { evidenceUploadOrigin } from '../lib/evidence-upload-origin';
import { logContext } from '../lib/log';
import { newScriptNonce, scriptPageCsp } from '../lib/script-csp';
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
  const page = (
    status: number,
    extra: Parameters<typeof newComplaintPage>[0] extends infer P ? Partial<P> : never,
  ): HttpResult => {
    // The form's one script uploads the caller's files: to this origin and the evidence store only.
    const scriptNonce = newScriptNonce();
    return html(
      status,
      newComplaintPage({
        member: session.member,
        language,
        nonce: session.nonce,
        config: settings().desk,
        scriptNonce,
        ...extra,
      }),
      { 'content-language': language, 'content-security-policy': scriptPageCsp(scriptNonce, [evidenceUploadOrigin()]) },
    );
  };
  if (event.httpMethod !== 'POST') return page(200, {});
  const isJson = /json/i.test(header(event, 'content-type') ?? '');
  const form = isJson ? undefined : formBody(event);
  requireNonce(session, event, form);
  const request = {
    body: form ? { ...intakeFromForm(form), evidence: form.evidence } : jsonBody(event),
    idempotencyKey: header(event, 'idempotency-key'),
    readerLanguage: language,
  };
  // The form's script asks for JSON: it then uploads the caller's files itself.
  if (isJson || wantsJson(event)) {
    const { answer, uploads } = await enterComplaint(session.member, request);
    return json(
      answer.status,
      {
        ...answer.body,
        ...(answer.kind === 'linked' ? { duplicateOf: answer.complaint } : {}),
        ...(uploads.length ? { uploads } : {}),
      },
      answer.headers,
    );
  }
  try {
    const { answer } = await enterComplaint(session.member, request);
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
