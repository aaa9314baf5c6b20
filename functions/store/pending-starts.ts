import { complaintIdOfKey } from './complaint-key';
import { index, shardOf } from './schema';
import { queryAll, tableName } from './table';

/**
 * A complaint whose workflow start is not yet confirmed carries `workflowPending = PENDING#<n>`,
 * which puts it in the sparse byWorkflowPending index (keys only: the reader needs the id);
 * confirming the start removes it (complaints.ts `markWorkflowStarted`). Sharded so that a burst
 * does not make one hot key.
 */
export const WORKFLOW_PENDING_SHARDS = 8;
const PENDING_PREFIX = 'PENDING#';

const shardKey = (shard: number) => `${PENDING_PREFIX}${shard}`;

export function workflowPendingShard(id: string): string {
  return shardOf(PENDING_PREFIX, id, WORKFLOW_PENDING_SHARDS);
}

/** Up to `limit` complaints whose workflow start is unconfirmed and older than `receivedBefore`, oldest first in each shard. */
export async function listPendingWorkflowStarts(receivedBefore: string, limit = Infinity): Promise<{ id: string }[]> {
  const byPending = index('byWorkflowPending');
  const found: { id: string }[] = [];
  for (let shard = 0; shard < WORKFLOW_PENDING_SHARDS && found.length < limit; shard++) {
    const share = Math.min(limit - found.length, Math.ceil(limit / WORKFLOW_PENDING_SHARDS));
    const items = await queryAll<{ pk: string; sk: string }>(
      {
        TableName: tableName(),
        IndexName: byPending.IndexName,
        KeyConditionExpression: `#p = :p AND #r < :before`,
        ExpressionAttributeNames: { '#p': byPending.partitionKey, '#r': byPending.sortKey },
        ExpressionAttributeValues: { ':p': shardKey(shard), ':before': receivedBefore },
        ...(Number.isFinite(share) ? { Limit: share } : {}),
      },
      share,
    );
    for (const item of items) {
      const id = complaintIdOfKey(item);
      if (id) found.push({ id });
    }
  }
  return found;
}
