import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ComplaintRecord } from '../../functions/domain/complaint';
import { dynamo } from '../../functions/lib/clients/dynamo';
import { log } from '../../functions/lib/log';
import { COMPLAINT_PREFIX } from '../../functions/store/complaints';
import { tableName, withoutKeys } from '../../functions/store/table';
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
/** Every open complaint whose workflow had started: a full scan, affordable on a laptop's table only. */
async function scanOpenComplaints(): Promise<ComplaintRecord[]> {
  const found: ComplaintRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'sk = :meta AND begins_with(pk, :prefix) AND #status <> :closed AND attribute_exists(workflowStartedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':meta': 'META', ':prefix': COMPLAINT_PREFIX, ':closed': 'closed' },
        ExclusiveStartKey: startKey,
      }),
    );
    found.push(...(page.Items ?? []).map((item) => withoutKeys<ComplaintRecord>(item)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
}

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
