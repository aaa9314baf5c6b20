import middy from '@middy/core';
import { purgeDueErasures } from '../app/purge-due-erasures';
import { logContext } from '../lib/log';

/** Keeps this much of the invocation's time for the last case it started on. */
const MARGIN_MS = 10_000;

/** The Lambda entry point (a schedule): erases the cases whose erasure is due; the rule is in app/erasure.ts and domain/erasure.ts. */
export const handler = middy<{ budgetMs?: number } | undefined, Awaited<ReturnType<typeof purgeDueErasures>>>()
  .use(logContext())
  .handler((event, context) =>
    purgeDueErasures({
      budgetMs: event?.budgetMs ?? Math.max(1000, context.getRemainingTimeInMillis() - MARGIN_MS),
    }),
  );
