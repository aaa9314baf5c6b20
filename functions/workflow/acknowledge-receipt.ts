import middy from '@middy/core';
import { findCategory } from '../domain/config';
import { updateComplaint } from '../lib/complaint-store';
import { trackingUrl } from '../lib/links';
import { log, logContext } from '../lib/log';
import { sendEmail } from '../lib/mailer';
import { loadCase } from '../lib/workflow';
import { acknowledgementEmail } from '../pages/emails';
import { currentTime } from '../lib/clock';

export interface AcknowledgeReceiptInput {
  complaintId: string;
}

/**
 * The workflow's first step: the acknowledgement email (seed 002: number and confirmation), sent
 * from the workflow so that a stored complaint is acknowledged exactly when its handling runs.
 * Says whether the category requires evidence that has not arrived yet.
 */
async function acknowledgeReceipt(input: AcknowledgeReceiptInput): Promise<{ evidenceNeeded: boolean }> {
  const { complaint, desk } = await loadCase(input.complaintId);
  // A retried or re-driven step must not mail twice: acknowledgedAt records that it was sent.
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
        config: desk,
      }),
    );
    const at = currentTime().toISOString();
    await updateComplaint(complaint.id, { acknowledgedAt: at }, { at, actor: 'system', action: 'acknowledgement.sent', details: { messageId } });
    log.info('acknowledgement sent', { complaintId: complaint.id });
  }
  const evidenceRequired = findCategory(desk, complaint.category)?.evidenceRequired ?? false;
  return { evidenceNeeded: evidenceRequired && !(complaint.evidenceCount && complaint.evidenceCount > 0) };
}

export const handler = middy<AcknowledgeReceiptInput, { evidenceNeeded: boolean }>().use(logContext()).handler(acknowledgeReceipt);
