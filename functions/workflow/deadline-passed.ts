import middy from '@middy/core';
import type { StepTimer } from '../domain/workflow-contract';
import { deadlinePassed, type DeadlinePassedInput } from '../app/deadline-passed';
import { logContext } from '../lib/log';

/** The Lambda entry point; the rule is in app/deadline-passed.ts. */
export const handler = middy<DeadlinePassedInput, StepTimer>().use(logContext()).handler(deadlinePassed);
