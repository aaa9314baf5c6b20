import middy from '@middy/core';
import type { NextStage } from '../domain/steps';
import { recordDecision, type RecordDecisionInput } from '../app/record-decision';
import { logContext } from '../lib/log';

/** The Lambda entry point; the rule is in app/record-decision.ts. */
export const handler = middy<RecordDecisionInput, { next: NextStage['next'] }>().use(logContext()).handler(recordDecision);
