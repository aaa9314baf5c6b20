import { deadlineAfter, secondsLate, secondsUntil } from '../../domain/deadlines';
import { escalationChain, nextEscalation } from '../../domain/escalation';
import type { HumanStep } from '../../domain/lifecycle';
import { movesBy } from '../../domain/stalled';
import { currentTime } from '../../lib/clock';
import { log } from '../../lib/log';
import { recordEscalation } from '../../lib/metrics';
import { ComplaintClosedError, updateComplaint } from '../../store/complaints';
import { StepMoved, type StepTimer } from '../../domain/workflow-contract';
import { baseAssigneeOf, type CaseContext } from './case';
import { complainantNotice } from './complainant-recipient';
import { deliver, outgoingNotice } from './notifier';
import { putEvent } from '../../store/events';
import { sweepDueFields } from '../../store/sweep-due';
import { USE_CASE_TEXTS } from '../../pages/use-case-texts';

export interface EscalateStepInput {
  complaintId: string;
  step: HumanStep;
  level: number;
}

/**
 * A staff step's deadline (or an escalated holder's grace) passed. Records which deadline was
 * missed, by whom and how late (in the desk's service-level time), then moves the task one person
 * above whoever holds it, with a grace period (the next OpenTask retires the old link, saying to
 * whom it moved). Past the manager the task is breached: it goes to the desk's last resort, and
 * the complainant is told once that the case is late and by when to expect it; after that the
 * holder is reminded every day until someone acts. The step's deadline never moves: the task
 * stays late since then and keeps its place in the queues; the workflow's timer runs to
 * `timerAt` instead, and whoever held the task first keeps it in sight (`escalatedFrom`).
 */
export async function escalateStep(input: EscalateStepInput, context: CaseContext): Promise<StepTimer> {
  const { complaint, desk, team, levels, clockScale } = context;
  const now = currentTime();
  const base = await baseAssigneeOf(context, input.step);
  const chain = escalationChain(base, team);
  const next = nextEscalation(input.level, chain, complaint.assignee, levels, desk.escalationOwner ?? team.manager);
  const missedDeadline = complaint.timerAt ?? complaint.deadlineAt ?? now.toISOString();
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
  const timerAt = deadlineAfter(now, next.waitSeconds, clockScale, levels.calendar).toISOString();
  const at = now.toISOString();
  // Told once: the delay notice goes with the escalation that first breaches the case.
  const expectedBy = deadlineAfter(now, levels.breachedWaitSeconds, clockScale, levels.calendar).toISOString();
  const delayNotice =
    firstBreach && !complaint.delayNoticeSentAt
      ? outgoingNotice(
          complaint.id,
          'delay.notice',
          await complainantNotice(complaint, 'delay.notice', { step: input.step, expectedBy }),
          at,
        )
      : undefined;
  await updateComplaint(
    complaint.id,
    {
      // The step stays (the write holds only while the case is on it), with its deadline; its
      // level moves the case's place in the work queues.
      currentStep: input.step,
      level: next.level,
      deadlineAt: complaint.deadlineAt ?? at,
      timerAt,
      escalatedFrom: complaint.escalatedFrom ?? (input.level === 0 ? complaint.assignee : undefined),
      ...(next.breached ? { breached: true } : {}),
      ...(delayNotice ? { delayNoticeSentAt: at } : {}),
      // The task one person up opens next, within minutes.
      ...sweepDueFields(complaint.id, movesBy(now)),
    },
    {
      at,
      actor: 'system',
      action: 'task.escalated',
      details: { ...details, ...(next.breached ? { remindAt: timerAt } : { graceUntil: timerAt }) },
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
                expectedBy,
                complainantNote: USE_CASE_TEXTS.runningLateNote,
              },
            },
            1,
          ),
          ...delayNotice.writes,
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
  return { step: input.step, level: next.level, timeoutSeconds: secondsUntil(new Date(timerAt), now) };
}
