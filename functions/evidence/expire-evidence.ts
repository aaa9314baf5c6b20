import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { expireEvidence } from '../app/expire-evidence';
import { logContext } from '../lib/log';

/** The Lambda entry point; the rule is in app/expire-evidence.ts. */
export const handler = middy<DynamoDBStreamEvent, { purged: number }>().use(logContext()).handler(expireEvidence);
