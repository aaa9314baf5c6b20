import middy from '@middy/core';
import { deliverDueMail } from '../app/mail-outbox';
import { logContext } from '../lib/log';

/** The Lambda entry point (a schedule): the outbox's sender; the rule is in app/mail-outbox.ts and domain/mail-delivery.ts. */
export const handler = middy<{ budgetMs?: number } | undefined, Awaited<ReturnType<typeof deliverDueMail>>>()
  .use(logContext())
  .handler((event, context) => deliverDueMail({ budgetMs: event?.budgetMs }, context));
