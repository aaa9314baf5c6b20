import type { ComplaintRecord } from '../domain/complaint';
import { evidenceFromEvents } from '../domain/evidence-policy';
import type { Language } from '../domain/language';
import { mayActOnTask, type StaffMember } from '../domain/staff';
import { threadOf } from '../domain/thread';
import { NotFoundError } from '../lib/http';
import { StaffForbiddenError } from '../lib/problems';
import { settings } from '../lib/settings';
import { withDownloadLinks } from '../store/evidence-objects';
import { listEvents } from '../store/events';
import { grantEvidenceUpload } from './grant-evidence-upload';
import { caseForStaff } from './staff-case';

/**
 * Files sent with the desk's messages. Staff upload one as evidence is uploaded (the same
 * presigned POST, the same checks and quarantine when it lands, kept and expired with the case),
 * then name it in a message. Its recipient fetches it through their own link only: the
 * complainant's tracking token opens the files of the desk's messages to them, the respondent's
 * link those to the respondent; each fetch hands out a download link that soon expires.
 */
export async function grantStaffAttachment(member: StaffMember, id: string, body: unknown, language: Language) {
  const complaint = await caseForStaff(member, id);
  const holder = complaint.handler ?? complaint.assignee ?? '';
  if (!mayActOnTask(member, settings().desk, complaint.category, holder)) throw new StaffForbiddenError();
  return grantEvidenceUpload(complaint, body, language, member.email);
}

const NO_FILE = { 'zh-CN': '找不到该文件', en: 'No such file' };

/** A short-lived download link for a file the desk sent to this side, or 404 (nothing else is reachable). */
export async function messageFileUrl(
  complaint: ComplaintRecord,
  side: 'complainant' | 'respondent',
  fileId: string,
): Promise<string> {
  const events = await listEvents(complaint.id);
  const sent = threadOf(events, side).some(
    (entry) => entry.to === side && entry.attachments?.some((file) => file.id === fileId),
  );
  const item = sent ? evidenceFromEvents(events).find((e) => e.id === fileId) : undefined;
  if (!item) throw new NotFoundError(NO_FILE);
  const [linked] = await withDownloadLinks([item]);
  return linked!.url;
}
