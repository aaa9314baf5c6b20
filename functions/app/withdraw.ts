import { publishCaseEvents } from './shared/event-outbox';
import type { ComplaintEvent } from '../domain/history';
import { isOpen, STEP_ROLE } from '../domain/lifecycle';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { ConflictError } from '../lib/problems';
import { settings } from '../lib/settings';
import { stopComplaintWorkflow } from './shared/workflow';
import { closeComplaint, getComplaint, type ComplaintRecord } from '../store/complaints';
import { failedConditionsOf } from '../store/table';
import { retireTaskLink, type TaskLinkRecord } from '../store/task-links';
import { currentLinkOf } from './shared/case';
import { complainantNotice } from './shared/complainant-recipient';
import { deliver, outgoingNotice, type OutgoingNotice } from './shared/notifier';
import { notice } from '../pages/notices';
import { done, refused, textField, type SelfServiceInput, type SelfServiceResult } from './shared/self-service';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

const CLOSED = USE_CASE_TEXTS.withdrawClosed;
const BUSY = USE_CASE_TEXTS.withdrawBusy;

/** How many times a withdrawal looks again at a case that changed under it before it asks the complainant to try again. */
const TRIES = 8;

/**
 * Closes the case as withdrawn and retires its current link while open, in one transaction,
 * which holds only while the case is open, still waits on that link, and the link is as read: a
 * decision recorded since (its claim and record are one write) cancels it, and the withdrawal
 * comes after that decision. Answers when it closed, or undefined when one of those changed.
 */
async function closeAsWithdrawn(
  complaint: ComplaintRecord,
  link: TaskLinkRecord | undefined,
  reason: string | undefined,
): Promise<{ at: string; mail: OutgoingNotice[] } | undefined> {
  const at = currentTime().toISOString();
  const event: ComplaintEvent = {
    at,
    actor: 'complainant',
    action: 'complaint.withdrawn',
    details: { step: complaint.currentStep, ...(reason ? { reason } : {}) },
  };
  // The complainant is told, and whoever held an open task (staff or a respondent), so nobody works on a closed case: both emails go with the close (the outbox).
  const mail = [
    outgoingNotice(
      complaint.id,
      'closed.withdrawn',
      await complainantNotice(complaint, 'closed', { outcome: 'withdrawn' }),
      at,
    ),
  ];
  const step = complaint.currentStep;
  if (complaint.assignee && step && STEP_ROLE[step] !== 'complainant')
    mail.push(
      outgoingNotice(
        complaint.id,
        'withdrawn.notice',
        notice('withdrawn.notice', { email: complaint.assignee }, { number: complaint.number, step }),
        at,
        1,
      ),
    );
  return closeComplaint(
    complaint.id,
    'withdrawn',
    at,
    settings().desk.retentionDays,
    [event],
    {},
    [...(link ? [retireTaskLink(link, at, 'withdrawn')] : []), ...mail.flatMap((m) => m.writes)],
    { waitingOn: complaint.currentTaskLinkHash ?? null },
  ).then(
    (closed) => (closed ? { at, mail } : undefined),
    (error) => {
      // Cancelled as a conflict with a write on the case or its link at the same moment: look again.
      if (failedConditionsOf(error)?.length === 0) return undefined;
      throw error;
    },
  );
}

/**
 * The complainant withdraws, at any stage: the complaint closes as withdrawn with its event and
 * its open task link retired, the execution is stopped, and the complainant is told. A decision
 * recorded first stays recorded (its mail before the withdrawal's).
 */
export async function withdraw({ complaint: asRead, fields }: SelfServiceInput): Promise<SelfServiceResult> {
  const closedProblem = () =>
    refused('withdraw-closed', new ConflictError('urn:redress:problem:complaint-closed', CLOSED));
  const reason = textField(fields, 'reason').slice(0, 2000) || undefined;
  let current: ComplaintRecord | undefined = asRead;
  let closed: { at: string; mail: OutgoingNotice[] } | undefined;
  for (let attempt = 1; !closed; attempt++) {
    if (!current || !isOpen(current.status)) return closedProblem();
    if (attempt > TRIES)
      return refused('withdraw-busy', new ConflictError('urn:redress:problem:decision-in-flight', BUSY));
    const link = await currentLinkOf(current);
    closed = await closeAsWithdrawn(current, link?.state === 'open' ? link : undefined, reason);
    if (!closed) current = await getComplaint(current.id);
  }
  const complaint = current!;
  // Closed with its link retired, then stopped: a decision posted from now on finds the link
  // withdrawn, and a step that runs in between finds the case closed and does nothing.
  await stopComplaintWorkflow(complaint, 'Withdrawn by the complainant');
  await deliver(...closed.mail);
  await publishCaseEvents(complaint.id);
  log.info('complaint withdrawn', { complaintId: complaint.id, step: complaint.currentStep });
  return done('withdrawn', 200, { id: complaint.id, status: 'closed', outcome: 'withdrawn', closedAt: closed.at });
}
