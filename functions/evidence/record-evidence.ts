import middy from '@middy/core';
import type { S3Event } from 'aws-lambda';
import { recordEvidence, type ObjectCreatedEvent } from '../app/record-evidence';
import { logContext } from '../lib/log';

/** The Lambda entry point; the rule is in app/record-evidence.ts. */
export const handler = middy<S3Event | ObjectCreatedEvent, { recorded: number; quarantined: number; ignored: number }>()
  .use(logContext())
  .handler(recordEvidence);
