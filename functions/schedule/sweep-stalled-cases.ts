import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import {
  noteExecutionEnded,
  sweepStalledCases,
  SWEEP_MARGIN_MS,
  type ExecutionEnded,
  type SweepInput,
} from '../app/sweep-stalled-cases';
import { logContext } from '../lib/log';

/** EventBridge's event for an execution of the workflow that ended (the rule passes FAILED, TIMED_OUT and ABORTED). */
interface ExecutionStatusChange {
  source: 'aws.states';
  'detail-type': 'Step Functions Execution Status Change';
  detail: ExecutionEnded;
}

type SweepEvent = (SweepInput & { source?: string }) | ExecutionStatusChange | null;

const isExecutionEnded = (event: SweepEvent): event is ExecutionStatusChange =>
  event?.source === 'aws.states' && 'detail' in event && !!event.detail?.executionArn;

/**
 * The Lambda entry point: the schedule's run (the rule is in app/sweep-stalled-cases.ts and
 * domain/stalled.ts), which keeps to the invocation's time, or an execution that ended with its
 * case open, which makes that case due now.
 */
export const handler = middy<SweepEvent, unknown, Error, Context>()
  .use(logContext())
  .handler((event, context) =>
    isExecutionEnded(event)
      ? noteExecutionEnded(event.detail)
      : sweepStalledCases({
          quietMs: (event as SweepInput | null)?.quietMs,
          budgetMs: Math.max(0, context.getRemainingTimeInMillis() - SWEEP_MARGIN_MS),
        }),
  );
