import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import { receiveText, type ReceiveTextResult } from '../app/receive-text';
import { log, logContext } from '../lib/log';

/**
 * The Lambda entry point for texts to the desk's number: AWS End User Messaging SMS publishes
 * each inbound text (two-way SMS) to an SNS topic as JSON with `originationNumber` and
 * `messageBody`; locally the phone stand-in invokes it the same way. The rule is in
 * app/receive-text.ts.
 */
export const handler = middy<SNSEvent, ReceiveTextResult[]>()
  .use(logContext())
  .handler(async (event) => {
    const results: ReceiveTextResult[] = [];
    for (const record of event.Records ?? []) {
      let message: { originationNumber?: unknown; messageBody?: unknown };
      try {
        message = JSON.parse(record.Sns.Message) as typeof message;
      } catch {
        log.warn('inbound text not JSON; ignored', {});
        results.push({ outcome: 'ignored', why: 'not-json' });
        continue;
      }
      if (typeof message.originationNumber !== 'string' || typeof message.messageBody !== 'string') {
        results.push({ outcome: 'ignored', why: 'no-number-or-body' });
        continue;
      }
      results.push(await receiveText({ from: message.originationNumber, body: message.messageBody }));
    }
    return results;
  });
