import middy from '@middy/core';
import { deliverDueMail } from '../app/deliver-due-mail';
import { logContext } from '../lib/log';

/** The Lambda entry point (a schedule): the outbox's sender; the run is app/deliver-due-mail.ts, one try app/shared/mail-outbox.ts, the rule domain/mail-delivery.ts. */
export const handler = middy<{ budgetMs?: number } | undefined, Awaited<ReturnType<typeof deliverDueMail>>>()
  .use(logContext())
  .handler((event, context) => deliverDueMail({ budgetMs: event?.budgetMs }, context));
