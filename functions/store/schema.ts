/**
 * The complaints table: one table, items grouped by complaint. The CDK table and the local
 * bootstrap are both built from this description; each item's key builder, shape and index
 * membership live with its entity in this folder.
 *
 *   pk                    sk                      item                                   entity
 *   COMPLAINT#<id>        META                    the complaint's current state          complaints.ts
 *   COMPLAINT#<id>        EVENT#<iso time>#<n>    one history event                      events.ts
 *   COMPLAINT#<id>        UPLOAD#<slot>           an evidence upload handed out          upload-slots.ts
 *   NUMBER#<number>       META                    reserves a complaint number (unique)   numbers.ts
 *   TASK#<sha256(link)>   META                    a task link: token, assignee, state    task-links.ts
 *   COMPLAINANT#<key>     BAN                     a complainant's bans                   bans.ts
 *   COMPLAINANT#<key>     SUBJECT#<subjectKey>    their latest complaint on one matter   subject-pointers.ts
 *   IDEMPOTENCY#<sha256>  META                    an Idempotency-Key's first response    idempotency.ts
 *   SUPPRESSED#<sha256>   META                    an address SES reported undeliverable  suppressions.ts
 *   STAFFLINK#<sha256>    META                    a staff sign-in link (15 min, one use) staff-sessions.ts
 *   STAFFSESSION#<sha256> META                    a staff session (12 h, revocable)      staff-sessions.ts
 *   STAFFRATE#<sha256>    WINDOW#<start>          sign-in requests counted per window    staff-sessions.ts
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

export const TABLE_INDEXES = {
  /** Complaints whose workflow start is not yet confirmed (sparse; sharded to avoid a hot key): pending-starts.ts. */
  byWorkflowPending: { partitionKey: 'workflowPending', sortKey: 'receivedAt' },
  /** Open work per assignee, soonest deadline first: complaints.ts. */
  byAssignee: { partitionKey: 'assignee', sortKey: 'deadlineAt' },
  /** A complainant's complaints, newest last (complainantKey = hash of the lowercased email): complaints.ts. */
  byComplainant: { partitionKey: 'complainantKey', sortKey: 'receivedAt' },
  /** Complaints about one matter (subjectKey = hash of the normalised subject): complaints.ts. */
  bySubject: { partitionKey: 'subjectKey', sortKey: 'receivedAt' },
} as const;

export type IndexName = keyof typeof TABLE_INDEXES;

/** A query's index, named once: its name and its key attributes. */
export function index<N extends IndexName>(name: N): { IndexName: N; partitionKey: (typeof TABLE_INDEXES)[N]['partitionKey']; sortKey: (typeof TABLE_INDEXES)[N]['sortKey'] } {
  return { IndexName: name, ...TABLE_INDEXES[name] };
}

/** DynamoDB TTL attribute: epoch seconds after which a record may be deleted. */
export const TTL_ATTRIBUTE = 'expiresAt';

export const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);
