import middy from '@middy/core';
import { buildCaseArchive, caseForArchive } from '../app/case-archive';
import { problemDetails, requestLanguage, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { signInRedirect, staffSessionOf } from './shared/staff-auth';
import { archiveRedirect } from '../lib/download';

/**
 * GET /staff/complaints/{id}/referral-bundle: the whole case as a bundle to hand over (staff
 * version: the full history, handling and evidence), for staff who may see the case. Its making
 * is recorded in the case's history, with who made it.
 */
async function staffReferralBundle(event: HttpEvent): Promise<HttpResult> {
  const { member } = await staffSessionOf(event);
  const complaint = await caseForArchive(member, event.pathParameters?.id ?? '');
  return archiveRedirect(
    await buildCaseArchive({
      complaint,
      kind: 'referral-bundle',
      audience: 'staff',
      language: requestLanguage(event),
      requester: { kind: 'staff', role: member.role, email: member.email },
    }),
  );
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(staffReferralBundle);
