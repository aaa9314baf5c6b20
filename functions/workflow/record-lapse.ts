import middy from '@middy/core';
import type { NextTimer } from '../app/begin-step';
import { recordLapse, type RecordLapseInput } from '../app/record-lapse';
import { logContext } from '../lib/log';

/** The Lambda entry point; the rule is in app/record-lapse.ts. */
export const handler = middy<RecordLapseInput, NextTimer>().use(logContext()).handler(recordLapse);
