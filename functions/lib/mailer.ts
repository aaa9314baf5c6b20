import { SendEmailCommand } from '@aws-sdk/client-ses';
import type { EmailMessage } from '../pages/emails';
import { ses } from './clients/ses';
import { log } from './log';
import { METRICS, recordMetric } from './metrics';
import { settings } from './settings';
import { isSuppressed } from '../store/suppressions';

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
