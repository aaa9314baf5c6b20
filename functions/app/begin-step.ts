import { isOpen, STEP_STATUS, type HumanStep } from '../domain/lifecycle';
import { opened, stepOpening } from './shared/step-opening';
import { secondsUntil } from '../domain/deadlines';
import { applyDecision } from '../domain/decisions';
import { evidenceStillNeeded } from '../domain/evidence-policy';
import { loadCase, type CaseContext } from './shared/case';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { METRICS, recordMetric } from '../lib/metrics';
import { ComplaintClosedError, updateComplaint } from '../store/complaints';
import { failedConditionsOf } from '../store/table';
import { claimWrite, getTaskLink } from '../store/task-links';
import { CaseClosed, type StepTimer } from '../domain/workflow-contract';

export interface BeginStepInput {
  complaintId: string;
  step: HumanStep;
}

/**
 * Opens a step: its deadline becomes an absolute instant on the record, and the workflow gets the
 * seconds left for the task's TimeoutSecondsPath. Called by the case's opening and by the
 * workflow when it reopens a task. A re-driven execution finds the step already open and keeps
 * its deadline and escalation level, so a restart does not reset the clock.
 */
export async function beginStep(input: BeginStepInput): Promise<StepTimer> {
  return beginStepOf(await loadCase(input.complaintId), input.step);
}

/**
 * beginStep on a case already read. The evidence step never opens once evidence is recorded,
 * whichever comes first: its opening is written only while none is (else it reads the case again),
 * a case not on it yet goes to the acceptance review, and one already on it has the step decided
 * by that evidence (evidenceCameFirst).
 */
async function beginStepOf(context: CaseContext, step: HumanStep, readAgain = true): Promise<StepTimer> {
  const { complaint, desk } = context;
  if (!isOpen(complaint.status)) throw new CaseClosed(complaint.id);
  if (step === 'evidence' && !evidenceStillNeeded(complaint, desk))
    return complaint.currentStep === 'evidence' ? evidenceCameFirst(context) : beginStepOf(context, 'acceptance');
  const now = currentTime();
  const resuming = complaint.currentStep === step && complaint.deadlineAt && complaint.status === STEP_STATUS[step];
  if (resuming)
    return { step, level: complaint.level ?? 0, timeoutSeconds: secondsUntil(new Date(complaint.deadlineAt!), now) };
  const opening = stepOpening(context, step, now);
  try {
    await updateComplaint(complaint.id, opening.changes, undefined, [], {
      whileOpen: true,
      withoutEvidence: step === 'evidence',
    });
  } catch (error) {
    if (!(error instanceof ComplaintClosedError)) throw error;
    // Closed meanwhile; or, opening the evidence step, its evidence was recorded meanwhile.
    if (step !== 'evidence' || !readAgain) throw new CaseClosed(complaint.id);
    return beginStepOf(await loadCase(complaint.id), step, false);
  }
  return opened(opening);
}

/**
 * The case is on its evidence step and evidence is recorded, yet the workflow (re)opens the step:
 * the evidence landed after the step opened but before its task asked for it, or while the task
 * was being reopened. The step ends as the upload would have ended it (its decision recorded,
 * claiming the step's link if one is open) and the acceptance review opens in the same write;
 * nobody is asked for evidence. If a decision or a closing got there first, the case goes on from
 * where that left it.
 */
async function evidenceCameFirst(context: CaseContext): Promise<StepTimer> {
  const { complaint, team, levels, clockScale } = context;
  const now = currentTime();
  const at = now.toISOString();
  const decision = { step: 'evidence', decision: 'evidence-received' } as const;
  const effect = applyDecision(
    complaint,
    { ...decision, decidedBy: 'complainant', decidedAt: at },
    { team, levels, clockScale, at },
  );
  const opening = stepOpening(
    { complaint: { ...complaint, ...effect.changes }, levels, clockScale },
    'acceptance',
    now,
  );
  const link = complaint.currentTaskLinkHash ? await getTaskLink(complaint.currentTaskLinkHash) : undefined;
  try {
    await updateComplaint(
      complaint.id,
      { ...effect.changes, ...opening.changes },
      effect.event,
      link?.state === 'open' ? [claimWrite(link, undefined, decision, 'complainant', at)] : [],
      {
        waitingOn: complaint.currentTaskLinkHash ?? null,
        onStep: { step: 'evidence', level: complaint.level ?? 0, lastDecisionAt: complaint.lastDecisionAt },
      },
    );
  } catch (error) {
    if (!(error instanceof ComplaintClosedError) && !failedConditionsOf(error)?.length) throw error;
    const current = await loadCase(complaint.id);
    if (!isOpen(current.complaint.status) || !current.complaint.currentStep) throw new CaseClosed(complaint.id);
    if (current.complaint.currentStep === 'evidence') throw error;
    return beginStepOf(current, current.complaint.currentStep);
  }
  recordMetric(METRICS.decisions, 1, { step: 'evidence' });
  log.info('evidence step decided by evidence recorded before its task', { complaintId: complaint.id });
  return opened(opening);
}

/**
 * The workflow reopens the task of the step the case records (after opening it failed, or when
 * the case moved on without the workflow hearing): the step's recorded deadline and level stand.
 */
export async function reopenCurrentStep(input: { complaintId: string }): Promise<StepTimer> {
  const context = await loadCase(input.complaintId);
  if (!isOpen(context.complaint.status) || !context.complaint.currentStep) throw new CaseClosed(context.complaint.id);
  return beginStepOf(context, context.complaint.currentStep);
}
