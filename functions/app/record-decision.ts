import type { ComplaintRecord } from '../domain/complaint';
import { applyDecision, type DecisionNotice, type TaskOutcome } from '../domain/decisions';
import type { HumanStep } from '../domain/lifecycle';
import { stageAfter } from '../domain/steps';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { sendEmail } from '../lib/mailer';
import { METRICS, recordMetric } from '../lib/metrics';
import { acceptedEmail, rejectedEmail, rulingEmail } from '../pages/emails';
import { closeComplaint, ComplaintClosedError, updateComplaint } from '../store/complaints';
import { beginStep, closedFrom, type NextTimer } from './begin-step';
import { loadCase } from './case';
import { complainantRecipient } from './complainant-recipient';

export interface RecordDecisionInput {
  complaintId: string;
  step: HumanStep;
  decision: TaskOutcome;
}

async function tell(complaint: ComplaintRecord, notice: DecisionNotice): Promise<void> {
  const to = await complainantRecipient(complaint);
  switch (notice.kind) {
    case 'accepted':
      return void (await sendEmail(acceptedEmail(to)));
    case 'rejected':
      return void (await sendEmail(rejectedEmail({ ...to, reason: notice.reason })));
    case 'ruling':
      return void (await sendEmail(rulingEmail({ ...to, upheld: notice.upheld, reason: notice.reason, reply: notice.reply, grounds: notice.grounds })));
  }
}

/**
 * Applies a decided step to the complaint: the change and its event in one transaction (the case
 * closes when `stageAfter` says so), the people concerned told, and the next step opened (its
 * deadline on the record) with its timer returned to the workflow. Runs inside the workflow, so a
 * decision is recorded only once Step Functions accepted it.
 */
export async function recordDecision(input: RecordDecisionInput): Promise<NextTimer> {
  const { complaint, desk, team, levels, clockScale } = await loadCase(input.complaintId);
  const decision = input.decision;
  const stage = stageAfter(decision);
  const opened = (): Promise<NextTimer> => (stage.next === 'closed' ? Promise.resolve(closedFrom(input.step)) : beginStep({ complaintId: complaint.id, step: stage.next }));
  // A retried step finds its own decision already applied: it opens the next step (keeping a
  // deadline already set) and answers where to go.
  if (complaint.lastDecisionAt === decision.decidedAt) return opened();
  recordMetric(METRICS.decisions, 1, { step: input.step });

  const at = currentTime().toISOString();
  const effect = applyDecision(complaint, decision, { team, levels, clockScale, at });
  // A decision is recorded only while the case is open: one that raced a withdrawal is dropped,
  // and nobody is told of it.
  const written =
    stage.next === 'closed'
      ? await closeComplaint(complaint.id, stage.outcome, at, desk.retentionDays, [effect.event], effect.changes)
      : await updateComplaint(complaint.id, effect.changes, effect.event, [], { whileOpen: true }).then(
          () => true,
          (error) => {
            if (error instanceof ComplaintClosedError) return false;
            throw error;
          },
        );
  if (!written) {
    log.info('decision not recorded: the case closed first', { complaintId: complaint.id, step: input.step });
    return closedFrom(input.step);
  }
  if (effect.notice) await tell(complaint, effect.notice);
  log.info('decision recorded', { complaintId: complaint.id, step: input.step, decision: decision.decision, next: stage.next });
  return opened();
}
