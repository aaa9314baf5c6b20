import middy from '@middy/core';
import { recordMailEvent, type SesMailEvent } from '../app/record-mail-event';
import { logContext } from '../lib/log';

/** The Lambda entry point; the rule is in app/record-mail-event.ts. */
export const handler = middy<SesMailEvent, { suppressed: number }>().use(logContext()).handler(recordMailEvent);
