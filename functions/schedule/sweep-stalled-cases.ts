import middy from '@middy/core';
import { sweepStalledCases, type SweepInput } from '../app/sweep-stalled-cases';
import { logContext } from '../lib/log';

/** The Lambda entry point (a schedule); the rule is in app/sweep-stalled-cases.ts and domain/stalled.ts. */
export const handler = middy<SweepInput, Awaited<ReturnType<typeof sweepStalledCases>>>()
  .use(logContext())
  .handler((event) => sweepStalledCases({ quietMs: event?.quietMs, everyCase: event?.everyCase }));
