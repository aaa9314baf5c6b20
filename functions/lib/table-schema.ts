/**
 * The complaints table: one table, items grouped by complaint. The CDK table and the local
 * bootstrap are both built from this description.
 *
 *   pk                    sk                      item
 *   COMPLAINT#<id>        META                    the complaint's current state
 *   COMPLAINT#<id>        EVENT#<iso time>#<n>    one history event
 *   NUMBER#<number>       META                    reserves a complaint number (unique)
 *   TASK#<sha256(link)>   META                    a task link: token, assignee, state
 *   COMPLAINT#<id>        UPLOAD#<slot>           an evidence upload handed out, until its object lands
 *   COMPLAINANT#<key>     BAN                     a complainant's bans (malicious complaints, seed 003)
 *   COMPLAINANT#<key>     SUBJECT#<subjectKey>    the latest complaint by them on one matter (duplicates)
 *   IDEMPOTENCY#<sha256>  META                    an Idempotency-Key's body hash and first response (TTL)
 *   SUPPRESSED#<sha256>   META                    an address SES reported as bounced or complained (sha256 of the lowercased email; TTL)
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

export const TABLE_INDEXES = {
  /** Complaints whose workflow start is not yet confirmed (sparse; sharded to avoid a hot key). */
  byWorkflowPending: { partitionKey: 'workflowPending', sortKey: 'receivedAt' },
  /** Open work per assignee, soonest deadline first. */
  byAssignee: { partitionKey: 'assignee', sortKey: 'deadlineAt' },
  /** A complainant's complaints, newest last (complainantKey = hash of the lowercased email). */
  byComplainant: { partitionKey: 'complainantKey', sortKey: 'receivedAt' },
  /** Complaints about one matter (subjectKey = hash of the normalised subject): rulings, hotspots. */
  bySubject: { partitionKey: 'subjectKey', sortKey: 'receivedAt' },
} as const;

/** DynamoDB TTL attribute: epoch seconds after which a closed record may be deleted. */
export const TTL_ATTRIBUTE = 'expiresAt';

export const WORKFLOW_PENDING_SHARDS = 8;

export const keys = {
  complaint: (id: string) => ({ pk: `COMPLAINT#${id}`, sk: 'META' }),
  event: (id: string, at: string, seq: number) => ({ pk: `COMPLAINT#${id}`, sk: `EVENT#${at}#${String(seq).padStart(5, '0')}` }),
  number: (number: string) => ({ pk: `NUMBER#${number}`, sk: 'META' }),
  taskLink: (linkIdHash: string) => ({ pk: `TASK#${linkIdHash}`, sk: 'META' }),
  upload: (complaintId: string, slot: string) => ({ pk: `COMPLAINT#${complaintId}`, sk: `UPLOAD#${slot}` }),
  ban: (complainantKey: string) => ({ pk: `COMPLAINANT#${complainantKey}`, sk: 'BAN' }),
  latestOnSubject: (complainantKey: string, subjectKey: string) => ({ pk: `COMPLAINANT#${complainantKey}`, sk: `SUBJECT#${subjectKey}` }),
  idempotency: (keyHash: string) => ({ pk: `IDEMPOTENCY#${keyHash}`, sk: 'META' }),
  suppression: (addressHash: string) => ({ pk: `SUPPRESSED#${addressHash}`, sk: 'META' }),
};
