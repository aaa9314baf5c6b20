import { escalates } from '../domain/escalation';
import { isOpen, type HumanStep } from '../domain/lifecycle';
import { CaseClosed, StepMoved, type StepTimer } from '../domain/workflow-contract';
import { loadCase } from './shared/case';
import { escalateStep } from './shared/escalate-step';
import { recordLapse } from './shared/record-lapse';

export interface DeadlinePassedInput {
  complaintId: string;
  step: HumanStep;
  level: number;
}

/**
 * The workflow's human task ran out of time. A staff step escalates (escalate-step.ts); a
 * complainant's or respondent's lapses (record-lapse.ts). A case that closed meanwhile ends the
 * workflow (CaseClosed); one that a decision moved on meanwhile has its current step's task
 * reopened instead (StepMoved).
 */
export async function deadlinePassed(input: DeadlinePassedInput): Promise<StepTimer> {
  const context = await loadCase(input.complaintId);
  const { complaint } = context;
  if (!isOpen(complaint.status)) throw new CaseClosed(complaint.id);
  if (complaint.currentStep !== input.step || (complaint.level ?? 0) !== input.level)
    throw new StepMoved(complaint.id, input.step);
  return escalates(input.step) ? escalateStep(input, context) : recordLapse(input, context);
}
