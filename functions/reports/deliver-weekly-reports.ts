import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { deliverDueReports } from '../app/weekly-report';
import { logContext } from '../lib/log';

/** Left of a run's time when it stops taking reports: enough to finish the ones it holds. */
const RESERVE_MS = 8_000;

export const sendingBudgetMs = (context: Pick<Context, 'getRemainingTimeInMillis'> | undefined) =>
  Math.max(1_000, (context?.getRemainingTimeInMillis?.() ?? 20_000) - RESERVE_MS);

/** The Lambda entry point (every minute): sends the weekly reports still due, each on its own (app/weekly-report.ts). */
export const handler = middy<unknown, unknown>()
  .use(logContext())
  .handler(async (_event, context: Context) => deliverDueReports({ budgetMs: sendingBudgetMs(context) }));
