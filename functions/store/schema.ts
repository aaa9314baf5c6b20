/**
 * The complaints table: one table, items grouped by complaint. The CDK table and the local
 * bootstrap are both built from this description; each item's key builder, shape and index
 * membership live with its entity in this folder.
 *
 *   pk                    sk                      item                                   entity
 *   COMPLAINT#<id>        META                    the complaint's current state          complaints.ts
 *   COMPLAINT#<id>        EVENT#<iso time>#<n>    one history event                      events.ts
 *   COMPLAINT#<id>        UPLOAD#<slot>           an evidence upload handed out          upload-slots.ts
 *   COMPLAINT#<id>        OUTBOX#<iso time>#<n>   an email recorded with a change, unsent outbox.ts
 *   COMPLAINT#<id>        EVTOUT#<event id>       a platform event recorded with a change, unpublished event-outbox.ts
 *   COMPLAINT#<id>        TEXT#<message id>       a text sent about the case, its delivery status texts.ts
 *   COMPLAINT#<id>        SHORT#<code>            a short link made for the case (its purge) short-links.ts
 *   NUMBER#<number>       META                    reserves a complaint number (unique)   numbers.ts
 *   TASK#<sha256(link)>   META                    a task link: token, assignee, state    task-links.ts
 *   COMPLAINANT#<key>     BAN                     a complainant's bans                   bans.ts
 *   COMPLAINANT#<key>     SUBJECT#<subjectKey>    their latest complaint on one matter   subject-pointers.ts
 *   IDEMPOTENCY#<sha256>  META                    an Idempotency-Key's first response    idempotency.ts
 *   SUPPRESSED#<sha256>   META                    an address SES reported undeliverable  suppressions.ts
 *   SUPPRESSED#<sha256>   REPORTS                 the address unsubscribed from the weekly report report-opt-outs.ts
 *   STAFFLINK#<sha256>    META                    a staff sign-in link (15 min, one use) staff-sessions.ts
 *   STAFFSESSION#<sha256> META                    a staff session (12 h, revocable)      staff-sessions.ts
 *   STAFFRATE#<sha256>    WINDOW#<start>          sign-in requests counted per window    staff-sessions.ts
 *   FILINGRATE#<key>      WINDOW#<hour>           an address's filings in one hour       rate-windows.ts
 *   ACKRATE#new-address#<n> WINDOW#<hour>         acknowledgements to unproven addresses (one shard) rate-windows.ts
 *   COMPLAINANT#<key>     ENGAGED                 the address proved it is real          engaged-addresses.ts
 *   HELD#<sha256(link)>   META                    a filing held for its sender's consent held-filings.ts
 *   ANALYTICS#DAY#<date>  TEAM#<team> / TOP#<team> a team's counters / top subjects that day analytics.ts
 *   ANALYTICS#SUBJECT#<date>#<n> <subjectKey>     complaints on one matter that day      analytics.ts
 *   ANALYTICS#RUNNING#…   <date>                  a team's times, a person's figures, to date analytics.ts
 *   ANALYTICS#BATCH#<n>   <stream sequence>       a stream batch's figures, to roll up   analytics.ts
 *   ANALYTICS#APPLIED#<n> <stream sequence>       that batch was rolled up (expires)     analytics.ts
 *   ANALYTICS             ROLLUP / CUTOFF / REPORT#weekly#<date>  roll-up state, rebuild, report analytics.ts
 *   INBOUND#<sha256>      META                    a received mail, taken once            inbound-mails.ts
 *   SENDER#<sha256>       RATE#<hour>             one sender's mails in one hour         inbound-mails.ts
 *   REPORT#<run>#<sha256> META                    one recipient's weekly report: claim   reports.ts
 *   SWEEP#checkpoint      META                    the first due hour not fully swept     open-cases.ts
 *   NUMBER#~<3 chars>     <number>                a number with that part in its tail    case-views.ts
 *   SAVEDVIEW#USER#<sha256> / SAVEDVIEW#TEAM#<team>  VIEW#<id>  a saved case view       saved-views.ts
 *   CANNED#<scope>        REPLY#<id>              a canned reply of the desk or a team   canned-replies.ts
 *   SWEEP#purge           META                    the first due day not fully purged     erasure.ts
 *   WEBHOOKLOG#<hour>#<n> <iso time>#<id>         one webhook delivery try (expires)     webhook-log.ts
 *   SHORT#<code>          LINK                    the link a text's short link stands for short-links.ts
 *   PHONE#<sha256>        OPTOUT                  the number opted out of texts          phones.ts
 *   PHONE#<sha256>        WINDOW#<hour>           texts sent to the number in one hour   phones.ts
 *   PHONE#<sha256>        CASE#<id>               a kept case holds the number           phones.ts
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

/**
 * The table's partitions by what they hold, each as the start of its partition keys (`ANALYTICS`,
 * the figures' roll-up state and report claims, is its whole key). Every key builder in this folder starts
 * its `pk` with one of these, and every function that writes names the partitions it writes
 * (`tableWrites` in functions/catalog.ts): it may write those and no others, in AWS by IAM
 * (`dynamodb:LeadingKeys`) and in the local stack by its table-write guard.
 */
