import middy from '@middy/core';
import type { NextTimer } from '../app/begin-step';
import { recordDecision, type RecordDecisionInput } from '../app/record-decision';
import { logContext } from '../lib/log';

/** The Lambda entry point; the rule is in app/record-decision.ts. */
export const handler = middy<RecordDecisionInput, NextTimer>().use(logContext()).handler(recordDecision);
