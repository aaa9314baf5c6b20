import middy from '@middy/core';
import { beginStep, type BeginStepInput, type NextTimer } from '../app/begin-step';
import { logContext } from '../lib/log';

/** The Lambda entry point; the rule is in app/begin-step.ts. */
export const handler = middy<BeginStepInput, NextTimer>().use(logContext()).handler(beginStep);
