import middy from '@middy/core';
import { html, problemDetails, requestLanguage, type HttpEvent, type HttpResult } from '../lib/http';
import { newScriptNonce, scriptPageCsp } from '../lib/script-csp';
import { settings } from '../lib/settings';
import { complaintFormPage } from '../pages/complaint-form';
import { logContext } from '../lib/log';
import { evidenceUploadOrigin } from '../lib/evidence-upload-origin';

/**
 * GET /: the public complaint form, in Chinese or English (`?lang=`, then Accept-Language).
 * Its one script runs under a fresh nonce; every other page stays script-free. The script may
 * talk to the API and to the evidence bucket, nothing else.
 */
async function showComplaintForm(event: HttpEvent): Promise<HttpResult> {
  const { desk, publicBaseUrl } = settings();
  const language = requestLanguage(event);
  const nonce = newScriptNonce();
  return html(200, complaintFormPage({ language, config: desk, scriptNonce: nonce, apiBaseUrl: publicBaseUrl }), {
    'content-language': language,
    vary: 'accept-language',
    'content-security-policy': scriptPageCsp(nonce, [new URL(publicBaseUrl).origin, evidenceUploadOrigin()]),
  });
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .handler(showComplaintForm);
