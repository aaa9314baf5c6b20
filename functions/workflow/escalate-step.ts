import middy from '@middy/core';
import type { StepTimer } from '../app/begin-step';
import { escalateStep, type EscalateStepInput } from '../app/escalate-step';
import { logContext } from '../lib/log';

/** The Lambda entry point; the rule is in app/escalate-step.ts. */
export const handler = middy<EscalateStepInput, StepTimer>().use(logContext()).handler(escalateStep);
