import { SendEmailCommand } from '@aws-sdk/client-ses';
import type { EmailMessage } from '../pages/emails';
import { ses } from './aws-clients';
import { settings } from './settings';

export async function sendEmail(message: EmailMessage): Promise<string | undefined> {
  const { MessageId } = await ses.send(
    new SendEmailCommand({
      Source: settings().mailFrom,
      Destination: { ToAddresses: [message.to] },
      Message: {
        Subject: { Data: message.subject, Charset: 'UTF-8' },
        Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
      },
      ...(process.env.SES_CONFIGURATION_SET ? { ConfigurationSetName: process.env.SES_CONFIGURATION_SET } : {}),
    }),
  );
  return MessageId;
}
