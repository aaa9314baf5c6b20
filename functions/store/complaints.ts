import { GetCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ComplaintRecord } from '../domain/complaint';
import type { ComplaintEvent } from '../domain/history';
import type { Outcome } from '../domain/lifecycle';
import { queuePosition, teamKeyOf } from '../domain/queue';
import { movesBy } from '../domain/stalled';
import { dynamo } from '../lib/clients/dynamo';
import { currentTime } from '../lib/clock';
import { settings } from '../lib/settings';
import { putEvent } from './events';
import { complaintKey } from './complaint-key';
import { index } from './schema';
import { NOT_DUE, sweepDueFields } from './sweep-due';
import { queryAll, tableName, updateExpression, withoutKeys, writeIf, writeOneIf, type TransactItems } from './table';

/**
 * A complaint's current state: `COMPLAINT#<id>` / `META`. It sits in the byAssignee index while a
 * task is open (assignee, deadlineAt), in byTeam (teamKey, from intake) while staff hold its step
 * (queuePosition), in byComplainant and bySubject always (complainantKey, subjectKey), in
 * byWorkflowPending until its workflow start is confirmed (pending-starts.ts), and in bySweepDue
 * while open (sweepDue, sweepDueAt: when it should next have moved, sweep-due.ts).
 * Every change to it is written with the event that says why (events.ts).
 */

export type { ComplaintRecord };
export type ComplaintItem = ComplaintRecord & { complainantKey: string; subjectKey: string };

export async function getComplaint(id: string): Promise<ComplaintRecord | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: complaintKey(id), ConsistentRead: true }),
  );
  return Item ? withoutKeys<ComplaintRecord>(Item) : undefined;
}

