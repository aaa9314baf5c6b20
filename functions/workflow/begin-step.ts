import middy from '@middy/core';
import { reopenCurrentStep } from '../app/begin-step';
import type { StepTimer } from '../domain/workflow-contract';
import { logContext } from '../lib/log';

/** The Lambda entry point (the workflow's ReopenTask); the rule is in app/begin-step.ts. */
export const handler = middy<{ complaintId: string }, StepTimer>().use(logContext()).handler(reopenCurrentStep);
