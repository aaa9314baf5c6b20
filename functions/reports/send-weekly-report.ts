import middy from '@middy/core';
import { sendWeeklyReport } from '../app/weekly-report';
import { logContext } from '../lib/log';

/** The Lambda entry point of the weekly report's schedule (EventBridge Scheduler; locally a timer). */
export const handler = middy<unknown, unknown>()
  .use(logContext())
  .handler(async () => sendWeeklyReport());
