import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { sendWeeklyReport } from '../app/weekly-report';
import { logContext } from '../lib/log';
import { sendingBudgetMs } from './deliver-weekly-reports';

/**
 * The Lambda entry point of the weekly report's schedule (EventBridge Scheduler; locally a timer):
 * writes each recipient's report of the week and sends what it can in its time;
 * DeliverWeeklyReports sends the rest.
 */
export const handler = middy<unknown, unknown>()
  .use(logContext())
  .handler(async (_event, context: Context) => sendWeeklyReport({ budgetMs: sendingBudgetMs(context) }));
