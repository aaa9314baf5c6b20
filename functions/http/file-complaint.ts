import middy from '@middy/core';
import { fileComplaint } from '../app/file-complaint';
import { intakeLanguage, PUBLIC_CHANNELS } from '../domain/complaint';
import type { Language } from '../domain/language';
import { header, json, jsonBody, problemDetails, requestLanguage, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';

/**
 * POST /complaints (channels `web` and `api`; the others are entered by staff or arrive by mail): 201 for a new complaint, 200 for a repeat linked to an open one (with
 * `duplicateOf`), the first answer again for a repeated Idempotency-Key; problems (400, 403, 415,
 * 422) as problem+json.
 */
async function postComplaint(event: HttpEvent): Promise<HttpResult> {
  const answer = await fileComplaint({
    body: jsonBody(event),
    channels: PUBLIC_CHANNELS,
    idempotencyKey: header(event, 'idempotency-key'),
    readerLanguage: requestLanguage(event),
  });
  return json(answer.status, answer.body, answer.headers);
}

/** Problems are in the complainant's language when the body names it, else the reader's. */
function problemLanguage(event: HttpEvent): Language {
  let body: unknown;
  try {
    body = JSON.parse(event.body ?? '');
  } catch {
    body = undefined;
  }
  return intakeLanguage(body, requestLanguage(event));
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails(problemLanguage))
  .handler(postComplaint);
