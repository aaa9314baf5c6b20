/**
 * The complaints table: one table, items grouped by complaint. The CDK table and the local
 * bootstrap are both built from this description.
 *
 *   pk                    sk                      item
 *   COMPLAINT#<id>        META                    the complaint's current state
 *   COMPLAINT#<id>        EVENT#<iso time>#<n>    one history event
 *   NUMBER#<number>       META                    reserves a complaint number (unique)
 *   TASK#<sha256(link)>   META                    a task link: token, assignee, state
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

export const TABLE_INDEXES = {
  /** Complaints whose workflow start is not yet confirmed (sparse; sharded to avoid a hot key). */
  byWorkflowPending: { partitionKey: 'workflowPending', sortKey: 'receivedAt' },
  /** Open work per assignee, soonest deadline first. */
  byAssignee: { partitionKey: 'assignee', sortKey: 'deadlineAt' },
} as const;

/** DynamoDB TTL attribute: epoch seconds after which a closed record may be deleted. */
export const TTL_ATTRIBUTE = 'expiresAt';

export const WORKFLOW_PENDING_SHARDS = 8;

export const keys = {
  complaint: (id: string) => ({ pk: `COMPLAINT#${id}`, sk: 'META' }),
  event: (id: string, at: string, seq: number) => ({ pk: `COMPLAINT#${id}`, sk: `EVENT#${at}#${String(seq).padStart(3, '0')}` }),
  number: (number: string) => ({ pk: `NUMBER#${number}`, sk: 'META' }),
  taskLink: (linkIdHash: string) => ({ pk: `TASK#${linkIdHash}`, sk: 'META' }),
};
