import type { Language } from '../domain/language';
import { mayReassign, normaliseEmail, teamMembers, teamOfCategory, type StaffMember } from '../domain/staff';
import { currentTime } from '../lib/clock';
import { ValidationError } from '../lib/http';
import { log } from '../lib/log';
import { sendEmail } from './shared/mailer';
import { ConflictError } from '../lib/problems';
import { settings } from '../lib/settings';
import { StaffForbiddenError } from '../lib/problems';
import { taskAssignedEmail } from '../pages/emails';
import { appendStaffEvent } from '../store/staff-queue';
import { getTaskLink } from '../store/task-links';
import { reissueTaskLink } from './shared/reissue-task-link';
import { caseForStaff } from './staff-case';

const text = (value: unknown, max: number): string | undefined => {
  const v = typeof value === 'string' ? value.trim() : undefined;
  return v && v.length <= max ? v : undefined;
};

/**
 * Reassigns a case's current task to another member of its team (supervisor and up), with a
 * reason: a fresh link to the new holder for the same task and deadline, and the old link retired
 * saying who holds it now. The workflow's token does not change.
 */
export async function reassignTask(
  member: StaffMember,
  id: string,
  input: { to?: unknown; reason?: unknown },
  language: Language,
): Promise<{ to: string }> {
  const { desk } = settings();
  const complaint = await caseForStaff(member, id);
  if (!mayReassign(member, desk, complaint.category)) throw new StaffForbiddenError();
  const now = currentTime();
  const current = complaint.currentTaskLinkHash ? await getTaskLink(complaint.currentTaskLinkHash) : undefined;
  if (
    current?.state !== 'open' ||
    current.dueAt <= now.toISOString() ||
    (current.role !== 'handler' && current.role !== 'supervisor')
  ) {
    throw new ConflictError('urn:redress:problem:no-open-staff-task', {
      'zh-CN': '此案件当前没有可改派的任务',
      en: 'This case has no open staff task to reassign',
    });
  }
  const zh = language === 'zh-CN';
  const to = typeof input.to === 'string' ? normaliseEmail(input.to) : '';
  const reason = text(input.reason, 2000);
  const errors = [
    ...(teamMembers(desk, teamOfCategory(desk, complaint.category) ?? '').includes(to) &&
    to !== normaliseEmail(current.assignedTo)
      ? []
      : [{ path: 'to', message: zh ? '请选择本团队的另一名成员' : 'choose another member of the case’s team' }]),
    ...(reason
      ? []
      : [{ path: 'reason', message: zh ? '必填（最多 2000 个字符）' : 'is required (at most 2000 characters)' }]),
  ];
  if (errors.length) throw new ValidationError(errors);
  const at = now.toISOString();
  const { url, link } = await reissueTaskLink(current, to, {
    at,
    actor: member.role,
    action: 'task.reassigned',
    details: { step: current.step, from: current.assignedTo, to, assignee: to, reason, by: member.email },
  });
  await sendEmail(
    taskAssignedEmail({
      to,
      number: complaint.number,
      step: link.step,
      taskUrl: url,
      deadlineAt: link.dueAt,
      config: desk,
    }),
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
        message: language === 'zh-CN' ? '必填（最多 2000 个字符）' : 'is required (at most 2000 characters)',
      },
    ]);
  await appendStaffEvent(complaint.id, {
    at: currentTime().toISOString(),
    actor: member.role,
    action: 'staff.noted',
    details: { note: value, by: member.email },
  });
}
