import { log } from '../lib/log';
import { startComplaintWorkflow } from '../lib/workflow';
import { currentTime } from '../lib/clock';
import { listPendingWorkflowStarts } from '../store/pending-starts';

/** How long intake gets to start a workflow itself before this reconciler steps in. */
export const START_GRACE_MS = 30_000;

/**
 * The guarantee that no stored complaint is left without its workflow: finds complaints whose
 * start was never confirmed (intake died, Step Functions throttled) and starts them. Starting is
 * idempotent (execution name = complaint id), so a race with intake is harmless.
 */
export async function startPendingWorkflows(input: { graceMs?: number } = {}): Promise<{ started: number; failed: number }> {
  const before = new Date(currentTime().getTime() - (input?.graceMs ?? START_GRACE_MS)).toISOString();
  const pending = await listPendingWorkflowStarts(before);
  let started = 0;
  let failed = 0;
  for (const complaint of pending) {
    try {
      await startComplaintWorkflow(complaint);
      started++;
    } catch (error) {
      failed++;
      log.error('could not start a pending workflow', { complaintId: complaint.id, error });
    }
  }
  if (pending.length) log.info('pending workflows reconciled', { started, failed });
  return { started, failed };
}