/** The Put that stores a new complaint, in its team's queue partition and due to have moved (started, acknowledged) minutes after receipt; it fails if the id exists. */
export function putComplaint(record: ComplaintItem) {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...complaintKey(record.id),
        teamKey: teamKeyOf(settings().desk, record),
        ...record,
        ...sweepDueFields(record.id, movesBy(record.receivedAt)),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

const STEP_FIELDS = ['currentStep', 'level', 'deadlineAt'] as const;

/**
 * A change with the work-queue position it leads to: a change to the step, its level or its
 * deadline names all three (what it removes as undefined), and the position is made from them,
 * so no write can leave a case in the queues at a place it no longer holds.
 */
export function withQueuePosition(id: string, changes: Partial<ComplaintRecord>): Partial<ComplaintRecord> {
  const named = STEP_FIELDS.filter((field) => field in changes);
  if (named.length === 0) return changes;
  if (named.length < STEP_FIELDS.length)
    throw new Error(
      `a change to complaint ${id}'s ${named.join(', ')} must name ${STEP_FIELDS.join(', ')} together: its work-queue position is made from them`,
    );
  return { ...changes, queuePosition: queuePosition({ ...changes, id }) };
}

/**
 * Puts a case written before the work queues existed where they read it: its team partition and,
 * while staff hold its step, its position. Written only if the case has not changed since it was
 * read (a change of step writes the position itself): `changed` when it had.
 */
export async function placeInWorkQueues(
  c: ComplaintRecord,
  teamKey: string | undefined,
): Promise<'placed' | 'in-place' | 'changed'> {
  const position = queuePosition(c);
  if ((c.teamKey || !teamKey) && c.queuePosition === position) return 'in-place';
  const sets = [
    ...(teamKey ? ['teamKey = if_not_exists(teamKey, :team)'] : []),
    ...(position ? ['queuePosition = :position'] : []),
  ];
  const written = await writeOneIf({
    update: {
      TableName: tableName(),
      Key: complaintKey(c.id),
      UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', position ? '' : 'REMOVE queuePosition']
        .filter(Boolean)
        .join(' '),
      ConditionExpression: 'attribute_exists(pk) AND updatedAt = :updatedAt',
      ExpressionAttributeValues: {
        ':updatedAt': c.updatedAt,
        ...(teamKey ? { ':team': teamKey } : {}),
        ...(position ? { ':position': position } : {}),
      },
    },
  });
  return written ? 'placed' : 'changed';
}

export class ComplaintClosedError extends Error {
  constructor(readonly complaintId: string) {
    super(`Complaint ${complaintId} is closed`);
    this.name = 'ComplaintClosedError';
  }
}

/** A step as a write found it: the write holds only while the case is still on it (same step and level, no decision recorded since). */
export interface StepAsRead {
  step: string;
  level: number;
  lastDecisionAt?: string;
}

/**
 * The one condition every write that moves a case carries: the case exists and is not closed.
 * `waitingOn` adds that the case still waits on that task link (null: on none); `onStep` that
 * it is still on the step as read (a deadline's escalation or lapse never lands on a case that a
 * decision moved on meanwhile); `withoutEvidence` that no evidence is recorded on it (a write
 * that asks for evidence, or gives up waiting for it, never lands after evidence did).
 */
export function whileOpenCondition(waitingOn?: string | null, onStep?: StepAsRead, withoutEvidence = false) {
  const link =
    waitingOn === undefined
      ? ''
      : waitingOn === null
        ? ' AND attribute_not_exists(#waitingOn)'
        : ' AND #waitingOn = :waitingOn';
  // Level 0 is also a record that names no level.
  const level = onStep?.level ? '#onLevel = :onLevel' : '(attribute_not_exists(#onLevel) OR #onLevel = :onLevel)';
  const step = onStep
    ? ` AND #onStep = :onStep AND ${level} AND ${onStep.lastDecisionAt ? '#lastDecision = :lastDecision' : 'attribute_not_exists(#lastDecision)'}`
    : '';
  const evidence = withoutEvidence ? ' AND (attribute_not_exists(#evidenceCount) OR #evidenceCount < :oneFile)' : '';
  return {
    ConditionExpression: `attribute_exists(pk) AND #status <> :closed${link}${step}${evidence}`,
    ExpressionAttributeNames: {
      '#status': 'status',
      ...(waitingOn === undefined ? {} : { '#waitingOn': 'currentTaskLinkHash' }),
      ...(onStep ? { '#onStep': 'currentStep', '#onLevel': 'level', '#lastDecision': 'lastDecisionAt' } : {}),
      ...(withoutEvidence ? { '#evidenceCount': 'evidenceCount' } : {}),
    },
    ExpressionAttributeValues: {
      ':closed': 'closed',
      ...(withoutEvidence ? { ':oneFile': 1 } : {}),
      ...(waitingOn ? { ':waitingOn': waitingOn } : {}),
      ...(onStep
        ? {
            ':onStep': onStep.step,
            ':onLevel': onStep.level,
            ...(onStep.lastDecisionAt ? { ':lastDecision': onStep.lastDecisionAt } : {}),
          }
        : {}),
    } as Record<string, unknown>,
  };
}

export function onlyWhileOpen(
  update: ReturnType<typeof updateExpression>,
  waitingOn?: string | null,
  onStep?: StepAsRead,
  withoutEvidence = false,
) {
  const condition = whileOpenCondition(waitingOn, onStep, withoutEvidence);
  return {
    ...update,
    ConditionExpression: condition.ConditionExpression,
    ExpressionAttributeNames: { ...update.ExpressionAttributeNames, ...condition.ExpressionAttributeNames },
    ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ...condition.ExpressionAttributeValues },
  };
}

/** Adds to a guarded update that the case is not acknowledged yet (and still waits for its workflow's start to be confirmed). */
function withFirstAcknowledgement<T extends ReturnType<typeof onlyWhileOpen>>(
  update: T,
  first?: { workflowPending: boolean },
): T {
  if (!first) return update;
  return {
    ...update,
    ConditionExpression: `${update.ConditionExpression} AND attribute_not_exists(#acknowledgedAt)${first.workflowPending ? ' AND attribute_exists(#workflowPending)' : ''}`,
    ExpressionAttributeNames: {
      ...update.ExpressionAttributeNames,
      '#acknowledgedAt': 'acknowledgedAt',
      ...(first.workflowPending ? { '#workflowPending': 'workflowPending' } : {}),
    },
  };
}

