import { randomBytes } from 'node:crypto';
import { GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ComplaintRecord } from '../domain/complaint';
import type { ComplaintEvent } from '../domain/history';
import type { Language } from '../domain/language';
import type { ComplaintStatus, HumanStep, Outcome, StepRole } from '../domain/lifecycle';
import type { StepDecision } from '../domain/steps';
import { dynamo } from './aws-clients';
import { settings } from './settings';
import { keys, TABLE_INDEXES, WORKFLOW_PENDING_SHARDS } from './table-schema';
import { failedConditionsOf, queryAll, updateExpression, writeIf, type TransactItems } from './table-ops';
import { currentTime } from './clock';

export type { ComplaintRecord };

/** Why a link stopped taking decisions without being decided through it. */
export type LinkMovedReason = 'escalated' | 'reissued' | 'closed' | 'refused';

export interface TaskLinkRecord {
  linkIdHash: string;
  complaintId: string;
  step: HumanStep;
  role: StepRole;
  level: number;
  // Named apart from the complaint's `assignee`/`deadlineAt`: those two feed the byAssignee
  // index, which must list open work only, not every link ever sent.
  assignedTo: string;
  assigneeLanguage: Language;
  taskToken: string;
  nonce: string;
  createdAt: string;
  dueAt: string;
  /** The handler's question, for information and statement steps. */
  question?: string;
  state: 'open' | 'decided' | 'moved';
  decidedAt?: string;
  decidedBy?: string;
  decision?: StepDecision;
  movedAt?: string;
  movedTo?: string;
  movedReason?: LinkMovedReason;
}

const table = () => settings().tableName;

function eventItem(complaintId: string, event: ComplaintEvent, order: number) {
  // Events written together keep their order; a random part keeps two writers of the same
  // millisecond apart.
  return { ...keys.event(complaintId, event.at, order * 1000 + (randomBytes(2).readUInt16BE() % 1000)), complaintId, ...event };
}

/** The Put that appends one event; `order` ranks events written in one transaction. */
export function putEvent(complaintId: string, event: ComplaintEvent, order = 0) {
  return { Put: { TableName: table(), Item: eventItem(complaintId, event, order), ConditionExpression: 'attribute_not_exists(pk)' } };
}

export function workflowPendingShard(id: string): string {
  let sum = 0;
  for (const char of id.slice(-4)) sum += char.charCodeAt(0);
  return `PENDING#${sum % WORKFLOW_PENDING_SHARDS}`;
}

export async function getComplaint(id: string): Promise<ComplaintRecord | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table(), Key: keys.complaint(id), ConsistentRead: true }));
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, ...record } = Item;
  return record as ComplaintRecord;
}

export async function listEvents(id: string): Promise<ComplaintEvent[]> {
  const items = await queryAll<ComplaintEvent & Record<string, unknown>>({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.complaint(id).pk, ':prefix': 'EVENT#' },
    ConsistentRead: true,
  });
  return items.map((item) => ({ at: item.at, actor: item.actor, action: item.action, ...(item.details ? { details: item.details } : {}) }));
}

export class ComplaintClosedError extends Error {
  constructor(readonly complaintId: string) {
    super(`Complaint ${complaintId} is closed`);
    this.name = 'ComplaintClosedError';
  }
}

/** An update of a complaint that applies only while the case is not closed. */
function onlyWhileOpen(update: ReturnType<typeof updateExpression>) {
  return {
    ...update,
    ConditionExpression: 'attribute_exists(pk) AND #status <> :closed',
    ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#status': 'status' },
    ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':closed': 'closed' },
  };
}

/**
 * Changes a complaint and appends the event that says why, in one transaction. `whileOpen`
 * refuses the change once the case is closed: a workflow step still running when the complainant
 * withdrew must not move the case back into a step.
 */
export async function updateComplaint(id: string, changes: Partial<ComplaintRecord>, event?: ComplaintEvent, extra: TransactItems = [], options: { whileOpen?: boolean } = {}): Promise<void> {
  const update = updateExpression({ ...changes, updatedAt: changes.updatedAt ?? event?.at ?? currentTime().toISOString() });
  const written = await writeIf(
    [{ Update: { TableName: table(), Key: keys.complaint(id), ...(options.whileOpen ? onlyWhileOpen(update) : { ...update, ConditionExpression: 'attribute_exists(pk)' }) } }, ...(event ? [putEvent(id, event)] : []), ...extra],
    (failed) => !!options.whileOpen && failed.includes(0),
  );
  if (!written) throw new ComplaintClosedError(id);
}

