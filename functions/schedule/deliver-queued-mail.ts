import middy from '@middy/core';
import { deliverDueMail } from '../app/notifier';
import { logContext } from '../lib/log';

/** The Lambda entry point (a schedule): the outbox's sender; the rule is in app/notifier.ts and domain/mail-delivery.ts. */
export const handler = middy<{ budgetMs?: number } | undefined, Awaited<ReturnType<typeof deliverDueMail>>>()
  .use(logContext())
  .handler((event, context) => deliverDueMail({ budgetMs: event?.budgetMs }, context));
