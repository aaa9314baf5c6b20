import { log } from '../lib/log';
import { startComplaintWorkflow } from '../lib/workflow';
import { currentTime } from '../lib/clock';
import { listPendingWorkflowStarts } from '../store/pending-starts';

/** How long intake gets to start a workflow itself before this reconciler steps in. */
export const START_GRACE_MS = 30_000;
/**
 * How fast one run starts workflows: below Step Functions' StartExecution refill (300 a second in
 * the large regions, 150 elsewhere), so that intake keeps most of the quota for new complaints.
 */
export const STARTS_PER_SECOND = 100;
/** How long one run keeps starting: well inside the function's timeout; the next run (a minute later) goes on. */
export const RUN_BUDGET_MS = 15_000;
const WORKERS = 8;

const isThrottled = (error: unknown) =>
  ['ThrottlingException', 'TooManyRequestsException'].includes((error as { name?: string })?.name ?? '');

/**
 * The guarantee that no stored complaint is left without its workflow: finds complaints whose
 * start was never confirmed (intake died, Step Functions throttled) and starts them, oldest
 * first, at a bounded rate and for a bounded time. A throttled start ends the run: the rest wait
 * for the next one, still marked pending, so a backlog drains at about `STARTS_PER_SECOND` ×
 * `RUN_BUDGET_MS` a run and never fails a complaint. Starting is idempotent (execution name =
 * complaint id), so a race with intake is harmless.
 */
export async function startPendingWorkflows(
  input: { graceMs?: number; startsPerSecond?: number; budgetMs?: number } = {},
): Promise<{ started: number; failed: number; deferred: number }> {
  const startsPerSecond = input?.startsPerSecond ?? STARTS_PER_SECOND;
  const budgetMs = input?.budgetMs ?? RUN_BUDGET_MS;
  const before = new Date(currentTime().getTime() - (input?.graceMs ?? START_GRACE_MS)).toISOString();
  const pending = await listPendingWorkflowStarts(before, Math.ceil((startsPerSecond * budgetMs) / 1000));
  const began = Date.now();
  let started = 0;
  let failed = 0;
  let throttled = false;
  let next = 0;
  // Each start takes the next slot of the rate; the workers only overlap the round trips.
  let slot = began;
  const worker = async () => {
    while (!throttled && next < pending.length && Date.now() - began < budgetMs) {
      const complaint = pending[next++]!;
      const wait = (slot += 1000 / startsPerSecond) - 1000 / startsPerSecond - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        await startComplaintWorkflow(complaint);
        started++;
      } catch (error) {
        if (isThrottled(error)) {
          throttled = true;
          next--;
          break;
        }
        failed++;
        log.error('could not start a pending workflow', { complaintId: complaint.id, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(WORKERS, pending.length) }, worker));
  const deferred = pending.length - started - failed;
  if (pending.length) log.info('pending workflows reconciled', { started, failed, deferred, throttled });
  return { started, failed, deferred };
}
