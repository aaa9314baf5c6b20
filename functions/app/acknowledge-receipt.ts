import { log } from '../lib/log';
import { sendEmail } from '../lib/mailer';
import { evidenceStillNeeded } from '../domain/evidence-policy';
import { loadCase } from './case';
import { complainantRecipient } from './complainant-recipient';
import { acknowledgementEmail } from '../pages/emails';
import { currentTime } from '../lib/clock';
import { updateComplaint } from '../store/complaints';

export interface AcknowledgeReceiptInput {
  complaintId: string;
}

/**
 * The workflow's first step: the acknowledgement email (the number and a confirmation), sent
 * from the workflow so that a stored complaint is acknowledged exactly when its handling runs.
 * Says whether the category requires evidence that has not arrived yet.
 */
export async function acknowledgeReceipt(input: AcknowledgeReceiptInput): Promise<{ evidenceNeeded: boolean }> {
  const { complaint, desk } = await loadCase(input.complaintId);
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
  return { evidenceNeeded: evidenceStillNeeded(complaint, desk) };
}

