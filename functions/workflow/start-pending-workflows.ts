import middy from '@middy/core';
import { startPendingWorkflows } from '../app/start-pending-workflows';
import { logContext } from '../lib/log';

/** The Lambda entry point; the rule is in app/start-pending-workflows.ts. */
export const handler = middy<{ graceMs?: number }, { started: number; failed: number; deferred: number }>()
  .use(logContext())
  .handler(startPendingWorkflows);
