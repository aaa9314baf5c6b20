import type { ComplaintRecord } from '../domain/complaint';
import { evidenceLimitReached, evidenceLimitsFor, validateUploadRequest } from '../domain/evidence-policy';
import type { Language } from '../domain/language';
import { isOpen } from '../domain/lifecycle';
import { currentTime } from '../lib/clock';
import { ValidationError } from '../lib/http';
import { log } from '../lib/log';
import { ConflictError } from '../lib/problems';
import { settings } from '../lib/settings';
import { evidenceKey, newEvidenceSlot, presignUpload } from '../store/evidence-objects';
import { issueUploadSlot, UploadLimitReachedError } from '../store/upload-slots';

/**
 * Hands the tracking-link holder one upload: `{fileName, contentType, size}` checked against the
 * desk's evidence rules, a slot recorded against the complaint (counted), and a presigned POST for
 * exactly that key, that type and at most that size. The object is checked again when it lands.
 */
export async function grantEvidenceUpload(
  complaint: ComplaintRecord,
  body: unknown,
  language: Language,
  /** A staff member attaching a file (recorded as theirs), or the respondent from their link: the same checks. */
  uploader?: { staff: string } | { party: 'respondent' },
) {
  const { desk } = settings();
  const party = uploader && 'party' in uploader ? uploader.party : undefined;
  // The respondent's files are held to their own allowance; everyone else's to the case's.
  const limits = evidenceLimitsFor(desk.evidence, party);
  const result = validateUploadRequest(body, limits, language);
  if (!result.ok) throw new ValidationError(result.errors);
  if (!isOpen(complaint.status)) {
    throw new ConflictError('urn:redress:problem:complaint-closed', {
      'zh-CN': '该投诉已结案，不能再上传证据',
      en: 'This complaint is closed; evidence can no longer be added',
    });
  }
  const slot = newEvidenceSlot();
  const key = evidenceKey(complaint.id, slot);
  try {
    const issued = await issueUploadSlot({
      complaintId: complaint.id,
      key,
      slot,
      request: result.request,
      maxBytes: result.maxBytes,
      // Unused slots count too, so the limit is twice the files a complaint may keep.
      maxSlots: limits.maxFiles * 2,
      expiresInSeconds: desk.evidence.uploadSeconds,
      now: currentTime(),
      ...(uploader && 'staff' in uploader ? { uploadedBy: uploader.staff } : {}),
      ...(party ? { party } : {}),
    });
    const post = await presignUpload({
      key,
      contentType: result.request.contentType,
      maxBytes: result.maxBytes,
      expiresInSeconds: desk.evidence.uploadSeconds,
    });
    log.info('evidence upload issued', {
      complaintId: complaint.id,
      contentType: result.request.contentType,
      size: result.request.size,
    });
    return {
      url: post.url,
      fields: post.fields,
      maxBytes: result.maxBytes,
      expiresAt: issued.uploadBy,
      evidenceId: slot,
    };
  } catch (error) {
    if (!(error instanceof UploadLimitReachedError)) throw error;
    const { title, detail } = evidenceLimitReached(desk.evidence, party);
    throw new ConflictError('urn:redress:problem:evidence-limit-reached', title, detail);
  }
}
