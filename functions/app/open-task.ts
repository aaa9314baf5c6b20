import { escalates, escalationAt, escalationChain } from '../domain/escalation';
import { hashSecret, newLinkId, newSecret } from '../domain/ids';
import { isOpen, STEP_DEFINITIONS, STEP_ROLE, STEP_STATUS, type HumanStep } from '../domain/lifecycle';
import { CaseClosed, StepMoved } from '../domain/workflow-contract';
import { deadlineAfter, reviewWindowEnd } from '../domain/deadlines';
import { complainantNotice } from './shared/complainant-recipient';
import { epochSeconds } from '../store/schema';
import { taskUrl } from '../lib/links';
import { log } from '../lib/log';
import { baseAssigneeOf, currentLinkOf, loadCase } from './shared/case';
import { notifyEvidenceArrived } from './shared/decide-task';
import { deliver, outgoingNotice } from './shared/notifier';
import type { Notice } from '../domain/notice';
import { notice } from '../pages/notices';
import { currentTime } from '../lib/clock';
import { callerAskedForEvidenceFrom, evidenceStillNeeded } from '../domain/evidence-policy';
import { ComplaintClosedError, getComplaint } from '../store/complaints';
import { type TaskLinkRecord, insertTaskLink } from '../store/task-links';

export interface OpenTaskInput {
  complaintId: string;
  step: HumanStep;
  level: number;
  taskToken: string;
  timeoutSeconds: number;
}

/**
 * Invoked with a task token (waitForTaskToken): stores a task link that holds the token
 * server-side (the link id itself is stored only hashed), retires the link it replaces, and
 * emails the person whose turn it is. The workflow then waits until that link's decision is
 * recorded or the deadline passes. A case that closed, or is no longer on the step the workflow
 * opens, gets no task (CaseClosed, StepMoved: the workflow ends, or reopens what the case records).
 * Nor does an evidence step once evidence is recorded: the request is written only while none is,
 * and otherwise the workflow reopens the step, which the evidence then decides (beginStep).
 */
