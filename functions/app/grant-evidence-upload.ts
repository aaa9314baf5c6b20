import type { ComplaintRecord } from '../domain/complaint';
import {
  evidenceLimitReached,
  evidenceLimitsFor,
  formUploadMaxBytes,
  TYPE_PICKED_IN_FORM,
  validateUploadRequest,
} from '../domain/evidence-policy';
import type { Language } from '../domain/language';
import { isOpen } from '../domain/lifecycle';
import { currentTime } from '../lib/clock';
import { ValidationError } from '../lib/http';
import { log } from '../lib/log';
import { ConflictError } from '../lib/problems';
import { settings } from '../lib/settings';
import { evidenceKey, newEvidenceSlot, presignFormUpload, presignUpload } from '../store/evidence-objects';
import { issueUploadSlot, UploadLimitReachedError } from '../store/upload-slots';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

/**
 * Hands the tracking-link holder one upload: `{fileName, contentType, size}` checked against the
 * desk's evidence rules, a slot recorded against the complaint (counted), and a presigned POST for
 * exactly that key, that type and at most that size. The object is checked again when it lands.
 * `form`: the upload of a page used without its script, a plain HTML form whose file and type are
 * picked after the slot is handed out: its slot takes any accepted type up to the side's largest
 * size, settled and checked when the file lands (evidence-policy.ts slotForLanded), and S3 sends
 * the browser back to `returnTo`.
 */
export async function grantEvidenceUpload(
  complaint: ComplaintRecord,
  body: unknown,
  language: Language,
  /** A staff member attaching a file (recorded as theirs), or the respondent from their link: the same checks. */
  uploader?: { staff: string } | { party: 'respondent' },
  form?: { returnTo: string },
) {
  const { desk } = settings();
  const party = uploader && 'party' in uploader ? uploader.party : undefined;
  // The respondent's files are held to their own allowance; everyone else's to the case's.
  const limits = evidenceLimitsFor(desk.evidence, party);
  const slot = newEvidenceSlot();
  const result = form
    ? ({
        ok: true,
        request: { fileName: `file-${slot.slice(0, 6)}`, contentType: TYPE_PICKED_IN_FORM, size: 1 },
        maxBytes: formUploadMaxBytes(desk.evidence, party),
      } as const)
    : validateUploadRequest(body, limits, language);
  if (!result.ok) throw new ValidationError(result.errors);
  if (!isOpen(complaint.status)) {
    throw new ConflictError('urn:redress:problem:complaint-closed', USE_CASE_TEXTS.evidenceClosed);
  }
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
    const expiresInSeconds = desk.evidence.uploadSeconds;
    const post = form
      ? await presignFormUpload({ key, maxBytes: result.maxBytes, expiresInSeconds, returnTo: form.returnTo })
      : await presignUpload({
          key,
          contentType: result.request.contentType,
          maxBytes: result.maxBytes,
          expiresInSeconds,
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