/**
 * Records that the workflow runs; the complaint leaves the pending index. Intake and the
 * reconciler may both confirm the same start: only the first clears the marker and writes the
 * event, the others find nothing pending and do nothing.
 */
export async function markWorkflowStarted(id: string, at: string, executionArn: string): Promise<void> {
  const update = updateExpression({ workflowPending: undefined, workflowStartedAt: at, updatedAt: at });
  await writeIf(
    [
      { Update: { TableName: table(), Key: keys.complaint(id), ...update, ConditionExpression: 'attribute_exists(workflowPending)' } },
      putEvent(id, { at, actor: 'system', action: 'workflow.started', details: { executionArn } }),
    ],
    (failed) => failed.includes(0),
  );
}

/** Complaints whose workflow start is unconfirmed and older than `receivedBefore`. */
export async function listPendingWorkflowStarts(receivedBefore: string): Promise<ComplaintRecord[]> {
  const index = TABLE_INDEXES.byWorkflowPending;
  const found: ComplaintRecord[] = [];
  for (let shard = 0; shard < WORKFLOW_PENDING_SHARDS; shard++) {
    found.push(
      ...(await queryAll<ComplaintRecord>({
        TableName: table(),
        IndexName: 'byWorkflowPending',
        KeyConditionExpression: `#p = :p AND #r < :before`,
        ExpressionAttributeNames: { '#p': index.partitionKey, '#r': index.sortKey },
        ExpressionAttributeValues: { ':p': `PENDING#${shard}`, ':before': receivedBefore },
      })),
    );
  }
  return found;
}

/**
 * Opens a task: stores its link, retires the link it replaces (escalated or re-sent, saying to
 * whom), and moves the complaint to the step with the assignee and deadline that the byAssignee
 * index serves. One transaction: there is never a complaint pointing at a link that is not there.
 */
export async function insertTaskLink(link: TaskLinkRecord, status: ComplaintStatus, event: ComplaintEvent, replaces?: { linkIdHash: string; reason: LinkMovedReason }): Promise<void> {
  const retire = replaces && replaces.linkIdHash !== link.linkIdHash
    ? [{
        Update: {
          TableName: table(),
          Key: keys.taskLink(replaces.linkIdHash),
          UpdateExpression: 'SET #state = :moved, movedAt = :now, movedTo = :to, movedReason = :reason',
          ConditionExpression: 'attribute_exists(pk) AND #state = :open',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':moved': 'moved', ':open': 'open', ':now': link.createdAt, ':to': link.assignedTo, ':reason': replaces.reason },
        },
      }]
    : [];
  await updateComplaint(
    link.complaintId,
    { status, currentStep: link.step, level: link.level, assignee: link.assignedTo, deadlineAt: link.dueAt, currentTaskLinkHash: link.linkIdHash },
    event,
    [{ Put: { TableName: table(), Item: { ...keys.taskLink(link.linkIdHash), ...link }, ConditionExpression: 'attribute_not_exists(pk)' } }, ...retire],
    { whileOpen: true },
  ).catch(async (error) => {
    // The replaced link (the last item: after the complaint, the event and the new link) was
    // decided or retired meanwhile: open the task anyway, retiring nothing.
    if (retire.length && failedConditionsOf(error)?.includes(3)) return insertTaskLink(link, status, event);
    throw error;
  });
}

export async function getTaskLink(linkIdHash: string): Promise<TaskLinkRecord | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table(), Key: keys.taskLink(linkIdHash), ConsistentRead: true }));
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, ...link } = Item;
  return link as TaskLinkRecord;
}

export type ClaimResult = { claimed: true; link: TaskLinkRecord } | { claimed: false; link: TaskLinkRecord | undefined };

/**
 * First writer wins: marks an open link decided if the nonce matches (when one is given: the
 * system claims without a page) and the deadline has not passed. A loser gets the link as it
 * stands, to explain what happened.
 */
