import type { Language } from '../domain/language';
import { mayActOnTask, type StaffMember } from '../domain/staff';
import { StaffForbiddenError } from '../lib/problems';
import { settings } from '../lib/settings';
import { grantEvidenceUpload } from './grant-evidence-upload';
import { caseForStaff } from './staff-case';

/**
 * A file staff send with a message is uploaded as evidence is (the same presigned POST, the same
 * checks and quarantine when it lands, kept and expired with the case), recorded as theirs; the
 * message then names it (`attachments`). Whoever may act on the case may attach.
 */
export async function grantStaffAttachment(
  member: StaffMember,
  id: string,
  body: unknown,
  language: Language,
  /** From the case page without its script: a form upload, and back to the page. */
  form?: { returnTo: string },
) {
  const complaint = await caseForStaff(member, id);
  const holder = complaint.handler ?? complaint.assignee ?? '';
  if (!mayActOnTask(member, settings().desk, complaint.category, holder)) throw new StaffForbiddenError();
  return grantEvidenceUpload(complaint, body, language, { staff: member.email }, form);
}