export const PARTITIONS = {
  complaint: 'COMPLAINT#',
  number: 'NUMBER#',
  taskLink: 'TASK#',
  complainant: 'COMPLAINANT#',
  idempotency: 'IDEMPOTENCY#',
  suppression: 'SUPPRESSED#',
  staffSignInLink: 'STAFFLINK#',
  staffSession: 'STAFFSESSION#',
  staffSignInRate: 'STAFFRATE#',
  filingRate: 'FILINGRATE#',
  acknowledgementRate: 'ACKRATE#',
  heldFiling: 'HELD#',
  inboundMail: 'INBOUND#',
  senderRate: 'SENDER#',
  analytics: 'ANALYTICS',
  analyticsApplied: 'ANALYTICS#APPLIED#',
  report: 'REPORT#',
  sweepCheckpoint: 'SWEEP#',
  analyticsDay: 'ANALYTICS#DAY#',
  analyticsSubject: 'ANALYTICS#SUBJECT#',
  analyticsRunning: 'ANALYTICS#RUNNING#',
  analyticsBatch: 'ANALYTICS#BATCH#',
  phone: 'PHONE#',
  shortLink: 'SHORT#',
  savedView: 'SAVEDVIEW#',
  cannedReply: 'CANNED#',
  webhookLog: 'WEBHOOKLOG#',
} as const;

export type PartitionName = keyof typeof PARTITIONS;

/**
 * A partition's keys as an IAM `StringLike` pattern: a prefix (ending in `#`) and anything after
 * it, or the one whole key of a single-item-key partition (`ANALYTICS`, which a pattern
 * `ANALYTICS*` would widen to every `ANALYTICS#…` partition of the figures).
 */
export function partitionKeyPattern(name: PartitionName): string {
  const start: string = PARTITIONS[name];
  return start.endsWith('#') ? `${start}*` : start;
}

/** What the staff queue shows and filters on (staff-queue.ts): the only fields its indexes carry. */
const QUEUE_FIELDS = [
  'id',
  'number',
  'category',
  'priority',
  'status',
  'currentStep',
  'level',
  'flagged',
  'assignee',
  'deadlineAt',
] as const;

/**
 * What the work queues carry (staff-queue.ts): the queue's fields, and when the case came in
 * (never changes, so it costs no index write) for views sorted or filtered on it.
 */
const WORK_QUEUE_FIELDS = [...QUEUE_FIELDS, 'receivedAt'] as const;

/**
 * What a case view filters on (case-views.ts; domain/case-views.ts): the only fields the byView*
 * indexes carry besides their keys. The page's rows are read by key once merged (one page of
 * items), so a write that changes only what a row shows (its summary, `updatedAt`) writes no copy
 * to the indexes that do not sort on it.
 */
const VIEW_FILTER_FIELDS = [
  'status',
  'outcome',
  'category',
  'channel',
  'priority',
  'level',
  'breached',
  'assignee',
  'handler',
  'deadlineAt',
] as const;

/**
 * Each index carries only what its reader reads (`keys`: the table's and the index's keys;
 * `include`: those and the attributes listed), so a record rewrite that changes nothing an index
 * carries writes no index copy, and one that does writes a small one.
 */
