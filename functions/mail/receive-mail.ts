import middy from '@middy/core';
import type { SESEvent } from 'aws-lambda';
import { receiveMail, type ReceiveMailResult } from '../app/receive-mail';
import { log, logContext } from '../lib/log';
import { inboundKey } from '../store/inbound-objects';

/**
 * The Lambda entry point of email in: SES's receipt rule invokes it (Lambda action, after its S3
 * action wrote the raw message under `inbound/<message id>`); locally the SMTP stand-in does the
 * same. The event carries SES's verdicts; the body is read from S3. The rules are in
 * app/receive-mail.ts.
 */
export const handler = middy<SESEvent, { results: ReceiveMailResult['outcome'][] }>()
  .use(logContext())
  .handler(async (event) => {
    const results: ReceiveMailResult['outcome'][] = [];
    for (const record of event.Records ?? []) {
      const { mail, receipt } = record.ses;
      const result = await receiveMail({
        key: inboundKey(mail.messageId),
        envelopeSender: mail.source,
        recipients: receipt.recipients ?? mail.destination ?? [],
        verdicts: {
          spam: receipt.spamVerdict?.status,
          virus: receipt.virusVerdict?.status,
          spf: receipt.spfVerdict?.status,
          dkim: receipt.dkimVerdict?.status,
          dmarc: receipt.dmarcVerdict?.status,
        },
      });
      if (result.outcome === 'ignored') log.info('mail ignored', { reason: result.reason });
      results.push(result.outcome);
    }
    return { results };
  });
