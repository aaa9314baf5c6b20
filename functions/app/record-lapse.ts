import type { HumanStep } from '../domain/lifecycle';
import { stageAfterLapse, type NextStage } from '../domain/steps';
import { log } from '../lib/log';
import { sendEmail } from '../lib/mailer';
import { loadCase } from './case';
import { complainantRecipient } from './complainant-recipient';
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
 * no answer to a question closes the case as abandoned, and the complainant is told.
 */
export async function recordLapse(input: RecordLapseInput): Promise<{ next: NextStage['next'] }> {
  const { complaint, desk } = await loadCase(input.complaintId);
  const stage = stageAfterLapse(input.step);
  if (complaint.status === 'closed' || complaint.currentStep !== input.step) return { next: stage.next };
  const at = currentTime().toISOString();
  const details = { step: input.step, deadlineAt: complaint.deadlineAt, assignee: complaint.assignee };
  if (stage.next !== 'closed') {
    await updateComplaint(complaint.id, { pendingQuestion: undefined }, { at, actor: 'system', action: 'statement.missing', details });
  } else if (stage.outcome === 'resolved') {
    await closeComplaint(complaint.id, 'resolved', at, desk.retentionDays, [{ at, actor: 'system', action: 'survey.expired', details }]);
  } else {
    const closed = await closeComplaint(complaint.id, 'abandoned', at, desk.retentionDays, [{ at, actor: 'system', action: 'deadline.missed', details }]);
    if (closed) {
      await sendEmail(closedEmail({ ...(await complainantRecipient(complaint)), outcome: 'abandoned' }));
    }
  }
  log.info('step lapsed', { complaintId: complaint.id, step: input.step, next: stage.next });
  return { next: stage.next };
}

