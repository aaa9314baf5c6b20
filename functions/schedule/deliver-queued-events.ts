import middy from '@middy/core';
import { deliverDueEvents } from '../app/deliver-due-events';
import { logContext } from '../lib/log';

/** The Lambda entry point (a schedule): the event outbox's publisher; the rule is in app/event-outbox.ts. */
export const handler = middy<unknown, Awaited<ReturnType<typeof deliverDueEvents>>>()
  .use(logContext())
  .handler(() => deliverDueEvents());
