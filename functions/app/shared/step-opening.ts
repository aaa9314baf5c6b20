import type { ComplaintRecord } from '../../domain/complaint';
import { openingDeadline, secondsUntil } from '../../domain/deadlines';
import { STEP_STATUS, type HumanStep } from '../../domain/lifecycle';
import { movesBy } from '../../domain/stalled';
import { resumePointOf, type StepTimer } from '../../domain/workflow-contract';
import { recordProvisionalDeadline } from '../../lib/metrics';
import { sweepDueFields } from '../../store/sweep-due';
import type { CaseContext } from './case';

/**
 * What opening a step writes on the case (its deadline as an absolute instant, status, level 0,
 * resume point, and that its task is due to open within minutes) and the timer the workflow waits
 * with. Written on its own by beginStep, or in the same write as the decision or lapse that leads
 * to it; once written, `opened` counts a provisional deadline.
 */
export function stepOpening(
  { complaint, levels, clockScale }: Pick<CaseContext, 'levels' | 'clockScale'> & { complaint: ComplaintRecord },
  step: HumanStep,
  now: Date,
): { changes: Partial<ComplaintRecord>; timer: StepTimer } {
  const { deadlineAt, investigationDeadlineAt, deadlineProvisional } = openingDeadline(
    step,
    complaint,
    levels,
    clockScale,
    now,
  );
  return {
    changes: {
      ...(investigationDeadlineAt ? { investigationDeadlineAt } : {}),
      currentStep: step,
      level: 0,
      deadlineAt,
      deadlineProvisional: deadlineProvisional.length ? deadlineProvisional : undefined,
      status: STEP_STATUS[step],
      workflowResumeAt: resumePointOf(step),
      ...sweepDueFields(complaint.id, movesBy(now)),
    },
    timer: { step, level: 0, timeoutSeconds: secondsUntil(new Date(deadlineAt), now) },
  };
}

/** A step's opening is written: a deadline reaching into a year without calendar data is counted (the ProvisionalDeadlines metric). */
export function opened(opening: { changes: Partial<ComplaintRecord>; timer: StepTimer }): StepTimer {
  if (opening.changes.deadlineProvisional?.length)
    recordProvisionalDeadline(opening.timer.step, opening.changes.deadlineProvisional);
  return opening.timer;
}
