import type { HumanStep } from '../../domain/lifecycle';
import { stageAfterLapse } from '../../domain/steps';
import { log } from '../../lib/log';
import { opened, stepOpening } from './step-opening';
import { CaseClosed, StepMoved, type StepTimer } from '../../domain/workflow-contract';
import type { CaseContext } from './case';
import { complainantRecipient } from './complainant-recipient';
import { deliver, outgoingMail } from './mail-outbox';
import { closedEmail } from '../../pages/emails';
import { currentTime } from '../../lib/clock';
import { closeComplaint, ComplaintClosedError, updateComplaint } from '../../store/complaints';

export interface RecordLapseInput {
  complaintId: string;
  step: HumanStep;
  level: number;
}

/**
 * A complainant or respondent did not answer in time. A missing statement is recorded and the
 * investigation goes on without it (opened in the same write, its timer returned); an unanswered
 * survey closes the case unrated; no evidence or no answer to a question closes the case as
 * abandoned, and the complainant is told (CaseClosed to the workflow). Written only while the
 * case is still on the step as read (StepMoved otherwise: a decision got there first).
 */
export async function recordLapse(input: RecordLapseInput, context: CaseContext): Promise<StepTimer> {
  const { complaint, desk } = context;
  const stage = stageAfterLapse(input.step);
  const now = currentTime();
  const at = now.toISOString();
  const onStep = { step: input.step, level: input.level, lastDecisionAt: complaint.lastDecisionAt };
  const details = { step: input.step, deadlineAt: complaint.deadlineAt, assignee: complaint.assignee };
  const moved = (error: unknown) => {
    throw error instanceof ComplaintClosedError ? new StepMoved(complaint.id, input.step) : error;
  };
  if (stage.next !== 'closed') {
    const opening = stepOpening(context, stage.next, now);
    await updateComplaint(
      complaint.id,
      { ...opening.changes, pendingQuestion: undefined },
      { at, actor: 'system', action: 'statement.missing', details },
      [],
      { onStep },
    ).catch(moved);
    log.info('step lapsed', { complaintId: complaint.id, step: input.step, next: stage.next });
    return opened(opening);
  }
  if (stage.outcome === 'resolved') {
    if (
      !(await closeComplaint(
        complaint.id,
        'resolved',
        at,
        desk.retentionDays,
        [{ at, actor: 'system', action: 'survey.expired', details }],
        {},
        [],
        { onStep },
      ))
    )
      throw new StepMoved(complaint.id, input.step);
  } else {
    const mail = outgoingMail(
      complaint.id,
      'closed.abandoned',
      closedEmail({ ...(await complainantRecipient(complaint)), outcome: 'abandoned' }),
      at,
    );
    if (
      !(await closeComplaint(
        complaint.id,
        'abandoned',
        at,
        desk.retentionDays,
        [{ at, actor: 'system', action: 'deadline.missed', details }],
        {},
        [mail.write],
        // Evidence recorded just as its wait ran out still counts: the step is then reopened and decided by it.
        { onStep, withoutEvidence: input.step === 'evidence' },
      ))
    )
      throw new StepMoved(complaint.id, input.step);
    await deliver(mail);
  }
  log.info('step lapsed', { complaintId: complaint.id, step: input.step, next: 'closed' });
  throw new CaseClosed(complaint.id);
}
