import { log } from '../lib/log';
import { METRICS, recordMetric } from '../lib/metrics';
import { settings } from '../lib/settings';
import { isStartRefused, startComplaintWorkflow, startRefusalReason } from './shared/workflow';
import { currentTime } from '../lib/clock';
import { runPaced } from '../lib/pacing';
import { listPendingWorkflowStarts } from '../store/pending-starts';

/** How long intake gets to start a workflow itself before this reconciler steps in. */
export const START_GRACE_MS = 30_000;
/** How long one run keeps starting when its invocation does not say: the next run (a minute later) goes on. */
export const RUN_BUDGET_MS = 15_000;
/** What a run leaves of its function's time for its last starts and its log. */
const RUN_MARGIN_MS = 5_000;
const WORKERS = 16;

/**
 * The guarantee that no stored complaint is left without its workflow: finds complaints whose
 * start was never confirmed (intake died, Step Functions throttled) and starts them, oldest
 * first, at the desk's rate (desk.scale.workflowStartsPerSecond) for most of the function's
 * time. A refused start (throttled, or the account's open executions at their quota) ends the
 * run: the rest wait for the next one, still marked pending, so a backlog drains at about the
 * rate × the run's time each minute and never fails a complaint. Starting is idempotent (execution name =
 * complaint id), so a race with intake is harmless.
 */
export async function startPendingWorkflows(
  input: { graceMs?: number; startsPerSecond?: number; budgetMs?: number } = {},
  context?: { getRemainingTimeInMillis(): number },
): Promise<{ started: number; failed: number; deferred: number }> {
  const startsPerSecond = input?.startsPerSecond ?? settings().desk.scale.workflowStartsPerSecond;
  // Most of the function's minute, so the drain keeps pace with the desk's rate (desk.scale).
  const budgetMs =
    input?.budgetMs ?? (context ? Math.max(1000, context.getRemainingTimeInMillis() - RUN_MARGIN_MS) : RUN_BUDGET_MS);
  const before = new Date(currentTime().getTime() - (input?.graceMs ?? START_GRACE_MS)).toISOString();
  const pending = await listPendingWorkflowStarts(before, Math.ceil((startsPerSecond * budgetMs) / 1000));
  let started = 0;
  let failed = 0;
  const { stopped: throttled } = await runPaced(
    pending,
    { perSecond: startsPerSecond, budgetMs, workers: WORKERS },
    async (complaint) => {
      try {
        await startComplaintWorkflow(complaint);
        started++;
      } catch (error) {
        if (isStartRefused(error)) {
          recordMetric(METRICS.workflowStartsRefused, 1, { reason: startRefusalReason(error) });
          return 'stop';
        }
        failed++;
        log.error('could not start a pending workflow', { complaintId: complaint.id, error });
      }
      return undefined;
    },
  );
  const deferred = pending.length - started - failed;
  if (pending.length) log.info('pending workflows reconciled', { started, failed, deferred, throttled });
  return { started, failed, deferred };
}
