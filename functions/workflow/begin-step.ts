import middy from '@middy/core';
import { stepServiceSeconds } from '../domain/escalation';
import { STEP_STATUS, type HumanStep } from '../domain/lifecycle';
import { deadlineAfter, secondsUntil } from '../domain/service-levels';
import { updateComplaint } from '../lib/complaint-store';
import { loadCase } from '../lib/workflow';
import { logContext } from '../lib/log';
import { currentTime } from '../lib/clock';

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
async function beginStep(input: BeginStepInput): Promise<StepTimer> {
  const { complaint, levels, clockScale } = await loadCase(input.complaintId);
  const now = currentTime();
  const resuming = complaint.currentStep === input.step && complaint.deadlineAt && complaint.status === STEP_STATUS[input.step];
  if (resuming) return { step: input.step, level: complaint.level ?? 0, timeoutSeconds: secondsUntil(new Date(complaint.deadlineAt!), now) };

  const fresh = () => deadlineAfter(now, stepServiceSeconds(input.step, levels), clockScale).toISOString();
  const changes: Record<string, unknown> = {};
  let deadlineAt: string;
  switch (input.step) {
    case 'acceptance':
      // Counted from receipt (seed 002: 24 h), or from the complainant's answer to a question.
      deadlineAt = complaint.acceptanceDeadlineAt;
      break;
    case 'investigation': {
      // Counted from acceptance; a respondent's statement does not reset it, but the handler
      // always gets at least a grace period to read the statement.
      const grace = deadlineAfter(now, levels.escalationGraceSeconds, clockScale).toISOString();
      deadlineAt = complaint.investigationDeadlineAt ? (complaint.investigationDeadlineAt > grace ? complaint.investigationDeadlineAt : grace) : fresh();
      changes.investigationDeadlineAt = complaint.investigationDeadlineAt ?? deadlineAt;
      break;
    }
    default:
      deadlineAt = fresh();
  }
  await updateComplaint(complaint.id, { ...changes, currentStep: input.step, level: 0, deadlineAt, status: STEP_STATUS[input.step], workflowResumeAt: resumeState(input.step) }, undefined, [], { whileOpen: true });
  return { step: input.step, level: 0, timeoutSeconds: secondsUntil(new Date(deadlineAt), now) };
}

export const handler = middy<BeginStepInput, StepTimer>().use(logContext()).handler(beginStep);
