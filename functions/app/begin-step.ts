import { HUMAN_STEPS, STEP_STATUS, type HumanStep } from '../domain/lifecycle';
import type { NextStage } from '../domain/steps';
import { openingDeadline, secondsUntil } from '../domain/deadlines';
import { loadCase } from './case';
import { currentTime } from '../lib/clock';
import { recordProvisionalDeadline } from '../lib/metrics';
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

/**
 * Where the workflow goes once a state has opened a step or closed the case: `next` is the step
 * now open (its task is next) or `closed`. When closed, `step` is the step the case closed from
 * and the timer is unused.
 */
export type NextTimer = { next: NextStage['next'] } & StepTimer;

/** The resume point a step records (`workflowResumeAt`), which an execution's `resumeAt` names. */
export const resumePointOf = (step: HumanStep) => `Begin${step[0]!.toUpperCase()}${step.slice(1)}`;

/** The step a resume point names, or undefined for anything else. */
export const stepAtResumePoint = (resumeAt: unknown): HumanStep | undefined => HUMAN_STEPS.find((step) => resumePointOf(step) === resumeAt);

/** The workflow's answer when a step led to the case closing. */
export const closedFrom = (step: HumanStep): NextTimer => ({ next: 'closed', step, level: 0, timeoutSeconds: 0 });

/**
 * Opens a step: its deadline becomes an absolute instant on the record, and the workflow gets the
 * seconds left for the task's TimeoutSecondsPath. Called by whatever leads into the step (the
 * case's opening, a recorded decision or lapse) and by the workflow when it reopens a task whose
 * opening failed. A re-driven execution finds the step already
 * open and keeps its deadline and escalation level, so a restart does not reset the clock.
 */
export async function beginStep(input: BeginStepInput): Promise<NextTimer> {
  const { complaint, levels, clockScale } = await loadCase(input.complaintId);
  const now = currentTime();
  const resuming = complaint.currentStep === input.step && complaint.deadlineAt && complaint.status === STEP_STATUS[input.step];
  if (resuming) return { next: input.step, step: input.step, level: complaint.level ?? 0, timeoutSeconds: secondsUntil(new Date(complaint.deadlineAt!), now) };

  const { deadlineAt, investigationDeadlineAt, deadlineProvisional } = openingDeadline(input.step, complaint, levels, clockScale, now);
  const changes = investigationDeadlineAt ? { investigationDeadlineAt } : {};
  if (deadlineProvisional.length) recordProvisionalDeadline(input.step, deadlineProvisional);
  await updateComplaint(complaint.id, { ...changes, currentStep: input.step, level: 0, deadlineAt, deadlineProvisional: deadlineProvisional.length ? deadlineProvisional : undefined, status: STEP_STATUS[input.step], workflowResumeAt: resumePointOf(input.step) }, undefined, [], { whileOpen: true });
  return { next: input.step, step: input.step, level: 0, timeoutSeconds: secondsUntil(new Date(deadlineAt), now) };
}

