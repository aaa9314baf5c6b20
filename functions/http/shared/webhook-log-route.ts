import { webhookLogView } from '../../app/webhook-log';
import { json, requestLanguage, wantsJson, type HttpEvent, type HttpResult } from '../../lib/http';
import { settings } from '../../lib/settings';
import { webhookLogPageHtml } from '../../pages/webhook-log-page';
import { pageResult } from './page-results';
import { staffSessionOf } from './staff-auth';

/**
 * GET /staff/webhooks (page, or JSON with accept: application/json): the webhook delivery log
 * from `hour` back, for managers and operators. Served by StaffAnalytics, the operators' other
 * read-only view (one function less for the stack's resource budget).
 */
export async function webhookLogResult(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const hour = event.queryStringParameters?.hour;
  const view = await webhookLogView(session.member, hour ? { hour } : {});
  if (wantsJson(event)) return json(200, view);
  const { member, nonce } = session;
  const timeZone = settings().desk.timeZone;
  return pageResult(200, webhookLogPageHtml({ ...view, member, language, nonce, timeZone }), language);
}
