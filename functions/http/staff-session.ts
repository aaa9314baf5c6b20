import middy from '@middy/core';
import { showSignInLink, signIn, signOut } from '../app/staff-session';
import type { Language } from '../domain/language';
import {
  formBody,
  html,
  messageProblem,
  problemDetails,
  requestLanguage,
  wantsJson,
  type HttpEvent,
  type HttpResult,
} from '../lib/http';
import { logContext } from '../lib/log';
import {
  clearedSessionCookie,
  redirect,
  requireNonce,
  sessionCookie,
  signInRedirect,
  staffSessionOf,
} from './shared/staff-auth';
import { signInLinkGone, signInLinkPage } from '../pages/staff-pages';

const linkGone = (language: Language) => messageProblem(signInLinkGone(language));

/**
 * GET /staff/sign-in/{linkId} shows a button (a mail scanner's GET signs nobody in); POST uses
 * the link once and sets the session cookie. POST /staff/sign-out ends the session server-side.
 */
async function staffSession(event: HttpEvent): Promise<HttpResult> {
  const language = requestLanguage(event);
  if (event.resource === '/staff/sign-out') {
    const session = await staffSessionOf(event);
    requireNonce(session, event, formBody(event));
    await signOut(session);
    return redirect(`/staff?lang=${language}&notice=signed-out`, { 'set-cookie': clearedSessionCookie() });
  }
  const linkId = event.pathParameters?.linkId ?? '';
  if (event.httpMethod !== 'POST') {
    const link = await showSignInLink(linkId);
    if (!link.open && wantsJson(event)) return linkGone(language);
    return html(link.open ? 200 : 410, signInLinkPage(language, linkId, link.open ? link.nonce : undefined), {
      'content-language': language,
    });
  }
  const nonce = formBody(event).nonce;
  const result = await signIn(linkId, typeof nonce === 'string' ? nonce : '');
  if (!result.signedIn && wantsJson(event)) return linkGone(language);
  if (!result.signedIn) return html(410, signInLinkPage(language, linkId, undefined), { 'content-language': language });
  return redirect(`/staff/queue?lang=${language}`, {
    'set-cookie': sessionCookie(result.secret, result.maxAgeSeconds),
  });
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(staffSession);
