import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { deliverDueReports, sendWeeklyReport } from '../app/weekly-report';
import { logContext } from '../lib/log';

/** What the weekly schedule sends (EventBridge Scheduler in the cloud, the local stack's timer); anything else is the sender's every-minute run. */
const WEEKLY_SOURCES = new Set(['redress.weekly-report', 'local.scheduler']);
/** Left of the run's time when it stops taking reports: enough to finish the ones it holds. */
const RESERVE_MS = 8_000;

/**
 * The Lambda entry point of the weekly report: on its weekly schedule it writes each recipient's
 * report and starts sending; every minute it sends the reports still due (the rest of a large
 * run, and any retry). Each report is claimed, built and sent on its own (app/weekly-report.ts).
 */
export const handler = middy<{ source?: string } | undefined, unknown>()
  .use(logContext())
  .handler(async (event, context: Context) => {
    const budgetMs = Math.max(1_000, (context?.getRemainingTimeInMillis?.() ?? 20_000) - RESERVE_MS);
    return WEEKLY_SOURCES.has(event?.source ?? '') ? sendWeeklyReport({ budgetMs }) : deliverDueReports({ budgetMs });
  });