/**
 * Changes a complaint and appends the event that says why, in one transaction. `whileOpen`
 * refuses the change once the case is closed (ComplaintClosedError): a workflow step still
 * running when the complainant withdrew must not move the case back into a step. `waitingOn`
 * and `onStep` (whileOpenCondition) refuse it too once the case moved on, `withoutEvidence`
 * once evidence is recorded on it.
 */
export async function updateComplaint(
  id: string,
  changes: Partial<ComplaintRecord>,
  event?: ComplaintEvent,
  extra: TransactItems = [],
  options: {
    whileOpen?: boolean;
    waitingOn?: string | null;
    onStep?: StepAsRead;
    withoutEvidence?: boolean;
    /** Only while the case is not acknowledged yet and, if `workflowPending`, its workflow's start is not confirmed yet. */
    firstAcknowledgement?: { workflowPending: boolean };
  } = {},
): Promise<void> {
  const update = updateExpression({
    ...withQueuePosition(id, changes),
    updatedAt: changes.updatedAt ?? event?.at ?? currentTime().toISOString(),
  });
  const guarded =
    options.whileOpen ||
    options.waitingOn !== undefined ||
    !!options.onStep ||
    !!options.withoutEvidence ||
    !!options.firstAcknowledgement;
  const items: TransactItems = [
    {
      Update: {
        TableName: tableName(),
        Key: complaintKey(id),
        ...(guarded
          ? withFirstAcknowledgement(
              onlyWhileOpen(update, options.waitingOn, options.onStep, options.withoutEvidence),
              options.firstAcknowledgement,
            )
          : { ...update, ConditionExpression: 'attribute_exists(pk)' }),
      },
    },
    ...(event ? [putEvent(id, event)] : []),
    ...extra,
  ];
  // One item is one plain write (half the units of a transaction).
  if (items.length === 1) {
    if (await writeOneIf({ update: items[0]!.Update as UpdateCommandInput })) return;
    if (guarded) throw new ComplaintClosedError(id);
    throw new Error(`Complaint ${id} not found`);
  }
  const written = await writeIf(items, (failed) => guarded && failed.includes(0));
  if (!written) throw new ComplaintClosedError(id);
}

/**
 * Records that the workflow runs; the complaint leaves the pending index. Intake and the
 * reconciler may both confirm the same start: only the first clears the marker and writes the
 * event, the others find nothing pending and do nothing.
 */
export async function markWorkflowStarted(id: string, at: string, executionArn?: string): Promise<void> {
  const update = updateExpression({ workflowPending: undefined, workflowStartedAt: at, updatedAt: at });
  await writeIf(
    [
      {
        Update: {
          TableName: tableName(),
          Key: complaintKey(id),
          ...update,
          ConditionExpression: 'attribute_exists(workflowPending)',
        },
      },
      putEvent(id, {
        at,
        actor: 'system',
        action: 'workflow.started',
        ...(executionArn ? { details: { executionArn } } : {}),
      }),
    ],
    (failed) => failed.includes(0),
  );
}

/**
 * Closes a complaint with its outcome: it leaves every queue (no step, assignee, deadline or due
 * time) and gets its expiry, at least the retention period after closing. Refuses to close twice.
 * `waitingOn` closes it only while it still waits on that task link (null: on none); then any
 * condition of `extra` that fails (the link it retires was decided meanwhile) also answers false.
 * `onStep` and `withoutEvidence` as whileOpenCondition says.
 */
