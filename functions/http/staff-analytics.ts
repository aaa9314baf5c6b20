import middy from '@middy/core';
import { analyticsView } from '../app/analytics';
import { sendWeeklyReportNow } from '../app/weekly-report';
import { analyticsRangeOf } from '../domain/analytics';
import { currentTime } from '../lib/clock';
import {
  formBody,
  header,
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
import { settings } from '../lib/settings';
import { redirect, requireNonce, signInRedirect, staffSessionOf } from './shared/staff-auth';
import { analyticsCsv, analyticsPageHtml } from '../pages/analytics-page';
import { ANALYTICS_LABELS } from '../pages/labels';

/**
 * GET /staff/analytics (page or JSON) and GET /staff/analytics.csv: the desk's figures over a
 * range (`from`, `to`, `groupBy`), a supervisor's teams or everything for a manager.
 * POST /staff/analytics/weekly-report: an operator sends the weekly report now.
 */
async function staffAnalytics(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const { desk } = settings();
  if (event.httpMethod === 'POST') {
    const fields = (/json/i.test(header(event, 'content-type') ?? '') ? jsonBody(event) : formBody(event)) as Record<
      string,
      unknown
    >;
    requireNonce(session, event, fields);
    const result = await sendWeeklyReportNow(session.member);
    if (wantsJson(event) || /json/i.test(header(event, 'content-type') ?? '')) return json(200, result);
    return redirect(`/staff/analytics?lang=${language}&notice=report-sent`);
  }
  const asked = analyticsRangeOf(event.queryStringParameters, currentTime(), desk.timeZone);
  if (!asked.ok) throw new ValidationError(asked.errors, { 'zh-CN': '统计范围有误', en: 'The range is not valid' });
  const view = await analyticsView(session.member, asked.range);
  if (event.path?.endsWith('.csv') || event.resource?.endsWith('.csv')) {
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="redress-analytics-${asked.range.from}-${asked.range.to}.csv"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
      body: analyticsCsv(view, language, desk),
    };
  }
  if (wantsJson(event)) return json(200, view);
  const query = new URLSearchParams({
    from: asked.range.from,
    to: asked.range.to,
    groupBy: asked.range.groupBy,
    lang: language,
  }).toString();
  const notice =
    event.queryStringParameters?.notice === 'report-sent' ? ANALYTICS_LABELS.reportSent[language] : undefined;
  return html(
    200,
    analyticsPageHtml({ view, member: session.member, language, nonce: session.nonce, config: desk, query, notice }),
    { 'content-language': language },
  );
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(staffAnalytics);
