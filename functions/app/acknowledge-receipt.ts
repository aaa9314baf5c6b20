import { log } from '../lib/log';
import { sendEmail } from '../lib/mailer';
import { evidenceStillNeeded } from '../domain/evidence-policy';
import { loadCase } from './case';
import { complainantRecipient } from './complainant-recipient';
import { acknowledgementEmail } from '../pages/emails';
import { currentTime } from '../lib/clock';
import { markWorkflowStarted, updateComplaint } from '../store/complaints';
import { beginStep, stepAtResumePoint, type NextTimer } from './begin-step';

export interface AcknowledgeReceiptInput {
  complaintId: string;
  /** A resume point (`Begin<Step>`): begin that step instead of acknowledging. */
  resumeAt?: string;
}

/**
 * The workflow's first step: the acknowledgement email (the number and a confirmation), sent
 * from the workflow so that a stored complaint is acknowledged exactly when its handling runs;
 * then the case's first step begins: the evidence its category requires and has not received,
 * or the acceptance review. An execution that resumes a case (a re-drive, a review asked for
 * after it closed) begins the step it names instead; an unknown resume point starts from the
 * acknowledgement.
 */
export async function acknowledgeReceipt(input: AcknowledgeReceiptInput): Promise<NextTimer> {
  const resumeStep = stepAtResumePoint(input.resumeAt);
  if (resumeStep) return beginStep({ complaintId: input.complaintId, step: resumeStep });
  const { complaint, desk } = await loadCase(input.complaintId);
  // The workflow runs: its start is confirmed here (intake did not wait for it), so the reconciler leaves it alone.
  if (complaint.workflowPending) await markWorkflowStarted(complaint.id, currentTime().toISOString());
  // A retried or re-driven step must not mail twice: acknowledgedAt records that it was sent.
  if (!complaint.acknowledgedAt) {
    const messageId = await sendEmail(
      acknowledgementEmail({
        ...(await complainantRecipient(complaint)),
        categoryId: complaint.category,
        acceptanceDeadlineAt: complaint.acceptanceDeadlineAt,
        config: desk,
      }),
    );
    const at = currentTime().toISOString();
    await updateComplaint(complaint.id, { acknowledgedAt: at }, { at, actor: 'system', action: 'acknowledgement.sent', details: { messageId } });
    log.info('acknowledgement sent', { complaintId: complaint.id });
  }
  return beginStep({ complaintId: complaint.id, step: evidenceStillNeeded(complaint, desk) ? 'evidence' : 'acceptance' });
}

