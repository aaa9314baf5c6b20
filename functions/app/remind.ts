import { reminderIntervalMs } from '../domain/deadlines';
import { isOpen, STEP_ROLE } from '../domain/lifecycle';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { ConflictError, TooManyRequestsError } from '../lib/problems';
import { settings } from '../lib/settings';
import { notice } from '../pages/notices';
import { getComplaint, recordReminder } from '../store/complaints';
import { getTaskLink } from '../store/task-links';
import { notifyThroughOutbox } from './shared/notifier';
import { reissueTaskLink } from './shared/reissue-task-link';
import { done, refused, type SelfServiceInput, type SelfServiceResult } from './shared/self-service';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

const NOBODY = USE_CASE_TEXTS.remindNobody;
const NOBODY_DETAIL = USE_CASE_TEXTS.remindNobodyDetail;
const CLOSED = USE_CASE_TEXTS.remindClosed;
const TOO_SOON = USE_CASE_TEXTS.remindTooSoon;

/**
 * A reminder (催办): emails the current assignee and records it, at most once per
 * `intake.reminderHours` (a conditional write on `lastReminderAt`, so two clicks at once send one).
 */
export async function remind({ complaint }: SelfServiceInput): Promise<SelfServiceResult> {
  const { desk, clockScale } = settings();
  const intervalMs = reminderIntervalMs(desk.intake.reminderHours, clockScale);
  const now = currentTime();
  const at = now.toISOString();
  const step = complaint.currentStep;
  if (!isOpen(complaint.status))
    return refused('reminder-closed', new ConflictError('urn:redress:problem:complaint-closed', CLOSED));
  if (!complaint.assignee || (step !== undefined && STEP_ROLE[step] === 'complainant'))
    return refused('reminder-nobody', new ConflictError('urn:redress:problem:nobody-to-remind', NOBODY, NOBODY_DETAIL));

  const threshold = new Date(now.getTime() - intervalMs).toISOString();
  if (
    !(await recordReminder(complaint.id, at, threshold, {
      at,
      actor: 'complainant',
      action: 'reminder.sent',
      details: { assignee: complaint.assignee, step },
    }))
  ) {
    const latest = (await getComplaint(complaint.id))?.lastReminderAt ?? at;
    const nextAt = new Date(new Date(latest).getTime() + intervalMs);
    return refused(
      'reminder-too-soon',
      new TooManyRequestsError(
        'urn:redress:problem:reminder-too-soon',
        TOO_SOON,
        (nextAt.getTime() - now.getTime()) / 1000,
        { lastReminderAt: latest, nextReminderAt: nextAt.toISOString() },
      ),
    );
  }
  try {
    // The reminder carries the task's link, so its holder can act from this mail: a fresh one,
    // since the table keeps only the hash of the link that was sent before.
    const current = complaint.currentTaskLinkHash ? await getTaskLink(complaint.currentTaskLinkHash) : undefined;
    const fresh =
      current && current.state === 'open' && current.dueAt > at && current.assignedTo === complaint.assignee
        ? await reissueTaskLink(current, current.assignedTo, {
            at,
            actor: 'system',
            action: 'task.reissued',
            details: { step: current.step, level: current.level, assignee: current.assignedTo, reason: 'reminder' },
          })
        : undefined;
    await notifyThroughOutbox(
      complaint.id,
      'reminder',
      notice(
        'reminder',
        { email: complaint.assignee },
        { number: complaint.number, step, deadlineAt: complaint.deadlineAt, taskUrl: fresh?.url },
      ),
    );
  } catch (error) {
    log.error('reminder recorded but not emailed', { complaintId: complaint.id, error });
  }
  log.info('reminder sent', { complaintId: complaint.id, step });
  return done('reminder-sent', 201, { sentAt: at, nextReminderAt: new Date(now.getTime() + intervalMs).toISOString() });
}
