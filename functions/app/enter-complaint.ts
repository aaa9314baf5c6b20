import { STAFF_CHANNELS } from '../domain/complaint';
import { validateDeskEvidence } from '../domain/evidence-policy';
import { idempotencyKeyHash } from '../domain/intake-rules';
import type { Language } from '../domain/language';
import { isOpen } from '../domain/lifecycle';
import type { StaffMember } from '../domain/staff';
import { ValidationError } from '../lib/http';
import { settings } from '../lib/settings';
import { currentTime } from '../lib/clock';
import { getComplaint } from '../store/complaints';
import { appendEvent, listEvents } from '../store/events';
import { presignUpload } from '../store/evidence-objects';
import { getUploadSlot } from '../store/upload-slots';
import { type FilingAnswer, fileComplaint } from './file-complaint';
import { grantEvidenceUpload } from './grant-evidence-upload';

export interface EntryRequest {
  /**
   * The intake, as the public route takes it (the form's fields already read into that shape),
   * with `evidence`: the caller's files the staff member attaches, `{fileName, contentType, size}`
   * each (or that list as JSON text, from the form).
   */
  body: unknown;
  idempotencyKey?: string;
  readerLanguage: Language;
}

/** One presigned upload for a file the staff member attaches, named as they declared it. */
export type EntryUpload = Awaited<ReturnType<typeof grantEvidenceUpload>> & { fileName: string };

/**
 * A complaint taken by phone, social media or the app: filed through the same intake as the
 * public route (channel hotline, social or app only), with `enteredBy` recorded. The caller's
 * files the staff member has (a screenshot sent in a chat, a recording) are attached by them:
 * every file is checked against the evidence rules before anything is filed, the case records
 * that the desk attaches its evidence (so the complainant is not asked to upload), and each file
 * gets the evidence upload (presigned POST, checked and quarantined when it lands), recorded as
 * that staff member's. A repeat linked to an open case takes the files on that case.
 */
export async function enterComplaint(
  member: StaffMember,
  request: EntryRequest,
): Promise<{ answer: FilingAnswer; uploads: EntryUpload[] }> {
  const { desk } = settings();
  // The files ride beside the intake; a body that is no object goes to intake as it is, to be refused there.
  const fields = isRecord(request.body) ? request.body : undefined;
  const { evidence, ...intake } = fields ?? {};
  const files = validateDeskEvidence(evidence, desk.evidence, request.readerLanguage);
  if (!files.ok) throw new ValidationError(files.errors);
  const answer = await fileComplaint({
    body: fields ? intake : request.body,
    channels: STAFF_CHANNELS,
    idempotencyKey: request.idempotencyKey,
    readerLanguage: request.readerLanguage,
    enteredBy: member.email,
    ...(files.requests.length ? { evidenceEnteredBy: member.email } : {}),
  });
  const keyHash = request.idempotencyKey ? idempotencyKeyHash(request.idempotencyKey) : undefined;
  if (answer.kind === 'replayed')
    return {
      answer,
      uploads: answer.complaint && keyHash ? await uploadsOfFirstAnswer(answer.complaint.id, keyHash) : [],
    };
  if (!files.requests.length || !answer.complaint) return { answer, uploads: [] };
  const complaint = await getComplaint(answer.complaint.id);
  if (!complaint || !isOpen(complaint.status)) return { answer, uploads: [] };
  const uploads: EntryUpload[] = [];
  for (const file of files.requests)
    uploads.push({
      ...(await grantEvidenceUpload(complaint, file, request.readerLanguage, { staff: member.email })),
      fileName: file.fileName,
    });
  // What the desk said it would upload, so the case shows a declared file that never arrived.
  await appendEvent(complaint.id, {
    at: currentTime().toISOString(),
    actor: 'handler',
    action: 'evidence.declared',
    details: {
      by: member.email,
      files: uploads.map((u) => ({ evidenceId: u.evidenceId, name: u.fileName, uploadBy: u.expiresAt })),
      // A replay of this entry finds its uploads by the key (never the key itself).
      ...(keyHash ? { keyHash } : {}),
    },
  });
  return { answer, uploads };
}

/**
 * A replayed entry (the same Idempotency-Key) answers with the uploads its first answer handed
 * out, never new ones: a second set of slots would let the caller's files be recorded twice. Each
 * declared upload still open gets a fresh presigned POST for the same slot and key, expiring when
 * the slot does (a replay never extends it); a file recorded, refused or past its link is left
 * out. A first answer that handed out nothing (it failed before its uploads) gets none now: the
 * case asks the caller for the evidence once the declared files cannot land.
 */
async function uploadsOfFirstAnswer(complaintId: string, keyHash: string): Promise<EntryUpload[]> {
  const declared = (await listEvents(complaintId)).find(
    (e) => e.action === 'evidence.declared' && e.details?.keyHash === keyHash,
  );
  const files = (declared?.details?.files ?? []) as { evidenceId: string; name: string }[];
  const now = currentTime();
  const uploads: EntryUpload[] = [];
  for (const file of files) {
    const slot = await getUploadSlot(complaintId, file.evidenceId);
    const seconds = slot ? Math.floor((new Date(slot.uploadBy).getTime() - now.getTime()) / 1000) : 0;
    if (slot?.state !== 'issued' || seconds < 1) continue;
    const post = await presignUpload({
      key: slot.key,
      contentType: slot.contentType,
      maxBytes: slot.maxBytes,
      expiresInSeconds: seconds,
    });
    uploads.push({
      url: post.url,
      fields: post.fields,
      maxBytes: slot.maxBytes,
      expiresAt: slot.uploadBy,
      evidenceId: slot.slot,
      fileName: file.name,
    });
  }
  return uploads;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);
