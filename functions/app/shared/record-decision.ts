import type { ComplaintRecord } from '../../domain/complaint';
import { applyDecision, type DecisionNotice } from '../../domain/decisions';
import { isOpen } from '../../domain/lifecycle';
import { stageAfter, type StepDecision } from '../../domain/steps';
import { currentTime } from '../../lib/clock';
import { log } from '../../lib/log';
import { METRICS, recordMetric } from '../../lib/metrics';
import { acceptedEmail, rejectedEmail, rulingEmail } from '../../pages/emails';
import { closeComplaint, ComplaintClosedError, updateComplaint } from '../../store/complaints';
import { failedConditionsOf } from '../../store/table';
import { claimWrite, type TaskLinkRecord } from '../../store/task-links';
import { opened, stepOpening } from './step-opening';
import type { StepTimer } from '../../domain/workflow-contract';
import { loadCase } from './case';
import { complainantRecipient } from './complainant-recipient';
import { deliver, outgoingMail, type OutgoingMail } from './mail-outbox';

export interface RecordDecisionInput {
  /** The link the decision is made on, as read. */
  link: TaskLinkRecord;
  /** The page's nonce, when a person posted the link's form; undefined when the system decides. */
  nonce: string | undefined;
  decision: StepDecision;
  decidedBy: string;
  decidedAt: string;
}

/** What recording came to: the timer of the step the decision opened (none when it closed the case), or `recorded: false` when nothing was written. */
export type RecordedDecision = { recorded: true; timer?: StepTimer } | { recorded: false };

/** The email that tells the complainant of a decision, if it is one they are told of. */
async function noticeMail(
  complaint: ComplaintRecord,
  notice: DecisionNotice | undefined,
  at: string,
): Promise<OutgoingMail | undefined> {
  if (!notice) return undefined;
  const to = await complainantRecipient(complaint);
  const message =
    notice.kind === 'accepted'
      ? acceptedEmail(to)
      : notice.kind === 'rejected'
        ? rejectedEmail({ ...to, reason: notice.reason })
        : rulingEmail({
            ...to,
            upheld: notice.upheld,
            reason: notice.reason,
            reply: notice.reply,
            grounds: notice.grounds,
          });
  return outgoingMail(complaint.id, `decision.${notice.kind}`, message, at);
}

// Two writes on one case at once may cancel a transaction as a conflict: nothing was written, and
// the next try reads what the other wrote.
const CONFLICT_TRIES = 4;

/**
 * Records a decided task, all or nothing, in one transaction: the link claimed (first writer
 * wins), the change to the case with its event, the step it leads to opened (its deadline on
 * the record) or the case closed (`stageAfter` says which), and the email that tells the
 * complainant (the outbox). It holds only while the case is open and still waits on that link:
 * a decision that raced a withdrawal, an escalation or another decision is not written, and
 * nobody is told of it. The workflow is told afterwards (decide-task.ts).
 */
export async function recordDecision(input: RecordDecisionInput): Promise<RecordedDecision> {
  const { link, decision } = input;
  for (let attempt = 1; ; attempt++) {
    const { complaint, desk, team, levels, clockScale } = await loadCase(link.complaintId);
    if (!isOpen(complaint.status) || complaint.currentTaskLinkHash !== link.linkIdHash) return { recorded: false };
    const now = currentTime();
    const at = now.toISOString();
    const effect = applyDecision(
      complaint,
      { ...decision, decidedBy: input.decidedBy, decidedAt: input.decidedAt },
      { team, levels, clockScale, at },
    );
    const stage = stageAfter(decision);
    const mail = await noticeMail(complaint, effect.notice, at);
    const claimAndMail = [
      claimWrite(link, input.nonce, decision, input.decidedBy, input.decidedAt),
      ...(mail ? [mail.write] : []),
    ];
    let timer: StepTimer | undefined;
    try {
      if (stage.next === 'closed') {
        if (
          !(await closeComplaint(
            complaint.id,
            stage.outcome,
            at,
            desk.retentionDays,
            [effect.event],
            effect.changes,
            claimAndMail,
            { waitingOn: link.linkIdHash },
          ))
        )
          return { recorded: false };
      } else {
        const opening = stepOpening(
          { complaint: { ...complaint, ...effect.changes }, levels, clockScale },
          stage.next,
          now,
        );
        await updateComplaint(complaint.id, { ...effect.changes, ...opening.changes }, effect.event, claimAndMail, {
          waitingOn: link.linkIdHash,
        });
        timer = opened(opening);
      }
    } catch (error) {
      const failed = failedConditionsOf(error);
      if (error instanceof ComplaintClosedError || (failed && failed.length > 0)) return { recorded: false };
      if (failed && attempt < CONFLICT_TRIES) {
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
        continue;
      }
      throw error;
    }
    recordMetric(METRICS.decisions, 1, { step: decision.step });
    await deliver(mail);
    log.info('decision recorded', {
      complaintId: complaint.id,
      step: decision.step,
      decision: decision.decision,
      next: stage.next,
    });
    return { recorded: true, ...(timer ? { timer } : {}) };
  }
}
