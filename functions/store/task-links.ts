import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ComplaintEvent } from '../domain/history';
import type { Language } from '../domain/language';
import type { ComplaintStatus, HumanStep, StepRole } from '../domain/lifecycle';
import type { StepDecision } from '../domain/steps';
import { dynamo } from '../lib/clients/dynamo';
import { updateComplaint, whileCaseOpen } from './complaints';
import { failedConditionsOf, tableName, withoutKeys, writeIf, writeOneIf, type TransactItems } from './table';
import { PARTITIONS } from './schema';

/**
 * A task link: `TASK#<sha256 of the link id>` / `META`. It holds the workflow's task token
 * server-side (the link id itself is never stored), who it is for, until when, and what became
 * of it. In no index: the complaint it belongs to points at its current link.
 */
export function taskLinkKey(linkIdHash: string) {
  return { pk: `${PARTITIONS.taskLink}${linkIdHash}`, sk: 'META' };
}

/** Why a link stopped taking decisions without being decided through it ('closed': its case closed otherwise than by a withdrawal). */
export type LinkMovedReason = 'escalated' | 'reissued' | 'withdrawn' | 'closed' | 'refused';

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
 * index serves. One transaction: there is never a complaint pointing at a link that is not there.
 */
export async function insertTaskLink(link: TaskLinkRecord, status: ComplaintStatus, event: ComplaintEvent, replaces?: { linkIdHash: string; reason: LinkMovedReason }, extra: TransactItems = []): Promise<void> {
  const retire = replaces && replaces.linkIdHash !== link.linkIdHash
    ? [{
        Update: {
          TableName: tableName(),
          Key: taskLinkKey(replaces.linkIdHash),
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
    [{ Put: { TableName: tableName(), Item: { ...taskLinkKey(link.linkIdHash), ...link }, ConditionExpression: 'attribute_not_exists(pk)' } }, ...retire, ...extra],
    { whileOpen: true },
  ).catch(async (error) => {
    // The replaced link (the last item: after the complaint, the event and the new link) was
    // decided or retired meanwhile: open the task anyway, retiring nothing.
    if (retire.length && failedConditionsOf(error)?.includes(3)) return insertTaskLink(link, status, event, undefined, extra);
    throw error;
  });
}

export async function getTaskLink(linkIdHash: string): Promise<TaskLinkRecord | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName(), Key: taskLinkKey(linkIdHash), ConsistentRead: true }));
  return Item ? withoutKeys<TaskLinkRecord>(Item) : undefined;
}

export type ClaimResult = { claimed: true; link: TaskLinkRecord } | { claimed: false; link: TaskLinkRecord | undefined };

// Two writes on one link at once may cancel a transaction as a conflict: nothing was written, and
// the next try finds who won.
const CONFLICT_TRIES = 4;
const isConflict = (error: unknown) => failedConditionsOf(error)?.length === 0;

/**
 * First writer wins: marks an open link decided if the nonce matches (when one is given: the
 * system claims without a page), the deadline has not passed and the case is still open (the
 * one condition every write that moves a case carries), in one transaction. A loser gets the
 * link as it stands, to explain what happened.
 */
export async function claimTaskLink(linkIdHash: string, nonce: string | undefined, decision: StepDecision, decidedBy: string, now: string): Promise<ClaimResult> {
  const link = await getTaskLink(linkIdHash);
  if (!link) return { claimed: false, link };
  const claim = {
    Update: {
      TableName: tableName(),
      Key: taskLinkKey(linkIdHash),
      UpdateExpression: 'SET #state = :decided, decidedAt = :now, decidedBy = :by, decision = :decision',
      ConditionExpression: `#state = :open AND dueAt > :now${nonce === undefined ? '' : ' AND nonce = :nonce'}`,
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':decided': 'decided', ':open': 'open', ':now': now, ':by': decidedBy, ':decision': decision, ...(nonce === undefined ? {} : { ':nonce': nonce }) },
    },
  };
  for (let attempt = 1; ; attempt++) {
    try {
      if (await writeIf([claim, whileCaseOpen(link.complaintId)])) return { claimed: true, link: { ...link, state: 'decided', decidedAt: now, decidedBy, decision } };
      break;
    } catch (error) {
      if (!isConflict(error) || attempt >= CONFLICT_TRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
    }
  }
  // The loser reads the link as the winner left it (a consistent read), to say who acted and when.
  return { claimed: false, link: await getTaskLink(linkIdHash) };
}

/**
 * Gives back a claim whose decision never reached the workflow (Step Functions failed for a reason
 * other than refusing the token): the link is open again for the next try, as it was.
 */
export async function releaseTaskLink(linkIdHash: string, decidedAt: string): Promise<void> {
  await writeOneIf({
    update: {
      TableName: tableName(),
      Key: taskLinkKey(linkIdHash),
      UpdateExpression: 'SET #state = :open REMOVE decidedAt, decidedBy, decision',
      ConditionExpression: '#state = :decided AND decidedAt = :at',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':open': 'open', ':decided': 'decided', ':at': decidedAt },
    },
  });
}

/**
 * The write that retires a link as it was read (its state, and when claimed, the claim's time):
 * it holds only while the link is still so, so a decision claimed since, or a claim given back,
 * is never overwritten. For the transaction that closes a case as withdrawn, and a refused claim.
 */
export function retireTaskLink(link: Pick<TaskLinkRecord, 'linkIdHash' | 'state' | 'decidedAt'>, now: string, reason: LinkMovedReason) {
  const claimed = link.state === 'decided' && link.decidedAt !== undefined;
  return {
    Update: {
      TableName: tableName(),
      Key: taskLinkKey(link.linkIdHash),
      UpdateExpression: 'SET #state = :moved, movedAt = :now, movedReason = :reason REMOVE decision, decidedAt, decidedBy',
      ConditionExpression: `#state = :was${claimed ? ' AND decidedAt = :decidedAt' : ''}`,
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':moved': 'moved', ':now': now, ':reason': reason, ':was': link.state, ...(claimed ? { ':decidedAt': link.decidedAt } : {}) },
    },
  };
}

/**
 * Step Functions refused the token of this claim (the task timed out or moved on): the link says
 * it moved, unless something else has happened to it since (a withdrawal took it over).
 */
export async function markClaimRefused(linkIdHash: string, decidedAt: string, now: string): Promise<void> {
  await writeOneIf({ update: retireTaskLink({ linkIdHash, state: 'decided', decidedAt }, now, 'refused').Update });
}
