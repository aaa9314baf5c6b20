import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { aggregateStream, rebuildAnalytics, rollUpAnalytics } from '../app/analytics';
import { logContext } from '../lib/log';

/**
 * The desk's figures, in three ways in: on the table's stream (history events added), it stores
 * each batch's figures; on its schedule (every minute), the roll-up adds the stored batches into
 * the figures' items; invoked with `{ "rebuild": true }` (a one-off, by hand), it recomputes every
 * figure from the history of every case.
 */
type Input = DynamoDBStreamEvent | { rebuild: true } | Record<string, unknown>;

export const handler = middy<Input, unknown>()
  .use(logContext())
  .handler(async (event) => {
    if ('Records' in event && Array.isArray(event.Records)) return aggregateStream(event as DynamoDBStreamEvent);
    if ('rebuild' in event && event.rebuild === true) return rebuildAnalytics();
    return rollUpAnalytics();
  });
