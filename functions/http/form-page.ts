import middy from '@middy/core';
import { UNKNOWN_ADDRESS_RESOURCE } from '../catalog';
import { HttpError, problemDetails, requestLanguage, type HttpEvent, type HttpResult } from '../lib/http';
import { settings } from '../lib/settings';
import { complaintFormPage } from '../pages/complaint-form';
import { logContext } from '../lib/log';
import { evidenceUploadOrigin } from '../lib/evidence-upload-origin';
import { REQUEST_TEXTS } from '../pages/request-texts';
import { scriptPageResult } from './shared/page-results';

/**
 * GET /: the public complaint form, in Chinese or English (`?lang=`, then Accept-Language).
 * Its one script runs under a fresh nonce; every other page stays script-free. The script may
 * talk to the API and to the evidence bucket, nothing else.
 */
async function showComplaintForm(event: HttpEvent): Promise<HttpResult> {
  const { desk, publicBaseUrl } = settings();
  const language = requestLanguage(event);
  return scriptPageResult(
    200,
    language,
    [new URL(publicBaseUrl).origin, evidenceUploadOrigin()],
    (scriptNonce) => complaintFormPage({ language, config: desk, scriptNonce, apiBaseUrl: publicBaseUrl }),
    { vary: 'accept-language' },
  );
}

/**
 * Any address no route has (the API's catch-all, any method) is not found: the page in the reader's
 * language for a browser, problem+json for a client, as every handler answers its own 404.
 */
export function unknownAddress(): HttpError {
  return new HttpError(404, 'urn:redress:problem:not-found', REQUEST_TEXTS.noSuchAddress);
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .handler(async (event) => {
    if (event.resource === UNKNOWN_ADDRESS_RESOURCE) throw unknownAddress();
    return showComplaintForm(event);
  });
