import middy from '@middy/core';
import { NotFoundError, problemDetails, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { shortLinkTarget } from '../store/short-links';
import { REQUEST_TEXTS } from '../pages/request-texts';

/**
 * GET /s/{code}: a short link from a text, sent on to the link it stands for (a tracking or task
 * link, which checks its own token). An unknown or expired code is a 404 like any other.
 */
async function followShortLink(event: HttpEvent): Promise<HttpResult> {
  const target = await shortLinkTarget(event.pathParameters?.code ?? '');
  if (!target) throw new NotFoundError(REQUEST_TEXTS.shortLinkNotFound);
  return {
    statusCode: 302,
    headers: { location: target, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
    body: '',
  };
}

export const handler = middy<HttpEvent, HttpResult>().use(logContext()).use(problemDetails()).handler(followShortLink);
