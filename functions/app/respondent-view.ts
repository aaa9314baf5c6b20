import type { ComplaintRecord } from '../domain/complaint';
import { COMPLAINT_ID_PATTERN } from '../domain/ids';
import { threadOf, type ThreadEntry } from '../domain/thread';
import { NotFoundError } from '../lib/http';
import { isRespondentTokenValid } from '../lib/respondent-link';
import { getComplaint } from '../store/complaints';
import { listEvents } from '../store/events';

const NOT_FOUND = { 'zh-CN': '找不到此链接对应的内容', en: 'Nothing at this link' };

/** The case a respondent's link opens; a wrong token looks exactly like a missing case (404). */
export async function caseForRespondent(id: string, token: string | undefined): Promise<ComplaintRecord> {
  const complaint = COMPLAINT_ID_PATTERN.test(id) ? await getComplaint(id) : undefined;
  if (!complaint || !(await isRespondentTokenValid(complaint.id, complaint.respondentEmail, token)))
    throw new NotFoundError(NOT_FOUND);
  return complaint;
}

/** What the respondent reads: the desk's messages to them and their own answers, nothing of the complainant's. */
export async function respondentThread(complaint: ComplaintRecord): Promise<ThreadEntry[]> {
  return threadOf(await listEvents(complaint.id), 'respondent');
}
