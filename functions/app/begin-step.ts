import { STEP_STATUS, type HumanStep } from '../domain/lifecycle';
import { openingDeadline, secondsUntil } from '../domain/deadlines';
import { loadCase } from './case';
import { currentTime } from '../lib/clock';
import { updateComplaint } from '../store/complaints';

export interface BeginStepInput {
  complaintId: string;
  step: HumanStep;
}

export interface StepTimer {
  step: HumanStep;
  level: number;
  timeoutSeconds: number;
}

const resumeState = (step: HumanStep) => `Begin${step[0]!.toUpperCase()}${step.slice(1)}`;

/**
 * Opens a step: its deadline becomes an absolute instant on the record, and the workflow gets the
 * seconds left for the task's TimeoutSecondsPath. A re-driven execution finds the step already
 * open and keeps its deadline and escalation level, so a restart does not reset the clock.
 */
export async function beginStep(input: BeginStepInput): Promise<StepTimer> {
  const { complaint, levels, clockScale } = await loadCase(input.complaintId);
  const now = currentTime();
  const resuming = complaint.currentStep === input.step && complaint.deadlineAt && complaint.status === STEP_STATUS[input.step];
  if (resuming) return { step: input.step, level: complaint.level ?? 0, timeoutSeconds: secondsUntil(new Date(complaint.deadlineAt!), now) };

  const { deadlineAt, investigationDeadlineAt } = openingDeadline(input.step, complaint, levels, clockScale, now);
  const changes = investigationDeadlineAt ? { investigationDeadlineAt } : {};
  await updateComplaint(complaint.id, { ...changes, currentStep: input.step, level: 0, deadlineAt, status: STEP_STATUS[input.step], workflowResumeAt: resumeState(input.step) }, undefined, [], { whileOpen: true });
  return { step: input.step, level: 0, timeoutSeconds: secondsUntil(new Date(deadlineAt), now) };
}

