import middy from '@middy/core';
import { openTask, type OpenTaskInput } from '../app/open-task';
import { logContext } from '../lib/log';

/** The Lambda entry point; the rule is in app/open-task.ts. */
export const handler = middy<OpenTaskInput, { assignee: string }>().use(logContext()).handler(openTask);