export async function closeComplaint(
  id: string,
  outcome: Outcome,
  at: string,
  retentionDays: number,
  events: ComplaintEvent[],
  changes: Partial<ComplaintRecord> = {},
  extra: TransactItems = [],
  options: { waitingOn?: string | null; onStep?: StepAsRead; withoutEvidence?: boolean } = {},
): Promise<boolean> {
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
    queuePosition: undefined,
    currentTaskLinkHash: undefined,
    workflowResumeAt: undefined,
    ...NOT_DUE,
  });
  return writeIf(
    [
      {
        Update: {
          TableName: tableName(),
          Key: complaintKey(id),
          ...onlyWhileOpen(update, options.waitingOn, options.onStep, options.withoutEvidence),
        },
      },
      ...events.map((event, order) => putEvent(id, event, order)),
      putEvent(id, { at, actor: 'system', action: 'complaint.closed', details: { outcome } }, events.length),
      ...extra,
    ],
    (failed) => failed.includes(0) || (options.waitingOn !== undefined && failed.length > 0),
  );
}

/**
 * Reopens a closed, answered case for its one review (复核): status `review`, no expiry, due to
 * have moved (its review started) minutes later, and the request as an event, in one transaction.
 * False when a review was already asked for or the case is not closed (two requests at once: one
 * wins).
 */
export async function reopenForReview(
  id: string,
  at: string,
  reason: string,
  workflowPendingShard: string,
): Promise<boolean> {
  const due = sweepDueFields(id, movesBy(at));
  return writeIf(
    [
      {
        Update: {
          TableName: tableName(),
          Key: complaintKey(id),
          // The pending marker, as at intake: until the review's execution is confirmed started,
          // the reconciler (start-pending-workflows) will start it.
          UpdateExpression:
            'SET reviewRequestedAt = :at, #status = :review, updatedAt = :at, workflowPending = :pending, sweepDue = :due, sweepDueAt = :dueAt REMOVE expiresAt, outcome, closedAt',
          ConditionExpression: 'attribute_not_exists(reviewRequestedAt) AND #status = :closed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':at': at,
            ':review': 'review',
            ':closed': 'closed',
            ':pending': workflowPendingShard,
            ':due': due.sweepDue,
            ':dueAt': due.sweepDueAt,
          },
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
export async function recordReminder(
  id: string,
  at: string,
  notBefore: string,
  event: ComplaintEvent,
): Promise<boolean> {
  return writeIf(
    [
      {
        Update: {
          TableName: tableName(),
          Key: complaintKey(id),
          UpdateExpression: 'SET lastReminderAt = :at, updatedAt = :at',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lastReminderAt) OR lastReminderAt <= :threshold)',
          ExpressionAttributeValues: { ':at': at, ':threshold': notBefore },
        },
      },
      putEvent(id, event),
    ],
    // Two clicks at once may also cancel each other as a conflict: either way, one is too soon.
    () => true,
  );
}

/** A repeat filing joins an open case: its count grows while the case keeps the status it was read with. */
export function countDuplicate(original: Pick<ComplaintRecord, 'id' | 'status'>, at: string) {
  return {
    Update: {
      TableName: tableName(),
      Key: complaintKey(original.id),
      UpdateExpression: 'ADD duplicateCount :one SET updatedAt = :now',
      // Closed meanwhile: the caller files it as a new complaint instead.
      ConditionExpression: 'attribute_exists(pk) AND #status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':one': 1, ':now': at, ':status': original.status },
    },
  };
}

/** Complaints about one matter by one complainant (bySubject index). */
export async function listComplaintsOnSubject(
  subjectKey: string,
  complainantKey: string,
  limit = 100,
): Promise<ComplaintRecord[]> {
  const bySubject = index('bySubject');
  return queryAll<ComplaintRecord>(
    {
      TableName: tableName(),
      IndexName: bySubject.IndexName,
      KeyConditionExpression: '#s = :s',
      FilterExpression: '#c = :c',
      ExpressionAttributeNames: { '#s': bySubject.partitionKey, '#c': 'complainantKey' },
      ExpressionAttributeValues: { ':s': subjectKey, ':c': complainantKey },
    },
    limit,
  );
}
