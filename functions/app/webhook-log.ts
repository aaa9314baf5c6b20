import { seesEverything, type StaffMember } from '../domain/staff';
import { hourBefore, isLogHour, LOG_PAGE_SIZE, LOOK_BACK_HOURS } from '../domain/webhook-log';
import { currentTime } from '../lib/clock';
import { ValidationError } from '../lib/http';
import { StaffForbiddenError } from '../lib/problems';
import { settings } from '../lib/settings';
import { listWebhookTries, logHourOf, type WebhookTry } from '../store/webhook-log';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

export interface WebhookLogView {
  /** The newest hour read (UTC, `2026-12-07T13`) and the oldest. */
  from: string;
  to: string;
  /** Where the next, older page starts. */
  older: string;
  /** The configured webhooks. */
  webhooks: { id: string; url: string; events: string[] }[];
  /** The tries, newest first. */
  tries: WebhookTry[];
}

/**
 * The webhook delivery log, for operators and managers (it holds event ids, types and case ids,
 * no personal data): the newest tries from `hour` back (domain/webhook-log.ts).
 */
export async function webhookLogView(member: StaffMember, query: { hour?: string }): Promise<WebhookLogView> {
  if (!seesEverything(member)) throw new StaffForbiddenError('webhooks');
  if (query.hour !== undefined && !isLogHour(query.hour))
    throw new ValidationError([
      {
        path: 'hour',
        message: USE_CASE_TEXTS.webhookHourInvalid,
      },
    ]);
  const from = query.hour ?? logHourOf(currentTime());
  const tries: WebhookTry[] = [];
  let hour = from;
  let to = from;
  for (let read = 0; read < LOOK_BACK_HOURS && tries.length < LOG_PAGE_SIZE; read++) {
    tries.push(...(await listWebhookTries(hour, LOG_PAGE_SIZE - tries.length)));
    to = hour;
    hour = hourBefore(hour);
  }
  const webhooks = settings().desk.integrations.webhooks.map((w) => ({ id: w.id, url: w.url, events: [...w.events] }));
  return { from, to, older: hour, webhooks, tries };
}
