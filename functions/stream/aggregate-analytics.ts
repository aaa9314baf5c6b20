import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { aggregateStream, rebuildAnalytics } from '../app/analytics';
import { logContext } from '../lib/log';

/**
 * The Lambda entry point on the table's stream (history events added): counts them into the
 * desk's figures. Invoked with `{ "rebuild": true }` instead (a one-off, by hand), it recomputes
 * every figure from the history of every case.
 */
type Input = DynamoDBStreamEvent | { rebuild: true };

export const handler = middy<Input, unknown>()
  .use(logContext())
  .handler(async (event) =>
    'rebuild' in event && event.rebuild ? rebuildAnalytics() : aggregateStream(event as DynamoDBStreamEvent),
  );
