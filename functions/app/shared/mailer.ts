import { GetSendQuotaCommand, SendEmailCommand } from '@aws-sdk/client-ses';
import type { EmailMessage } from '../../lib/email-message';
import { ses } from '../../lib/clients/ses';
import { log } from '../../lib/log';
import { METRICS, recordMetric } from '../../lib/metrics';
import { settings } from '../../lib/settings';
import { isSuppressed } from '../../store/suppressions';

/**
 * Sends one email, unless SES reported its recipient as a hard bounce or a complaint: then it
 * sends nothing and returns undefined, so the workflow goes on without mailing that address again.
 */
export async function sendEmail(message: EmailMessage): Promise<string | undefined> {
  if (await isSuppressed(message.to)) {
    // The complaint number (in the subject) says which case, without the address.
    log.warn('email not sent: recipient suppressed after a bounce or complaint', {
      complaintNumber: /\[([^\]\s]+)\]/.exec(message.subject)?.[1] ?? null,
    });
    recordMetric(METRICS.mailSkipped);
    return undefined;
  }
  const { MessageId } = await ses.send(
    new SendEmailCommand({
      Source: settings().mailFrom,
      Destination: { ToAddresses: [message.to] },
      ...(message.replyTo ? { ReplyToAddresses: [message.replyTo] } : {}),
      Message: {
        Subject: { Data: message.subject, Charset: 'UTF-8' },
        Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
      },
      ...(process.env.SES_CONFIGURATION_SET ? { ConfigurationSetName: process.env.SES_CONFIGURATION_SET } : {}),
    }),
  );
  return MessageId;
}

/**
 * The rate assumed when SES's quota cannot be read (the local stand-in has no quota): SES's
 * lowest production rate. Above the account's real rate, SES throttles and the outbox tries later.
 */
export const FALLBACK_SEND_RATE = 14;
const QUOTA_READ_EVERY_MS = 10 * 60_000;
let quota: { perSecond: number; readAt: number } | undefined;

/**
 * The account's maximum sending rate (SES GetSendQuota: 1 a second in the sandbox, 14 and up in
 * production, raised on request), read at most every 10 minutes, so the outbox sends as fast as
 * the account may and no faster. When it cannot be read, FALLBACK_SEND_RATE.
 */
export async function sendRatePerSecond(now = Date.now()): Promise<number> {
  if (quota && now - quota.readAt < QUOTA_READ_EVERY_MS) return quota.perSecond;
  try {
    // A quota that does not come back soon is not waited for: the outbox goes on at the fallback.
    const answer = await ses.send(new GetSendQuotaCommand({}), { abortSignal: AbortSignal.timeout(3000) });
    quota = {
      perSecond: answer.MaxSendRate && answer.MaxSendRate > 0 ? answer.MaxSendRate : FALLBACK_SEND_RATE,
      readAt: now,
    };
  } catch (error) {
    log.warn('SES send quota not read; sending at the fallback rate', { error, perSecond: FALLBACK_SEND_RATE });
    quota = { perSecond: FALLBACK_SEND_RATE, readAt: now };
  }
  return quota.perSecond;
}
