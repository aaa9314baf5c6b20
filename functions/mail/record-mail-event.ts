import middy from '@middy/core';
import type { SNSEvent } from 'aws-lambda';
import {
  recordMailEvent,
  recordTextEvent,
  type SesMailEvent,
  type TextDeliveryEvent,
  type TextEventResult,
} from '../app/record-mail-event';
import { log, logContext } from '../lib/log';

type DeliveryEvents = SesMailEvent | SNSEvent;

/**
 * The Lambda entry point for delivery events: SES bounces and complaints (EventBridge), and
 * texts' delivery events (End User Messaging SMS's configuration set → SNS; locally the phone
 * stand-in invokes it the same way). The rules are in app/record-mail-event.ts.
 */
export const handler = middy<DeliveryEvents, { suppressed: number } | TextEventResult[]>()
  .use(logContext())
  .handler(async (event) => {
    if (!('Records' in event)) return recordMailEvent(event);
    const results: TextEventResult[] = [];
    for (const record of event.Records ?? []) {
      let message: TextDeliveryEvent;
      try {
        message = JSON.parse(record.Sns.Message) as TextDeliveryEvent;
      } catch {
        log.warn('text event not JSON; ignored', {});
        continue;
      }
      if (typeof message?.eventType !== 'string') continue;
      results.push(await recordTextEvent(message));
    }
    return results;
  });
