import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sendWebhook } from '../app/send-webhook';
import type { PlatformEvent } from '../domain/platform-events';
import { logContext } from '../lib/log';

/**
 * The Lambda entry point of webhook delivery: each message (`{ webhook, event }`, put on the
 * queue by the webhook's EventBridge rule) is sent signed; a message whose try failed is reported
 * back, so the queue offers it again after its visibility timeout and, after the last try, moves
 * it to the dead-letter queue. The local bus invokes it the same way.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(logContext())
  .handler(async (event) => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        const message = JSON.parse(record.body) as { webhook: string; event: PlatformEvent };
        const attempt = Number(record.attributes?.ApproximateReceiveCount);
        await sendWebhook({ ...message, ...(attempt > 0 ? { attempt } : {}) });
      } catch {
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });
