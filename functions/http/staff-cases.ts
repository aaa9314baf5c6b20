import middy from '@middy/core';
import { cannedRepliesFor } from '../app/canned-replies';
import { listCases } from '../app/case-views';
import { listViews } from '../app/saved-views';
import { caseViewFiltersOf } from '../domain/case-views';
import {
  json,
  problemDetails,
  requestLanguage,
  ValidationError,
  wantsJson,
  type HttpEvent,
  type HttpResult,
} from '../lib/http';
import { csvResult } from '../lib/download';
import { logContext } from '../lib/log';
import { settings } from '../lib/settings';
import { casesCsv, casesPageFor } from '../pages/case-views-page';
import { pageResult } from './shared/page-results';
import { signInRedirect, staffSessionOf } from './shared/staff-auth';

/**
 * GET /staff/cases (a page, or JSON) and GET /staff/cases.csv (the same view as CSV): every case
 * in the reader's scope, filtered, sorted and paged (app/case-views.ts).
 */
async function cases(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const { desk } = settings();
  const parsed = caseViewFiltersOf(event.queryStringParameters, desk);
  if (!parsed.ok) throw new ValidationError(parsed.errors);
  const { filters } = parsed;
  const page = await listCases(session.member, filters);
  if ((event.resource ?? event.path ?? '').endsWith('.csv')) {
    const cursor = page.nextCursor ? { 'x-next-cursor': page.nextCursor } : undefined;
    return csvResult(casesCsv(page, language, desk), 'redress-cases.csv', cursor);
  }
  if (wantsJson(event)) return json(200, { me: { email: session.member.email, role: session.member.role }, ...page });
  const [views, { replies }] = await Promise.all([
    listViews(session.member, language),
    cannedRepliesFor(session.member),
  ]);
  const { member, nonce } = session;
  const notice = event.queryStringParameters?.notice;
  return pageResult(
    200,
    casesPageFor({ member, page, filters, language, nonce, desk, views, replies, notice }),
    language,
  );
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(cases);
