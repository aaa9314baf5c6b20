import middy from '@middy/core';
import { analyticsView } from '../app/analytics';
import { sendWeeklyReportNow } from '../app/weekly-report';
import { analyticsRangeOf } from '../domain/analytics';
import { currentTime } from '../lib/clock';
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
import { analyticsCsv, analyticsPageHtml } from '../pages/analytics-page';
import { ANALYTICS_LABELS } from '../pages/labels';
import { pageResult } from './shared/page-results';
import { webhookLogResult } from './shared/webhook-log-route';
import { noncedFields, redirect, signInRedirect, staffSessionOf } from './shared/staff-auth';
import { REQUEST_TEXTS } from '../pages/request-texts';

/**
 * GET /staff/analytics (page or JSON) and GET /staff/analytics.csv: the desk's figures over a
 * range (`from`, `to`, `groupBy`), a supervisor's teams or everything for a manager.
 * POST /staff/analytics/weekly-report: an operator sends the weekly report now, a manager their own teams'.
 * GET /staff/webhooks: the webhook delivery log (shared/webhook-log-route.ts).
 */
async function staffAnalytics(event: HttpEvent): Promise<HttpResult> {
  if ((event.resource ?? event.path) === '/staff/webhooks') return webhookLogResult(event);
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const { desk } = settings();
  if (event.httpMethod === 'POST') {
    const { sentJson } = noncedFields(session, event);
    const result = await sendWeeklyReportNow(session.member);
    if (wantsJson(event) || sentJson) return json(200, result);
    return redirect(`/staff/analytics?lang=${language}&notice=report-sent`);
  }
  const asked = analyticsRangeOf(event.queryStringParameters, currentTime(), desk.timeZone);
  if (!asked.ok) throw new ValidationError(asked.errors, REQUEST_TEXTS.analyticsRangeInvalid);
  const { from, to, groupBy } = asked.range;
  const view = await analyticsView(session.member, asked.range);
  if (event.path?.endsWith('.csv') || event.resource?.endsWith('.csv'))
    return csvResult(analyticsCsv(view, language, desk), `redress-analytics-${from}-${to}.csv`);
  if (wantsJson(event)) return json(200, view);
  const query = new URLSearchParams({ from, to, groupBy, lang: language }).toString();
  const notice =
    event.queryStringParameters?.notice === 'report-sent' ? ANALYTICS_LABELS.reportSent[language] : undefined;
  const { member, nonce } = session;
  return pageResult(200, analyticsPageHtml({ view, member, language, nonce, config: desk, query, notice }), language);
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(staffAnalytics);
