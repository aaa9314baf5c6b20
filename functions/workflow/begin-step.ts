import middy from '@middy/core';
import { beginStep, type BeginStepInput, type StepTimer } from '../app/begin-step';
import { logContext } from '../lib/log';

/** The Lambda entry point; the rule is in app/begin-step.ts. */
export const handler = middy<BeginStepInput, StepTimer>().use(logContext()).handler(beginStep);
