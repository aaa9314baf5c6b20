import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ComplaintEvent } from '../domain/history';
import type { Language } from '../domain/language';
import type { ComplaintStatus, HumanStep, StepRole } from '../domain/lifecycle';
import type { StepDecision } from '../domain/steps';
import { movesBy } from '../domain/stalled';
import { dynamo } from '../lib/clients/dynamo';
import { updateComplaint } from './complaints';
import { failedConditionsOf, tableName, withoutKeys, type TransactItems } from './table';
import { PARTITIONS } from './schema';
import { sweepDueFields } from './sweep-due';

/**
 * A task link: `TASK#<sha256 of the link id>` / `META`. It holds the workflow's task token
 * server-side (the link id itself is never stored), who it is for, until when, and what became
 * of it. In no index: the complaint it belongs to points at its current link.
 */
export function taskLinkKey(linkIdHash: string) {
  return { pk: `${PARTITIONS.taskLink}${linkIdHash}`, sk: 'META' };
}

/** Why a link stopped taking decisions without being decided through it ('closed': its case closed otherwise than by a withdrawal). */
export type LinkMovedReason = 'escalated' | 'reissued' | 'reassigned' | 'withdrawn' | 'closed' | 'refused';

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
  /** Until when the link takes decisions: the step's deadline, or an escalated task's grace or next reminder. */
  dueAt: string;
  /** The step's own deadline when it is not `dueAt` (an escalated task): the case keeps it. */
  stepDeadlineAt?: string;
  /** The handler's question, for information and statement steps. */
  question?: string;
  state: 'open' | 'decided' | 'moved';
  /** TTL (epoch seconds): a link outlives its deadline by the retention period; what it decided is in the case's history. */
  expiresAt?: number;
  decidedAt?: string;
  decidedBy?: string;
  decision?: StepDecision;
  movedAt?: string;
  movedTo?: string;
  movedReason?: LinkMovedReason;
}

/**
 * Opens a task: stores its link, retires the link it replaces (escalated or re-sent, saying to
 * whom), and moves the complaint to the step with the assignee and deadline that the byAssignee
 * index serves, due to have moved by that deadline (the workflow's DeadlinePassed moves it then).
 * One transaction: there is never a complaint pointing at a link that is not there.
 * `withoutEvidence`: only while no evidence is recorded on the case (ComplaintClosedError otherwise).
 */
export async function insertTaskLink(
  link: TaskLinkRecord,
  status: ComplaintStatus,
  event: ComplaintEvent,
  replaces?: { linkIdHash: string; reason: LinkMovedReason },
  extra: TransactItems = [],
  condition: { withoutEvidence?: boolean } = {},
): Promise<void> {
  const retire =
    replaces && replaces.linkIdHash !== link.linkIdHash
      ? [
          {
            Update: {
              TableName: tableName(),
              Key: taskLinkKey(replaces.linkIdHash),
              UpdateExpression: 'SET #state = :moved, movedAt = :now, movedTo = :to, movedReason = :reason',
              ConditionExpression: 'attribute_exists(pk) AND #state = :open',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: {
                ':moved': 'moved',
                ':open': 'open',
                ':now': link.createdAt,
                ':to': link.assignedTo,
                ':reason': replaces.reason,
              },
            },
          },
        ]
      : [];
  // The event names its link (a hash, not the link), so an erasure finds every link of the case.
  const named: ComplaintEvent = { ...event, details: { ...event.details, linkIdHash: link.linkIdHash } };
  await updateComplaint(
    link.complaintId,
    {
      status,
      currentStep: link.step,
      level: link.level,
      assignee: link.assignedTo,
      deadlineAt: link.stepDeadlineAt ?? link.dueAt,
      currentTaskLinkHash: link.linkIdHash,
      ...sweepDueFields(link.complaintId, movesBy(link.createdAt, link.dueAt)),
    },
    named,
    [
      {
        Put: {
          TableName: tableName(),
          Item: { ...taskLinkKey(link.linkIdHash), ...link },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...retire,
      ...extra,
    ],
    { whileOpen: true, withoutEvidence: condition.withoutEvidence },
  ).catch(async (error) => {
    // The replaced link (the last item: after the complaint, the event and the new link) was
    // decided or retired meanwhile: open the task anyway, retiring nothing.
    if (retire.length && failedConditionsOf(error)?.includes(3))
      return insertTaskLink(link, status, event, undefined, extra, condition);
    throw error;
  });
}

export async function getTaskLink(linkIdHash: string): Promise<TaskLinkRecord | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: taskLinkKey(linkIdHash), ConsistentRead: true }),
  );
  return Item ? withoutKeys<TaskLinkRecord>(Item) : undefined;
}

/**
 * The write that claims a link for a decision: it holds only while the link is open, before its
 * deadline, and (when one is given: the system decides without a page) with the page's nonce.
 * It goes in the transaction that records the decision on the case (app/shared/record-decision.ts):
 * first writer wins, and a claimed link always has its decision recorded.
 */
export function claimWrite(
  link: Pick<TaskLinkRecord, 'linkIdHash'>,
  nonce: string | undefined,
  decision: StepDecision,
  decidedBy: string,
  now: string,
) {
  return {
    Update: {
      TableName: tableName(),
      Key: taskLinkKey(link.linkIdHash),
      UpdateExpression: 'SET #state = :decided, decidedAt = :now, decidedBy = :by, decision = :decision',
      ConditionExpression: `#state = :open AND dueAt > :now${nonce === undefined ? '' : ' AND nonce = :nonce'}`,
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':decided': 'decided',
        ':open': 'open',
        ':now': now,
        ':by': decidedBy,
        ':decision': decision,
        ...(nonce === undefined ? {} : { ':nonce': nonce }),
      },
    },
  };
}

/**
 * The write that retires an open link (a decided one keeps its decision, which the case
 * recorded): it holds only while the link is still open, so a decision claimed since is never
 * overwritten. For the transaction that closes a case as withdrawn.
 */
export function retireTaskLink(link: Pick<TaskLinkRecord, 'linkIdHash'>, now: string, reason: LinkMovedReason) {
  return {
    Update: {
      TableName: tableName(),
      Key: taskLinkKey(link.linkIdHash),
      UpdateExpression: 'SET #state = :moved, movedAt = :now, movedReason = :reason',
      ConditionExpression: '#state = :open',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':moved': 'moved', ':now': now, ':reason': reason, ':open': 'open' },
    },
  };
}