export async function openTask(input: OpenTaskInput): Promise<{ assignee: string }> {
  const context = await loadCase(input.complaintId);
  const { complaint, desk, team, levels, clockScale } = context;
  if (!isOpen(complaint.status)) throw new CaseClosed(complaint.id);
  if (complaint.currentStep !== input.step) throw new StepMoved(complaint.id, input.step);
  const asksForEvidence = input.step === 'evidence';
  if (asksForEvidence && !evidenceStillNeeded(complaint, desk)) throw new StepMoved(complaint.id, input.step);
  // A message's wait belongs to whoever the message awaits; its mail went with the message.
  const role = input.step === 'answer' ? (complaint.paused?.to ?? 'complainant') : STEP_ROLE[input.step];
  const base = await baseAssigneeOf(context, input.step);
  const chain = escalationChain(base, team);
  const escalation = escalates(input.step)
    ? escalationAt(input.level, chain, levels, desk.escalationOwner ?? team.manager)
    : undefined;
  const assignee = escalation ? escalation.assignee : base;
  const staff = role === 'handler' || role === 'supervisor';
  const now = currentTime();
  const stepDeadlineAt =
    complaint.deadlineAt ?? deadlineAfter(now, input.timeoutSeconds * clockScale, clockScale).toISOString();
  // An escalated task's link takes decisions until its holder's grace or next reminder runs out;
  // the step's own deadline stays on the case.
  const deadlineAt = complaint.timerAt && (input.level ?? 0) > 0 ? complaint.timerAt : stepDeadlineAt;
  const linkId = newLinkId();
  const link: TaskLinkRecord = {
    linkIdHash: hashSecret(linkId),
    complaintId: complaint.id,
    step: input.step,
    role,
    level: input.level,
    assignedTo: assignee,
    assigneeLanguage: staff ? team.language : complaint.language,
    taskToken: input.taskToken,
    nonce: newSecret(),
    createdAt: now.toISOString(),
    dueAt: deadlineAt,
    ...(deadlineAt !== stepDeadlineAt ? { stepDeadlineAt } : {}),
    ...(complaint.pendingQuestion && STEP_DEFINITIONS[input.step].page.above === 'question'
      ? { question: complaint.pendingQuestion }
      : {}),
    state: 'open',
    expiresAt: epochSeconds(new Date(deadlineAt)) + desk.retentionDays * 86400,
  };
  // The link this one replaces: the same step one level down (escalated), or the same step and
  // level issued before a restart (sent again).
  const current = await currentLinkOf(complaint);
  const previous =
    current && current.step === input.step && current.state === 'open'
      ? {
          linkIdHash: current.linkIdHash,
          reason: input.level > current.level ? ('escalated' as const) : ('reissued' as const),
          assignee: current.assignedTo,
        }
      : undefined;
  const url = taskUrl(linkId);
  // The answer step's own message is its mail; its task sends none.
  let told: Notice | undefined;
  switch (input.step) {
    case 'answer':
      told = undefined;
      break;
    case 'evidence':
      told = await complainantNotice(complaint, 'evidence.request', { deadlineAt });
      break;
    case 'information':
      told = await complainantNotice(complaint, 'information.request', {
        question: complaint.pendingQuestion ?? '',
        taskUrl: url,
        deadlineAt,
      });
      break;
    case 'statement':
      told = notice(
        'statement.request',
        { email: assignee },
        { number: complaint.number, question: complaint.pendingQuestion ?? '', taskUrl: url, deadlineAt },
      );
      break;
    case 'survey':
      told = await complainantNotice(complaint, 'reply', {
        reply: complaint.reply?.reply ?? '',
        grounds: complaint.reply?.grounds,
        followUp: complaint.reply?.followUp,
        surveyUrl: url,
        reviewBy: reviewWindowEnd(complaint.repliedAt ?? now.toISOString(), levels, clockScale).toISOString(),
      });
      break;
    default:
      told = notice(
        'task.assigned',
        { email: assignee },
        {
          number: complaint.number,
          step: input.step,
          taskUrl: url,
          deadlineAt,
          escalatedFrom: previous?.reason === 'escalated' ? previous.assignee : undefined,
          breached: !!escalation?.breached,
        },
      );
  }
  // Files the desk declared at entry may still land: the caller is asked only once they cannot
  // (the outbox sends the request then, unless evidence was recorded meanwhile).
  const askFrom = asksForEvidence ? callerAskedForEvidenceFrom(complaint, desk.evidence) : undefined;
  const held = !!askFrom && askFrom > now;
  const mail = told
    ? outgoingNotice(
        complaint.id,
        `task.${input.step}`,
        told,
        link.createdAt,
        0,
        held ? askFrom.toISOString() : undefined,
      )
    : undefined;
  await insertTaskLink(
    link,
    STEP_STATUS[input.step],
    {
      at: link.createdAt,
      actor: 'system',
      action: previous?.reason === 'reissued' ? 'task.reissued' : 'task.assigned',
      details: {
        step: input.step,
        level: input.level,
        assignee,
        role,
        deadlineAt,
        ...(held ? { askFrom: askFrom.toISOString() } : {}),
        ...(complaint.deadlineProvisional?.length ? { deadlineProvisional: complaint.deadlineProvisional } : {}),
      },
    },
    previous,
    mail?.writes ?? [],
    { withoutEvidence: asksForEvidence },
  ).catch(async (error) => {
    // Evidence recorded since the case was read: no request goes out (nor does one when it closed).
    if (asksForEvidence && error instanceof ComplaintClosedError) {
      const current = await getComplaint(complaint.id);
      if (!current || !isOpen(current.status)) throw new CaseClosed(complaint.id);
      throw new StepMoved(complaint.id, input.step);
    }
    throw error;
  });
  if (!held) await deliver(mail);
  log.info('task opened', { complaintId: complaint.id, step: input.step, level: input.level, role });
  // Evidence recorded after this request was written completes its task (record-evidence.ts);
  // looking once more here covers a recording whose word to the task was lost.
  if (input.step === 'evidence' && ((await getComplaint(complaint.id))?.evidenceCount ?? 0) > 0)
    await notifyEvidenceArrived(complaint.id);
  return { assignee };
}
