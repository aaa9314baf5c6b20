import middy from '@middy/core';
import { secondsUntil } from '../domain/service-levels';
import { getComplaint, updateComplaint } from '../lib/complaint-store';
import { trackingUrl } from '../lib/links';
import { log } from '../lib/log';
import { sendEmail } from '../lib/mailer';
import { settings } from '../lib/settings';
import { acknowledgementEmail } from '../pages/emails';

export interface AcknowledgeReceiptInput {
  complaintId: string;
}

/**
 * The workflow's first step: the acknowledgement email (seed 002: number and confirmation), sent
 * from the workflow so that a stored complaint is always acknowledged exactly when it runs.
 * Returns the seconds left until the acceptance deadline, for the review's TimeoutSecondsPath.
 */
async function acknowledgeReceipt(input: AcknowledgeReceiptInput): Promise<{ acceptanceTimeoutSeconds: number }> {
  const complaint = await getComplaint(input.complaintId);
  if (!complaint) throw new Error(`Complaint ${input.complaintId} not found`);
  // A retried step must not mail twice: the event is the record that it was sent.
  if (!complaint.acknowledgedAt) {
    const messageId = await sendEmail(
      acknowledgementEmail({
        to: complaint.complainant.email,
        name: complaint.complainant.name,
        number: complaint.number,
        trackingUrl: await trackingUrl(complaint.id, complaint.trackingSalt),
        categoryId: complaint.category,
        acceptanceDeadlineAt: complaint.acceptanceDeadlineAt,
        language: complaint.language,
        config: settings().desk,
      }),
    );
    const at = new Date().toISOString();
    await updateComplaint(complaint.id, { acknowledgedAt: at }, { at, actor: 'system', action: 'acknowledgement.sent', details: { messageId } });
    log.info('acknowledgement sent', { complaintId: complaint.id });
  }
  return { acceptanceTimeoutSeconds: secondsUntil(new Date(complaint.acceptanceDeadlineAt)) };
}

export const handler = middy<AcknowledgeReceiptInput, { acceptanceTimeoutSeconds: number }>().handler(acknowledgeReceipt);
