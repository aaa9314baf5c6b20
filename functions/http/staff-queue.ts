import middy from '@middy/core';
import { staffQueue } from '../app/staff-queue';
import { queueFiltersOf } from '../domain/staff';
import { html, json, problemDetails, requestLanguage, wantsJson, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { settings } from '../lib/settings';
import { signInRedirect, staffSessionOf } from './shared/staff-auth';
import { queuePageHtml } from '../pages/staff-pages';

/** GET /staff/queue: the reader's open work, soonest deadline first (a page, or JSON). */
async function queue(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const filters = queueFiltersOf(event.queryStringParameters);
  const page = await staffQueue(session.member, filters);
  if (wantsJson(event))
    return json(200, { me: { email: session.member.email, role: session.member.role }, nonce: session.nonce, ...page });
  const next = page.nextCursor
    ? new URLSearchParams({
        ...(event.queryStringParameters ?? {}),
        cursor: page.nextCursor,
        lang: language,
      }).toString()
    : undefined;
  return html(
    200,
    queuePageHtml({
      member: session.member,
      queue: page,
      filters,
      language,
      nonce: session.nonce,
      config: settings().desk,
      nextHref: next ? `/staff/queue?${next}` : undefined,
    }),
    { 'content-language': language },
  );
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(queue);
