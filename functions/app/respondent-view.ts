import type { ComplaintRecord } from '../domain/complaint';
import { respondentEvidence } from '../domain/evidence-policy';
import { COMPLAINT_ID_PATTERN } from '../domain/ids';
import type { Language } from '../domain/language';
import { threadOf, type ThreadEntry } from '../domain/thread';
import { NotFoundError } from '../lib/http';
import { isRespondentTokenValid } from '../lib/respondent-link';
import { getComplaint } from '../store/complaints';
import { listEvents } from '../store/events';
import { grantEvidenceUpload } from './grant-evidence-upload';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

const NOT_FOUND = USE_CASE_TEXTS.respondentLinkNotFound;

/** The case a respondent's link opens; a wrong token looks exactly like a missing case (404). */
export async function caseForRespondent(id: string, token: string | undefined): Promise<ComplaintRecord> {
  const complaint = COMPLAINT_ID_PATTERN.test(id) ? await getComplaint(id) : undefined;
  if (!complaint || !(await isRespondentTokenValid(complaint.id, complaint.respondentEmail, token)))
    throw new NotFoundError(NOT_FOUND);
  return complaint;
}

/**
 * A file the respondent attaches to an answer, uploaded from their link: the evidence upload (the
 * same presigned POST, checks and quarantine), recorded as the respondent's, which the
 * complainant never sees.
 */
export async function grantRespondentUpload(
  complaint: ComplaintRecord,
  body: unknown,
  language: Language,
  /** From the page without its script: a form upload, and back to the page. */
  form?: { returnTo: string },
) {
  return grantEvidenceUpload(complaint, body, language, { party: 'respondent' }, form);
}

/** The files the respondent has uploaded and the desk has checked and recorded (name and id). */
export async function respondentFiles(complaint: ComplaintRecord): Promise<{ id: string; name: string }[]> {
  return respondentEvidence(await listEvents(complaint.id)).map(({ id, name }) => ({ id, name }));
}

/** What the respondent reads: the desk's messages to them and their own answers, nothing of the complainant's. */
export async function respondentThread(complaint: ComplaintRecord): Promise<ThreadEntry[]> {
  return threadOf(await listEvents(complaint.id), 'respondent');
}
