import type { HumanStep } from '../domain/lifecycle';
import { stageAfterLapse } from '../domain/steps';
import { log } from '../lib/log';
import { beginStep, closedFrom, type NextTimer } from './begin-step';
import { loadCase } from './case';
import { complainantRecipient } from './complainant-recipient';
import { deliver, outgoingMail } from './mail-outbox';
import { closedEmail } from '../pages/emails';
import { currentTime } from '../lib/clock';
import { closeComplaint, updateComplaint } from '../store/complaints';

export interface RecordLapseInput {
  complaintId: string;
  step: HumanStep;
}

/**
 * A complainant or respondent did not answer in time. A missing statement is recorded and the
 * investigation goes on without it; an unanswered survey closes the case unrated; no evidence or
 * no answer to a question closes the case as abandoned, and the complainant is told. The step it
 * leads to is opened (its deadline on the record) and its timer returned to the workflow.
 */
export async function recordLapse(input: RecordLapseInput): Promise<NextTimer> {
  const { complaint, desk } = await loadCase(input.complaintId);
  const stage = stageAfterLapse(input.step);
  const opened = (): Promise<NextTimer> => (stage.next === 'closed' ? Promise.resolve(closedFrom(input.step)) : beginStep({ complaintId: complaint.id, step: stage.next }));
  // A retried lapse finds it recorded (the case closed, or the next step already open).
  if (complaint.status === 'closed') return closedFrom(input.step);
  if (complaint.currentStep !== input.step) return opened();
  const at = currentTime().toISOString();
  const details = { step: input.step, deadlineAt: complaint.deadlineAt, assignee: complaint.assignee };
  if (stage.next !== 'closed') {
    await updateComplaint(complaint.id, { pendingQuestion: undefined }, { at, actor: 'system', action: 'statement.missing', details });
  } else if (stage.outcome === 'resolved') {
    await closeComplaint(complaint.id, 'resolved', at, desk.retentionDays, [{ at, actor: 'system', action: 'survey.expired', details }]);
  } else {
    const mail = outgoingMail(complaint.id, 'closed.abandoned', closedEmail({ ...(await complainantRecipient(complaint)), outcome: 'abandoned' }), at);
    if (await closeComplaint(complaint.id, 'abandoned', at, desk.retentionDays, [{ at, actor: 'system', action: 'deadline.missed', details }], {}, [mail.write])) await deliver(mail);
  }
  log.info('step lapsed', { complaintId: complaint.id, step: input.step, next: stage.next });
  return opened();
}

