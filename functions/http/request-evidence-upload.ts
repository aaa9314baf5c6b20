import middy from '@middy/core';
import { grantEvidenceUpload } from '../app/grant-evidence-upload';
import { complainantEvidence } from '../domain/evidence-policy';
import { isLanguage, type Language } from '../domain/language';
import { formBody, json, jsonBody, problemDetails, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { settings } from '../lib/settings';
import { formUploadResult } from './shared/form-upload-result';
import { complaintForTrackingLink, isFormPost } from './shared/tracking-auth';
import { evidenceUploadPage } from '../pages/evidence-upload-page';
import { listEvents } from '../store/events';
import { evidenceUploadOrigin } from '../lib/evidence-upload-origin';
import { scriptPageResult } from './shared/page-results';

/**
 * POST /complaints/{id}/evidence, authorised by the tracking token: `{fileName, contentType,
 * size}` → 201 `{url, fields, maxBytes, expiresAt}`, a presigned POST for one object under the
 * complaint's prefix. The object is checked again when it lands (record-evidence). From the
 * page's plain form (no script; `token` a field): the form that uploads one file to the evidence
 * store, which sends the browser back to the page.
 */
async function requestEvidenceUpload(event: HttpEvent): Promise<HttpResult> {
  // The page without its script asks by a plain form (the token a field): it gets the store's upload form.
  const form = isFormPost(event) ? formBody(event) : undefined;
  const { complaint, token } = await complaintForTrackingLink(
    event,
    typeof form?.token === 'string' ? form.token : undefined,
  );
  const asked = event.queryStringParameters?.lang;
  const language: Language = isLanguage(asked) ? asked : complaint.language;
  const { desk, publicBaseUrl } = settings();
  if (event.httpMethod === 'GET') {
    // The page behind the tracking page's "Add evidence" link: its one script uploads.
    const evidence = complainantEvidence(await listEvents(complaint.id));
    return scriptPageResult(200, language, [new URL(publicBaseUrl).origin, evidenceUploadOrigin()], (scriptNonce) =>
      evidenceUploadPage({
        complaint,
        evidence,
        language,
        config: desk,
        token,
        apiBaseUrl: publicBaseUrl,
        scriptNonce,
      }),
    );
  }
  if (form) {
    const back = `${publicBaseUrl}/complaints/${complaint.id}/evidence?token=${encodeURIComponent(token)}&lang=${language}`;
    const post = await grantEvidenceUpload(complaint, {}, language, undefined, { returnTo: back });
    return formUploadResult(post, language, back);
  }
  return json(201, await grantEvidenceUpload(complaint, jsonBody(event), language));
}

/** Problems in the complainant's language is not known before the token is checked: the reader's. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .handler(requestEvidenceUpload);
