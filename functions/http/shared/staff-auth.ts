import type { MiddlewareObj } from '@middy/core';
import { hashSecret } from '../../domain/ids';
import { staffMember } from '../../domain/staff';
import type { StaffSession } from '../../app/staff-session';
import { getSession } from '../../store/staff-sessions';
import { currentTime } from '../../lib/clock';
import { formBody, header, HttpError, jsonBody, wantsJson, type HttpEvent, type HttpResult } from '../../lib/http';
import { settings } from '../../lib/settings';
import { postsJson } from './page-results';
import { REQUEST_TEXTS } from '../../pages/request-texts';

/**
 * Staff sessions: a cookie holding a random secret (its hash names the server-side session),
 * HttpOnly, SameSite=Strict, Path=/staff, Secure when the desk is served over https. A session
 * opens the desk while it is in time, not revoked, and its address is still staff in the config.
 */
export const SESSION_COOKIE = 'redress_staff';

export class StaffSignInRequiredError extends HttpError {
  constructor() {
    super(401, 'urn:redress:problem:staff-sign-in-required', REQUEST_TEXTS.staffSignInRequired, {
      headers: { 'www-authenticate': 'Cookie realm="staff"' },
    });
    this.name = 'StaffSignInRequiredError';
  }
}

export class StaffNonceError extends HttpError {
  constructor() {
    super(403, 'urn:redress:problem:staff-nonce-mismatch', REQUEST_TEXTS.staffPageOutOfDate);
    this.name = 'StaffNonceError';
  }
}

export function cookieValue(event: HttpEvent, name: string): string | undefined {
  for (const part of (header(event, 'cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=') || undefined;
  }
  return undefined;
}

/** The signed-in staff member of a request, or a 401 (a page: a redirect to sign-in, see `signInRedirect`). */
export async function staffSessionOf(event: HttpEvent): Promise<StaffSession> {
  const secret = cookieValue(event, SESSION_COOKIE);
  if (!secret || !/^[A-Za-z0-9_-]{20,64}$/.test(secret)) throw new StaffSignInRequiredError();
  const sessionHash = hashSecret(secret);
  const session = await getSession(sessionHash);
  const now = currentTime().toISOString();
  if (!session || session.revokedAt || session.validUntil <= now) throw new StaffSignInRequiredError();
  // The config is the directory: an address taken out of every team has no session left.
  const member = staffMember(settings().desk, session.email);
  if (!member) throw new StaffSignInRequiredError();
  return { member, sessionHash, nonce: session.nonce, validUntil: session.validUntil };
}

/**
 * A staff POST's fields, JSON or a form, held to the page's nonce: `sentJson` says which came, so
 * the handler answers JSON to JSON and sends a form back to its page.
 */
export function noncedFields(
  session: StaffSession,
  event: HttpEvent,
): { fields: Record<string, unknown>; sentJson: boolean } {
  const sentJson = postsJson(event);
  const fields = (sentJson ? jsonBody(event) : formBody(event)) as Record<string, unknown>;
  requireNonce(session, event, fields);
  return { fields, sentJson };
}

/** A state-changing POST carries the page's nonce (form field `nonce`, or header `x-redress-nonce`). */
export function requireNonce(session: StaffSession, event: HttpEvent, fields?: Record<string, unknown>): void {
  const given = (typeof fields?.nonce === 'string' ? fields.nonce : undefined) ?? header(event, 'x-redress-nonce');
  if (given !== session.nonce) throw new StaffNonceError();
}

const secure = () => settings().publicBaseUrl.startsWith('https:');

export function sessionCookie(secret: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${secret}; Path=/staff; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure() ? '; Secure' : ''}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/staff; HttpOnly; SameSite=Strict; Max-Age=0${secure() ? '; Secure' : ''}`;
}

export function redirect(path: string, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode: 303,
    headers: { location: `${settings().publicBaseUrl}${path}`, 'cache-control': 'no-store', ...headers },
    body: '',
  };
}

/** Use after problemDetails: a page request without a session goes to the sign-in page; JSON gets the 401. */
export function signInRedirect(): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    onError: async (request) => {
      if (request.error instanceof StaffSignInRequiredError && !wantsJson(request.event)) {
        const lang = request.event.queryStringParameters?.lang;
        return redirect(`/staff${lang === 'en' || lang === 'zh-CN' ? `?lang=${lang}` : ''}`);
      }
      return undefined;
    },
  };
}