export const TABLE_INDEXES = {
  /** Complaints whose workflow start is not yet confirmed (sparse; sharded to avoid a hot key): pending-starts.ts, which needs the id only. */
  byWorkflowPending: { partitionKey: 'workflowPending', sortKey: 'receivedAt', projection: 'keys' },
  /** Emails recorded with a change and not yet delivered (sparse; sharded), due first: the outbox's sender (outbox.ts, `MAILDUE#<n>`) and the weekly reports' (reports.ts, `REPORTDUE#<n>`) and the event outbox's publisher (event-outbox.ts, `EVENTDUE#<n>`), which need the key only. */
  byMailDue: { partitionKey: 'mailDue', sortKey: 'dueAt', projection: 'keys' },
  /** Open cases by when they should next have moved (sparse: removed at closing; keyed by due hour and shard): the stalled-case sweep (open-cases.ts), which needs the key only. */
  bySweepDue: { partitionKey: 'sweepDue', sortKey: 'sweepDueAt', projection: 'keys' },
  /** Cases whose erasure waits, by the UTC day it falls due and a shard (sparse; domain/erasure.ts): the purge (store/erasure.ts), which needs the key only. */
  byPurgeDue: { partitionKey: 'purgeDue', sortKey: 'purgeDueAt', projection: 'keys' },
  /** Open work per assignee, soonest deadline first: a handler's own queue (staff-queue.ts). */
  byAssignee: { partitionKey: 'assignee', sortKey: 'deadlineAt', projection: { include: QUEUE_FIELDS } },
  /**
   * Open staff work per team, escalated first, then soonest deadline (sparse: only cases on a
   * staff step have a `queuePosition`): a manager's or a supervisor's queue, one query per team
   * partition (`TEAM#<team>#<shard>`, fixed at intake; domain/queue.ts).
   */
  byTeam: { partitionKey: 'teamKey', sortKey: 'queuePosition', projection: { include: WORK_QUEUE_FIELDS } },
  /** Escalated work per person it escalated from (sparse: only while escalated), so they keep it in sight (staff-queue.ts). */
  byEscalatedFrom: { partitionKey: 'escalatedFrom', sortKey: 'deadlineAt', projection: { include: QUEUE_FIELDS } },
  /** A complainant's complaints, newest last (complainantKey = hash of the lowercased email): the staff queue's search (staff-queue.ts). */
  byComplainant: { partitionKey: 'complainantKey', sortKey: 'receivedAt', projection: { include: QUEUE_FIELDS } },
  /**
   * Every case of a team, by one of a view's orders (domain/case-views.ts): partition
   * `caseView` = `<team queue partition>#open` or `#closed` (set at intake, moved at closing and
   * reopening), so a team's open cases are read apart from its closed ones; sharded as the team's
   * queue is. Due is sparse (only cases with a deadline); priority sorts on `<priority>#<received>`.
   */
  byViewDue: { partitionKey: 'caseView', sortKey: 'deadlineAt', projection: { include: VIEW_FILTER_FIELDS } },
  byViewPriority: { partitionKey: 'caseView', sortKey: 'priorityOrder', projection: { include: VIEW_FILTER_FIELDS } },
  byViewReceived: { partitionKey: 'caseView', sortKey: 'receivedAt', projection: { include: VIEW_FILTER_FIELDS } },
  byViewUpdated: { partitionKey: 'caseView', sortKey: 'updatedAt', projection: { include: VIEW_FILTER_FIELDS } },
  /** A complainant's complaints by name (nameKey = hash of the folded name), newest last: a view's search, which reads the page's records by key. */
  byName: { partitionKey: 'nameKey', sortKey: 'receivedAt', projection: 'keys' },
  /** Complaints about one matter (subjectKey = hash of the normalised subject): intake's earlier complaints on it (complaints.ts). */
  bySubject: {
    partitionKey: 'subjectKey',
    sortKey: 'receivedAt',
    projection: { include: ['id', 'number', 'status', 'finalRulingAt', 'complainantKey'] },
  },
} as const;

/** An index's projection as DynamoDB takes it (CreateTable / UpdateTable), its own keys left out of the list. */
export function projectionOf(name: IndexName): {
  ProjectionType: 'KEYS_ONLY' | 'INCLUDE';
  NonKeyAttributes?: string[];
} {
  const index: { partitionKey: string; sortKey: string; projection: 'keys' | { include: readonly string[] } } =
    TABLE_INDEXES[name];
  if (index.projection === 'keys') return { ProjectionType: 'KEYS_ONLY' };
  const keys = new Set<string>([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, index.partitionKey, index.sortKey]);
  return { ProjectionType: 'INCLUDE', NonKeyAttributes: index.projection.include.filter((field) => !keys.has(field)) };
}

export type IndexName = keyof typeof TABLE_INDEXES;

/** A query's index, named once: its name and its key attributes. */
export function index<N extends IndexName>(
  name: N,
): {
  IndexName: N;
  partitionKey: (typeof TABLE_INDEXES)[N]['partitionKey'];
  sortKey: (typeof TABLE_INDEXES)[N]['sortKey'];
} {
  return { IndexName: name, partitionKey: TABLE_INDEXES[name].partitionKey, sortKey: TABLE_INDEXES[name].sortKey };
}

/**
 * The shard of a sparse index's partition key for an id (`<prefix><n>`, n < shards), so that a
 * burst of writes into one index spreads over several keys instead of one hot key.
 */
export function shardOf(prefix: string, id: string, shards: number): string {
  let sum = 0;
  for (const char of id.slice(-4)) sum += char.charCodeAt(0);
  return `${prefix}${sum % shards}`;
}

/** DynamoDB TTL attribute: epoch seconds after which a record may be deleted. */
export const TTL_ATTRIBUTE = 'expiresAt';

export const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);
