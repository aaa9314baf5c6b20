import middy from '@middy/core';
import { acknowledgeReceipt, type AcknowledgeReceiptInput } from '../app/acknowledge-receipt';
import type { StepTimer } from '../domain/workflow-contract';
import { logContext } from '../lib/log';

/** The Lambda entry point; the rule is in app/acknowledge-receipt.ts. */
export const handler = middy<AcknowledgeReceiptInput, StepTimer>().use(logContext()).handler(acknowledgeReceipt);
