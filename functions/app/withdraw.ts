import { isOpen, STEP_ROLE } from '../domain/lifecycle';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { sendEmail } from '../lib/mailer';
import { ConflictError } from '../lib/problems';
import { settings } from '../lib/settings';
import { stopComplaintWorkflow } from '../lib/workflow';
import { closedEmail, withdrawnNoticeEmail } from '../pages/emails';
import { closeComplaint } from '../store/complaints';
import { markTaskLinkMoved } from '../store/task-links';
import { complainantRecipient } from './complainant-recipient';
import { done, refused, textField, type SelfServiceInput, type SelfServiceResult } from './self-service';

const CLOSED = { 'zh-CN': '该投诉已结束，无法撤回', en: 'This complaint has already ended; it cannot be withdrawn' };

/**
 * The complainant withdraws, at any stage: the complaint closes as withdrawn with its event, the
 * execution is stopped, the open task link says the case ended, and the complainant is told.
 */
export async function withdraw({ complaint, fields }: SelfServiceInput): Promise<SelfServiceResult> {
  const closedProblem = () => refused('withdraw-closed', new ConflictError('urn:redress:problem:complaint-closed', CLOSED));
  if (!isOpen(complaint.status)) return closedProblem();
  const reason = textField(fields, 'reason').slice(0, 2000) || undefined;
  const at = currentTime().toISOString();
  const closed = await closeComplaint(complaint.id, 'withdrawn', at, settings().desk.retentionDays, [
    { at, actor: 'complainant', action: 'complaint.withdrawn', details: { step: complaint.currentStep, ...(reason ? { reason } : {}) } },
  ]);
  if (!closed) return closedProblem();
  // Closed first, then the open link retired (a decision racing the withdrawal loses on the link),
  // then stopped: a step that runs in between finds the case closed and does nothing.
  if (complaint.currentTaskLinkHash) await markTaskLinkMoved(complaint.currentTaskLinkHash, at, 'closed');
  await stopComplaintWorkflow(complaint, 'Withdrawn by the complainant');
  await sendEmail(closedEmail({ ...(await complainantRecipient(complaint)), outcome: 'withdrawn' })).catch((error) => log.error('withdrawal recorded but not emailed', { complaintId: complaint.id, error }));
  // Whoever held an open task (staff or a respondent) is told it ended, so nobody works on a closed case.
  const step = complaint.currentStep;
  if (complaint.assignee && step && STEP_ROLE[step] !== 'complainant') {
    await sendEmail(withdrawnNoticeEmail({ to: complaint.assignee, number: complaint.number, step })).catch((error) => log.error('withdrawal not told to the task holder', { complaintId: complaint.id, error }));
  }
  log.info('complaint withdrawn', { complaintId: complaint.id, step: complaint.currentStep });
  return done('withdrawn', 200, { id: complaint.id, status: 'closed', outcome: 'withdrawn', closedAt: at });
}
