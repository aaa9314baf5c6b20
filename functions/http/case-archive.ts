import middy from '@middy/core';
import { buildCaseArchive } from '../app/case-archive';
import { archiveRedirect } from '../lib/download';
import { problemDetails, requestLanguage, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { complaintForTrackingLink } from './shared/tracking-auth';

/**
 * GET /complaints/{id}/export and GET /complaints/{id}/referral-bundle, by the tracking token:
 * the complainant's copy of their data, and their case as a bundle to hand to a consumer
 * association, regulator or court. Both hold only what is meant for the complainant.
 */
async function complainantArchive(event: HttpEvent): Promise<HttpResult> {
  const { complaint, language } = await complaintForTrackingLink(event);
  const kind = (event.resource ?? event.path ?? '').endsWith('/export') ? 'export' : 'referral-bundle';
  return archiveRedirect(
    await buildCaseArchive({ complaint, kind, audience: 'complainant', language, requester: { kind: 'complainant' } }),
  );
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails(requestLanguage))
  .handler(complainantArchive);
