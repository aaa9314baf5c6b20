import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { sweepCases } from '../../functions/app/sweep-stalled-cases';
import { dynamo } from '../../functions/lib/clients/dynamo';
import { COMPLAINT_PREFIX, complaintIdOfKey } from '../../functions/store/complaint-key';
import { tableName } from '../../functions/store/table';

/** Ids of every complaint record not closed: a whole-table scan, which only the laptop's small table affords. */
async function everyOpenComplaint(): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'sk = :meta AND begins_with(pk, :prefix) AND #status <> :closed',
        ProjectionExpression: 'pk, sk',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':meta': 'META', ':prefix': COMPLAINT_PREFIX, ':closed': 'closed' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const id = complaintIdOfKey(item as { pk?: string; sk?: string });
      if (id) ids.push(id);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return ids;
}

/**
 * The local Step Functions engine keeps executions in memory, so a restart loses them all: every
 * open complaint is then stalled, whenever it was due. This judges every open record at start by
 * the stalled-case sweep's own rule (app/sweep-stalled-cases.ts), without the quiet period, since
 * no execution can be under way yet: each open complaint starts again at the step it records, its
 * BeginStep keeps the recorded deadline and level, and its OpenTask sends a fresh link and
 * retires the old one. Complaints still waiting for their first start are left to the
 * start-pending reconciler.
 */
export async function redriveOpenComplaints(): Promise<number> {
  const { redriven } = await sweepCases(await everyOpenComplaint(), { quietMs: 0 });
  return redriven;
}
