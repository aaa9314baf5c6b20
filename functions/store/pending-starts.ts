import type { ComplaintRecord } from '../domain/complaint';
import { index } from './schema';
import { queryAll, tableName } from './table';

/**
 * A complaint whose workflow start is not yet confirmed carries `workflowPending = PENDING#<n>`,
 * which puts it in the sparse byWorkflowPending index; confirming the start removes it
 * (complaints.ts `markWorkflowStarted`). Sharded so that a burst does not make one hot key.
 */
export const WORKFLOW_PENDING_SHARDS = 8;
const PENDING_PREFIX = 'PENDING#';

const shardKey = (shard: number) => `${PENDING_PREFIX}${shard}`;

export function workflowPendingShard(id: string): string {
  let sum = 0;
  for (const char of id.slice(-4)) sum += char.charCodeAt(0);
  return shardKey(sum % WORKFLOW_PENDING_SHARDS);
}

/** Complaints whose workflow start is unconfirmed and older than `receivedBefore`. */
export async function listPendingWorkflowStarts(receivedBefore: string): Promise<ComplaintRecord[]> {
  const byPending = index('byWorkflowPending');
  const found: ComplaintRecord[] = [];
  for (let shard = 0; shard < WORKFLOW_PENDING_SHARDS; shard++) {
    found.push(
      ...(await queryAll<ComplaintRecord>({
        TableName: tableName(),
        IndexName: byPending.IndexName,
        KeyConditionExpression: `#p = :p AND #r < :before`,
        ExpressionAttributeNames: { '#p': byPending.partitionKey, '#r': byPending.sortKey },
        ExpressionAttributeValues: { ':p': shardKey(shard), ':before': receivedBefore },
      })),
    );
  }
  return found;
}
