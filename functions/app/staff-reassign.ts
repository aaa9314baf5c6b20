import type { Language } from '../domain/language';
import { mayReassign, normaliseEmail, teamMembers, teamOfCategory, type StaffMember } from '../domain/staff';
import { currentTime } from '../lib/clock';
import { ValidationError } from '../lib/http';
import { log } from '../lib/log';
import { ConflictError } from '../lib/problems';
import { settings } from '../lib/settings';
import { notice } from '../pages/notices';
import { notifyNow } from './shared/notifier';
import { StaffForbiddenError } from '../lib/problems';
import { appendStaffEvent } from '../store/staff-queue';
import { getTaskLink } from '../store/task-links';
import { reissueTaskLink } from './shared/reissue-task-link';
import { caseForStaff } from './staff-case';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

const text = (value: unknown, max: number): string | undefined => {
  const v = typeof value === 'string' ? value.trim() : undefined;
  return v && v.length <= max ? v : undefined;
};

/**
 * Reassigns a case's current task to another member of its team (supervisor and up), with a
 * reason: a fresh link to the new holder for the same task and deadline, the old link retired
 * saying the task was reassigned to whom, and the old holder told by mail. The workflow's token
 * does not change.
 */
export async function reassignTask(
  member: StaffMember,
  id: string,
  input: { to?: unknown; reason?: unknown },
  language: Language,
): Promise<{ to: string }> {
  const { desk } = settings();
  const complaint = await caseForStaff(member, id);
  if (!mayReassign(member, desk, complaint.category)) throw new StaffForbiddenError('reassign');
  const now = currentTime();
  const current = complaint.currentTaskLinkHash ? await getTaskLink(complaint.currentTaskLinkHash) : undefined;
  if (
    current?.state !== 'open' ||
    current.dueAt <= now.toISOString() ||
    (current.role !== 'handler' && current.role !== 'supervisor')
  ) {
    throw new ConflictError('urn:redress:problem:no-open-staff-task', USE_CASE_TEXTS.noOpenStaffTask);
  }
  const to = typeof input.to === 'string' ? normaliseEmail(input.to) : '';
  const reason = text(input.reason, 2000);
  const errors = [
    ...(teamMembers(desk, teamOfCategory(desk, complaint.category) ?? '').includes(to) &&
    to !== normaliseEmail(current.assignedTo)
      ? []
      : [{ path: 'to', message: USE_CASE_TEXTS.reassignToTeamMember[language] }]),
    ...(reason ? [] : [{ path: 'reason', message: USE_CASE_TEXTS.reasonRequired[language] }]),
  ];
  if (errors.length) throw new ValidationError(errors);
  const at = now.toISOString();
  const { url, link } = await reissueTaskLink(
    current,
    to,
    {
      at,
      actor: member.role,
      action: 'task.reassigned',
      details: { step: current.step, from: current.assignedTo, to, assignee: to, reason, by: member.email },
    },
    'reassigned',
  );
  await notifyNow(
    notice(
      'task.assigned',
      { email: to },
      { number: complaint.number, step: link.step, taskUrl: url, deadlineAt: link.dueAt },
    ),
  );
  // The holder it was taken from is told, unless they reassigned it themself.
  if (normaliseEmail(current.assignedTo) !== member.email)
    await notifyNow(
      notice(
        'task.reassigned-away',
        { email: current.assignedTo },
        { number: complaint.number, step: link.step, newHolder: to, by: member.email, reason: reason! },
      ),
    );
  log.info('task reassigned from the staff desk', { complaintId: complaint.id, step: link.step, role: member.role });
  return { to };
}

/** Adds an internal note: a staff-only event, never shown to the complainant or the respondent. */
export async function addInternalNote(
  member: StaffMember,
  id: string,
  note: unknown,
  language: Language,
): Promise<void> {
  const complaint = await caseForStaff(member, id);
  const value = text(note, 2000);
  if (!value)
    throw new ValidationError([
      {
        path: 'note',
        message: USE_CASE_TEXTS.reasonRequired[language],
      },
    ]);
  await appendStaffEvent(complaint.id, {
    at: currentTime().toISOString(),
    actor: member.role,
    action: 'staff.noted',
    details: { note: value, by: member.email },
  });
}
