import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { expireCase } from '../app/expire-evidence';
import { logContext } from '../lib/log';

/** The Lambda entry point on the table's stream; the rule is in app/expire-evidence.ts. */
export const handler = middy<DynamoDBStreamEvent, { purged: number; items: number }>()
  .use(logContext())
  .handler(expireCase);
