import middy from '@middy/core';
import { trackingViewOf } from '../app/tracking-view';
import { json, problemDetails, wantsJson, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { settings } from '../lib/settings';
import { trackingJson } from '../pages/tracking-json';
import { trackingPage } from '../pages/tracking-page';
import { pageResult } from './shared/page-results';
import { complaintForTrackingLink } from './shared/tracking-auth';

/**
 * GET /complaints/{id}?token=…: the complainant's view, as JSON when asked for JSON and as a
 * page otherwise. A wrong token looks exactly like a missing complaint.
 */
async function trackComplaint(event: HttpEvent): Promise<HttpResult> {
  const { complaint, token, language } = await complaintForTrackingLink(event);
  const { events, merged, canRequestReview, mergedInto } = await trackingViewOf(complaint);
  if (wantsJson(event))
    return json(200, trackingJson(complaint, events, language, merged, mergedInto), { 'content-language': language });
  const query = event.queryStringParameters ?? {};
  const page = trackingPage({
    complaint,
    events,
    merged,
    language,
    config: settings().desk,
    selfUrl: `?token=${encodeURIComponent(token)}`,
    token,
    canRequestReview,
    ...(mergedInto ? { mergedInto } : {}),
    notice: query.notice,
    confirmWithdrawal: query.confirm === 'withdrawal',
    confirmErasure: query.confirm === 'erasure',
  });
  return pageResult(200, page, language);
}

export const handler = middy<HttpEvent, HttpResult>().use(logContext()).use(problemDetails()).handler(trackComplaint);