export async function claimTaskLink(linkIdHash: string, nonce: string | undefined, decision: StepDecision, decidedBy: string, now: string): Promise<ClaimResult> {
  try {
    const { Attributes } = await dynamo.send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.taskLink(linkIdHash),
        UpdateExpression: 'SET #state = :decided, decidedAt = :now, decidedBy = :by, decision = :decision',
        ConditionExpression: `#state = :open AND dueAt > :now${nonce === undefined ? '' : ' AND nonce = :nonce'}`,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':decided': 'decided', ':open': 'open', ':now': now, ':by': decidedBy, ':decision': decision, ...(nonce === undefined ? {} : { ':nonce': nonce }) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { claimed: true, link: Attributes as TaskLinkRecord };
  } catch (error) {
    // The loser reads the link as the winner left it (a consistent read), to say who acted and when.
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return { claimed: false, link: await getTaskLink(linkIdHash) };
    throw error;
  }
}

/** The workflow no longer waits on this link: say so on the link, and why. */
export async function markTaskLinkMoved(linkIdHash: string, now: string, reason: LinkMovedReason): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: table(),
      Key: keys.taskLink(linkIdHash),
      UpdateExpression: 'SET #state = :moved, movedAt = :now, movedReason = :reason REMOVE decision, decidedAt, decidedBy',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':moved': 'moved', ':now': now, ':reason': reason },
    }),
  ).catch((error) => {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
  });
}

/**
 * Closes a complaint with its outcome: it leaves every queue (no step, assignee or deadline) and
 * gets its expiry, at least the retention period after closing. Refuses to close twice.
 */
export async function closeComplaint(id: string, outcome: Outcome, at: string, retentionDays: number, events: ComplaintEvent[], changes: Partial<ComplaintRecord> = {}): Promise<boolean> {
  const expiresAt = Math.ceil(new Date(at).getTime() / 1000) + retentionDays * 86400;
  const update = updateExpression({
    ...changes,
    status: 'closed',
    outcome,
    closedAt: at,
    expiresAt,
    updatedAt: at,
    currentStep: undefined,
    level: undefined,
    assignee: undefined,
    deadlineAt: undefined,
    currentTaskLinkHash: undefined,
    workflowResumeAt: undefined,
  });
  return writeIf(
    [
      {
        Update: { TableName: table(), Key: keys.complaint(id), ...onlyWhileOpen(update) },
      },
      ...events.map((event, order) => putEvent(id, event, order)),
      putEvent(id, { at, actor: 'system', action: 'complaint.closed', details: { outcome } }, events.length),
    ],
    (failed) => failed.includes(0),
  );
}

/** Every open complaint (for re-driving after the local engine lost its executions). */
export async function scanOpenComplaints(): Promise<ComplaintRecord[]> {
  const found: ComplaintRecord[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: table(),
        FilterExpression: 'sk = :meta AND begins_with(pk, :prefix) AND #status <> :closed AND attribute_exists(workflowStartedAt)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':meta': 'META', ':prefix': 'COMPLAINT#', ':closed': 'closed' },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const { pk: _pk, sk: _sk, ...record } = item;
      found.push(record as ComplaintRecord);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
}

/**
 * Reopens a closed, answered case for its one review (复核): status `review`, no expiry, and the
 * request as an event, in one transaction. False when a review was already asked for or the case
 * is not closed (two requests at once: one wins).
 */
export async function reopenForReview(id: string, at: string, reason: string): Promise<boolean> {
  return writeIf(
    [
      {
        Update: {
          TableName: table(),
          Key: keys.complaint(id),
          UpdateExpression: 'SET reviewRequestedAt = :at, #status = :review, updatedAt = :at REMOVE expiresAt, outcome, closedAt',
          ConditionExpression: 'attribute_not_exists(reviewRequestedAt) AND #status = :closed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': at, ':review': 'review', ':closed': 'closed' },
        },
      },
      putEvent(id, { at, actor: 'complainant', action: 'review.requested', details: { reason } }),
    ],
    (failed) => failed.includes(0),
  );
}

/**
 * Records a reminder (催办) unless one was sent after `notBefore`: the conditional write makes two
 * clicks at once send one. False when it is too soon.
 */
export async function recordReminder(id: string, at: string, notBefore: string, event: ComplaintEvent): Promise<boolean> {
  return writeIf(
    [
      {
        Update: {
          TableName: table(),
          Key: keys.complaint(id),
          UpdateExpression: 'SET lastReminderAt = :at, updatedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastReminderAt) OR lastReminderAt <= :threshold)',
          ExpressionAttributeValues: { ':at': at, ':threshold': notBefore },
        },
      },
      putEvent(id, event),
    ],
    // Two clicks at once may also cancel each other as a conflict: either way, one is too soon.
    () => true,
  );
}
