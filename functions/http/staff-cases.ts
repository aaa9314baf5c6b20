import middy from '@middy/core';
import { cannedRepliesFor } from '../app/canned-replies';
import { listCases } from '../app/case-views';
import { listViews } from '../app/saved-views';
import { caseViewFiltersOf, viewQueryOf, viewTeams } from '../domain/case-views';
import {
  html,
  json,
  problemDetails,
  requestLanguage,
  ValidationError,
  wantsJson,
  type HttpEvent,
  type HttpResult,
} from '../lib/http';
import { logContext } from '../lib/log';
import { settings } from '../lib/settings';
import { signInRedirect, staffSessionOf } from './shared/staff-auth';
import { casesCsv, casesPageHtml } from '../pages/case-views-page';

const NOTICES = {
  saved: { 'zh-CN': '视图已保存。', en: 'The view is saved.' },
} as const;

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
  const query = viewQueryOf(filters);
  if ((event.resource ?? event.path ?? '').endsWith('.csv'))
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="redress-cases.csv"',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        ...(page.nextCursor ? { 'x-next-cursor': page.nextCursor } : {}),
      },
      body: casesCsv(page, language, desk),
    };
  if (wantsJson(event)) return json(200, { me: { email: session.member.email, role: session.member.role }, ...page });
  const [views, { replies }] = await Promise.all([
    listViews(session.member, language),
    cannedRepliesFor(session.member),
  ]);
  const withLang = (params: URLSearchParams, extra: Record<string, string> = {}) => {
    const out = new URLSearchParams(params);
    for (const [k, v] of Object.entries(extra)) out.set(k, v);
    out.set('lang', language);
    return out.toString();
  };
  const notice = event.queryStringParameters?.notice;
  return html(
    200,
    casesPageHtml({
      member: session.member,
      page,
      filters,
      language,
      nonce: session.nonce,
      desk,
      teams: viewTeams(session.member, desk),
      views: views.map((v) => ({ ...v, href: `/staff/cases?${withLang(new URLSearchParams(v.query))}` })),
      replies: replies.map((r) => ({ id: r.id, title: r.title })),
      currentHref: `/staff/cases?${withLang(query)}`,
      nextHref: page.nextCursor ? `/staff/cases?${withLang(query, { cursor: page.nextCursor })}` : undefined,
      csvHref: `/staff/cases.csv?${withLang(query, filters.cursor ? { cursor: filters.cursor } : {})}`,
      notice: notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES][language] : undefined,
    }),
    { 'content-language': language },
  );
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(cases);
