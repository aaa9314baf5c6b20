import middy from '@middy/core';
import { REJECTION_EXPLANATIONS, statusAfterDecision, type ComplaintStatus, type HumanStep, type RejectionReason, type StepDecision } from '../domain/lifecycle';
import type { TaskOutcome } from '../http/task-page';
import { getComplaint, updateComplaint } from '../lib/complaint-store';
import { trackingUrl } from '../lib/links';
import { log } from '../lib/log';
import { sendEmail } from '../lib/mailer';
import { acceptedEmail, rejectedEmail } from '../pages/emails';

export interface RecordDecisionInput {
  complaintId: string;
  step: HumanStep;
  outcome: TaskOutcome;
}

/**
 * Applies a decided task to the complaint: the new status and the event in one transaction, the
 * task leaves the assignee's queue, and the complainant is told. Runs inside the workflow, so a
 * decision is recorded only once Step Functions has accepted it.
 */
async function recordDecision(input: RecordDecisionInput): Promise<{ status: ComplaintStatus }> {
  const complaint = await getComplaint(input.complaintId);
  if (!complaint) throw new Error(`Complaint ${input.complaintId} not found`);
  const decision = input.outcome as unknown as StepDecision;
  const status = statusAfterDecision(decision);
  // A retry after the write must not record or mail twice.
  if (complaint.status === status && complaint.currentStep === undefined) return { status };

  const at = new Date().toISOString();
  const complainantNote = decision.decision === 'reject' ? REJECTION_EXPLANATIONS[decision.reason] : undefined;
  await updateComplaint(
    complaint.id,
    { status, currentStep: undefined, assignee: undefined, deadlineAt: undefined },
    {
      at,
      actor: 'handler',
      action: 'decision.recorded',
      details: {
        step: input.step,
        decision: decision.decision,
        ...(decision.decision === 'reject' ? { reason: decision.reason } : {}),
        ...(decision.note ? { note: decision.note } : {}),
        decidedBy: input.outcome.decidedBy,
        decidedAt: input.outcome.decidedAt,
        ...(complainantNote ? { complainantNote } : {}),
      },
    },
  );
  const url = await trackingUrl(complaint.id, complaint.trackingSalt);
  const recipient = { to: complaint.complainant.email, name: complaint.complainant.name, number: complaint.number, trackingUrl: url, language: complaint.language };
  await sendEmail(decision.decision === 'reject' ? rejectedEmail({ ...recipient, reason: decision.reason as RejectionReason }) : acceptedEmail(recipient));
  log.info('decision recorded', { complaintId: complaint.id, step: input.step, decision: decision.decision });
  return { status };
}

export const handler = middy<RecordDecisionInput, { status: ComplaintStatus }>().handler(recordDecision);
