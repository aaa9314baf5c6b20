import { scanOpenComplaints } from '../../functions/lib/complaint-store';
import { log } from '../../functions/lib/log';
import { resumeComplaintWorkflow } from '../../functions/lib/workflow';

// Statuses the walking skeleton wrote as final; such records have nothing left to run.
const LEGACY_FINAL = new Set(['accepted', 'rejected', 'breached']);

/**
 * The local Step Functions engine keeps executions in memory, so a restart loses them. Every
 * open complaint records the step it is in (`workflowResumeAt`) with absolute deadlines; this
 * starts one execution per open complaint at that step. Its BeginStep keeps the recorded deadline
 * and level, and its OpenTask sends a fresh link and retires the old one ("a fresh link was sent").
 * Complaints still waiting for their first start are left to the start-pending reconciler.
 */
export async function redriveOpenComplaints(): Promise<number> {
  const open = (await scanOpenComplaints()).filter((c) => !c.workflowPending && !LEGACY_FINAL.has(c.status));
  for (const complaint of open) {
    try {
      await resumeComplaintWorkflow(complaint);
    } catch (error) {
      log.error('could not re-drive a complaint', { complaintId: complaint.id, error });
    }
  }
  return open.length;
}
