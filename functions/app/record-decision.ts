import type { ComplaintRecord } from '../domain/complaint';
import { applyDecision, type DecisionNotice, type TaskOutcome } from '../domain/decisions';
import type { HumanStep } from '../domain/lifecycle';
import { stageAfter } from '../domain/steps';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { METRICS, recordMetric } from '../lib/metrics';
import { acceptedEmail, rejectedEmail, rulingEmail } from '../pages/emails';
import { closeComplaint, ComplaintClosedError, updateComplaint } from '../store/complaints';
import { beginStep, closedFrom, type NextTimer } from './begin-step';
import { loadCase } from './case';
import { complainantRecipient } from './complainant-recipient';
import { deliver, outgoingMail, type OutgoingMail } from './mail-outbox';

export interface RecordDecisionInput {
  complaintId: string;
  step: HumanStep;
  decision: TaskOutcome;
}

/** The email that tells the complainant of a decision, if it is one they are told of. */
async function noticeMail(complaint: ComplaintRecord, notice: DecisionNotice | undefined, at: string): Promise<OutgoingMail | undefined> {
  if (!notice) return undefined;
  const to = await complainantRecipient(complaint);
  const message =
    notice.kind === 'accepted'
      ? acceptedEmail(to)
      : notice.kind === 'rejected'
        ? rejectedEmail({ ...to, reason: notice.reason })
        : rulingEmail({ ...to, upheld: notice.upheld, reason: notice.reason, reply: notice.reply, grounds: notice.grounds });
  return outgoingMail(complaint.id, `decision.${notice.kind}`, message, at);
}

/**
 * Applies a decided step to the complaint: the change, its event and the email that tells the
 * complainant (the outbox) in one transaction (the case closes when `stageAfter` says so), then
 * the next step opened (its deadline on the record) with its timer returned to the workflow. Runs inside the workflow, so a
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
  const mail = await noticeMail(complaint, effect.notice, at);
  const mailWrites = mail ? [mail.write] : [];
  // A decision is recorded only while the case is open: one that raced a withdrawal is dropped,
  // and nobody is told of it.
  const written =
    stage.next === 'closed'
      ? await closeComplaint(complaint.id, stage.outcome, at, desk.retentionDays, [effect.event], effect.changes, mailWrites)
      : await updateComplaint(complaint.id, effect.changes, effect.event, mailWrites, { whileOpen: true }).then(
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
  await deliver(mail);
  log.info('decision recorded', { complaintId: complaint.id, step: input.step, decision: decision.decision, next: stage.next });
  return opened();
}
