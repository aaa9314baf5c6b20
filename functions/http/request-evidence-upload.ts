import middy from '@middy/core';
import { evidenceFromEvents, validateUploadRequest } from '../domain/evidence-policy';
import { isLanguage, type Language } from '../domain/language';
import { isOpen } from '../domain/lifecycle';
import { listEvents } from '../lib/complaint-store';
import { evidenceUploadOrigin, issueUpload, UploadLimitReachedError } from '../lib/evidence-store';
import { html, json, jsonBody, problemDetails, requestLanguage, ValidationError, type HttpEvent, type HttpResult } from '../lib/http';
import { log, logContext } from '../lib/log';
import { ConflictError } from '../lib/problems';
import { settings } from '../lib/settings';
import { newScriptNonce, scriptPageCsp } from '../lib/script-csp';
import { complaintForTrackingLink } from '../lib/tracking-auth';
import { evidenceUploadPage } from '../pages/evidence-upload-page';
import { currentTime } from '../lib/clock';

/**
 * POST /complaints/{id}/evidence, authorised by the tracking token: `{fileName, contentType,
 * size}` → 201 `{url, fields, maxBytes, expiresAt}`, a presigned POST for one object under the
 * complaint's prefix. The object is checked again when it lands (record-evidence).
 */
async function requestEvidenceUpload(event: HttpEvent): Promise<HttpResult> {
  const { complaint, token } = await complaintForTrackingLink(event);
  const asked = event.queryStringParameters?.lang;
  const language: Language = isLanguage(asked) ? asked : complaint.language;
  const { desk, publicBaseUrl } = settings();
  if (event.httpMethod === 'GET') {
    // The page behind the tracking page's "Add evidence" link: its one script uploads.
    const nonce = newScriptNonce();
    const evidence = evidenceFromEvents(await listEvents(complaint.id));
    return html(200, evidenceUploadPage({ complaint, evidence, language, config: desk, token, apiBaseUrl: publicBaseUrl, scriptNonce: nonce }), {
      'content-language': language,
      'content-security-policy': scriptPageCsp(nonce, [new URL(publicBaseUrl).origin, await evidenceUploadOrigin()]),
    });
  }
  const result = validateUploadRequest(jsonBody(event), desk.evidence, language);
  if (!result.ok) throw new ValidationError(result.errors);
  if (!isOpen(complaint.status)) {
    throw new ConflictError('urn:redress:problem:complaint-closed', { 'zh-CN': '该投诉已结案，不能再上传证据', en: 'This complaint is closed; evidence can no longer be added' });
  }
  try {
    const upload = await issueUpload({
      complaintId: complaint.id,
      request: result.request,
      maxBytes: result.maxBytes,
      // Unused slots count too, so the limit is twice the files a complaint may keep.
      maxSlots: desk.evidence.maxFiles * 2,
      expiresInSeconds: desk.evidence.uploadSeconds,
      now: currentTime(),
    });
    log.info('evidence upload issued', { complaintId: complaint.id, contentType: result.request.contentType, size: result.request.size });
    return json(201, upload);
  } catch (error) {
    if (!(error instanceof UploadLimitReachedError)) throw error;
    throw new ConflictError('urn:redress:problem:evidence-limit-reached', { 'zh-CN': '该投诉的证据数量已达上限', en: 'This complaint has as much evidence as it can take' }, {
      'zh-CN': `每个投诉最多 ${desk.evidence.maxFiles} 个文件。`,
      en: `A complaint takes at most ${desk.evidence.maxFiles} files.`,
    });
  }
}

/** Problems in the complainant's language is not known before the token is checked: the reader's. */
export const handler = middy<HttpEvent, HttpResult>().use(logContext()).use(problemDetails()).handler(requestEvidenceUpload);
