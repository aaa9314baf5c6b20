import { deadlineAfter, provisionalYears, secondsLate, secondsUntil } from '../../domain/deadlines';
import { escalationAt, escalationChain } from '../../domain/escalation';
import type { HumanStep } from '../../domain/lifecycle';
import { movesBy } from '../../domain/stalled';
import { currentTime } from '../../lib/clock';
import { log } from '../../lib/log';
import { recordEscalation, recordProvisionalDeadline } from '../../lib/metrics';
import { delayNoticeEmail } from '../../pages/emails';
import { ComplaintClosedError, updateComplaint } from '../../store/complaints';
import { StepMoved, type StepTimer } from '../../domain/workflow-contract';
import { baseAssigneeOf, type CaseContext } from './case';
import { complainantRecipient } from './complainant-recipient';
import { deliver, outgoingMail } from './mail-outbox';
import { putEvent } from '../../store/events';
import { sweepDueFields } from '../../store/sweep-due';

export interface EscalateStepInput {
  complaintId: string;
  step: HumanStep;
  level: number;
}

/**
 * A staff step's deadline passed. Records which deadline was missed, by whom and how late (in the
 * desk's service-level time), then moves the task one person up with a grace period (the next
 * OpenTask retires the old link, saying to whom it moved). Past the manager the task is breached:
 * it goes to the desk's last resort, and the complainant is told once that the case is late and
 * by when to expect it; after that the last resort is reminded until someone acts.
 */
export async function escalateStep(input: EscalateStepInput, context: CaseContext): Promise<StepTimer> {
  const { complaint, desk, team, levels, clockScale } = context;
  const now = currentTime();
  const chain = escalationChain(await baseAssigneeOf(context, input.step), team);
  const next = escalationAt(input.level + 1, chain, levels, desk.escalationOwner ?? team.manager);
  const missedDeadline = complaint.deadlineAt ?? now.toISOString();
  const lateBySeconds = secondsLate(new Date(missedDeadline), now) * clockScale;
  const firstBreach = next.breached && !complaint.breached;
  const details = {
    step: input.step,
    fromLevel: input.level,
    toLevel: next.level,
    missedDeadline,
    lateBySeconds,
    from: complaint.assignee,
    to: next.assignee,
    breached: next.breached,
  };

  recordEscalation(next, team, firstBreach);
  const deadlineAt = deadlineAfter(now, next.waitSeconds, clockScale, levels.calendar).toISOString();
  const deadlineProvisional = provisionalYears(new Date(deadlineAt), now, levels, clockScale);
  if (deadlineProvisional.length) recordProvisionalDeadline(input.step, deadlineProvisional);
  const at = now.toISOString();
  // Told once: the delay notice goes with the escalation that first breaches the case.
  const delayNotice =
    firstBreach && !complaint.delayNoticeSentAt
      ? outgoingMail(
          complaint.id,
          'delay.notice',
          delayNoticeEmail({
            ...(await complainantRecipient(complaint)),
            step: input.step,
            expectedBy: deadlineAt,
            timeZone: desk.timeZone,
          }),
          at,
        )
      : undefined;
  await updateComplaint(
    complaint.id,
    {
      // The step stays (the write holds only while the case is on it); named with its level and
      // deadline, which move the case's place in the work queues.
      currentStep: input.step,
      level: next.level,
      deadlineAt,
      deadlineProvisional: deadlineProvisional.length ? deadlineProvisional : undefined,
      ...(next.breached ? { breached: true } : {}),
      ...(delayNotice ? { delayNoticeSentAt: at } : {}),
      // The task one person up opens next, within minutes.
      ...sweepDueFields(complaint.id, movesBy(now)),
    },
    {
      at,
      actor: 'system',
      action: 'task.escalated',
      details: { ...details, ...(deadlineProvisional.length ? { deadlineProvisional } : {}) },
    },
    delayNotice
      ? [
          putEvent(
            complaint.id,
            {
              at,
              actor: 'system',
              action: 'delay.notified',
              details: {
                step: input.step,
                expectedBy: deadlineAt,
                complainantNote: {
                  'zh-CN': `处理已延误，预计于新的期限前答复`,
                  en: 'Running late; an answer is expected by the new deadline',
                },
              },
            },
            1,
          ),
          delayNotice.write,
        ]
      : [],
    { onStep: { step: input.step, level: input.level, lastDecisionAt: complaint.lastDecisionAt } },
  ).catch((error) => {
    // A decision (or a withdrawal) got there first: the workflow reopens what the case records.
    throw error instanceof ComplaintClosedError ? new StepMoved(complaint.id, input.step) : error;
  });
  await deliver(delayNotice);
  log.warn('task escalated', {
    complaintId: complaint.id,
    step: input.step,
    level: next.level,
    breached: next.breached,
    lateBySeconds,
  });
  return { step: input.step, level: next.level, timeoutSeconds: secondsUntil(new Date(deadlineAt), now) };
}
