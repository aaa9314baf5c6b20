import middy from '@middy/core';
import { requestSignIn } from '../app/staff-sign-in';
import {
  formBody,
  html,
  json,
  jsonBody,
  problemDetails,
  requestLanguage,
  ValidationError,
  wantsJson,
  type HttpEvent,
  type HttpResult,
} from '../lib/http';
import { logContext } from '../lib/log';
import { signInPage } from '../pages/staff-pages';
import { postsJson } from './shared/page-results';
import { REQUEST_TEXTS } from '../pages/request-texts';

/**
 * GET /staff: the sign-in page. POST /staff/sign-in (`email`, a form or JSON): the same answer
 * for every address, staff or not; a staff address gets a single-use link by email.
 */
async function staffSignIn(event: HttpEvent): Promise<HttpResult> {
  const language = requestLanguage(event);
  if (event.httpMethod !== 'POST')
    return html(
      200,
      signInPage(language, event.queryStringParameters?.notice === 'signed-out' ? 'signed-out' : undefined),
      { 'content-language': language },
    );
  const isJson = postsJson(event);
  const body = (isJson ? jsonBody(event) : formBody(event)) as { email?: unknown };
  const email = typeof body?.email === 'string' ? body.email.trim() : '';
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254)
    throw new ValidationError([{ path: 'email', message: REQUEST_TEXTS.invalidEmail[language] }]);
  await requestSignIn({ email, client: event.requestContext?.identity?.sourceIp ?? 'unknown' });
  if (isJson || wantsJson(event)) {
    return json(202, {
      message: REQUEST_TEXTS.staffSignInSent[language],
    });
  }
  return html(200, signInPage(language, 'sent'), { 'content-language': language });
}

export const handler = middy<HttpEvent, HttpResult>().use(logContext()).use(problemDetails()).handler(staffSignIn);
