import middy from '@middy/core';
import type { NextStage } from '../domain/steps';
import { recordLapse, type RecordLapseInput } from '../app/record-lapse';
import { logContext } from '../lib/log';

/** The Lambda entry point; the rule is in app/record-lapse.ts. */
export const handler = middy<RecordLapseInput, { next: NextStage['next'] }>().use(logContext()).handler(recordLapse);
