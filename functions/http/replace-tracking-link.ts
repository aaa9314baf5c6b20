import middy from '@middy/core';
import { replaceTrackingLink } from '../app/replace-tracking-link';
import { formBody, html, json, problemDetails, requestLanguage, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { complaintForTrackingLink, isFormPost } from './shared/tracking-auth';
import { NOTICES } from '../pages/self-service';
import { taskMessagePage } from '../pages/task-pages';
import { REQUEST_TEXTS } from '../pages/request-texts';

/**
 * POST /complaints/{id}/tracking-link, by the tracking token: the old link stops working and the
 * new one is mailed to the complainant. JSON gets 202; the tracking page's form gets a page that
 * says so (the old page no longer opens, so there is nothing to go back to).
 */
async function replace(event: HttpEvent): Promise<HttpResult> {
  const form = isFormPost(event) ? formBody(event) : undefined;
  const { complaint, language } = await complaintForTrackingLink(
    event,
    typeof form?.token === 'string' ? form.token : undefined,
  );
  const result = await replaceTrackingLink({ complaint, fields: {}, language });
  if (!result.ok) throw result.problem;
  if (!form) return json(result.status, result.body);
  const text = NOTICES['tracking-replaced'].text[language];
  return html(
    200,
    taskMessagePage({
      title: REQUEST_TEXTS.trackingLinkReplaced[language],
      message: text,
      language,
      tone: 'ok',
    }),
    { 'content-language': language, 'cache-control': 'no-store' },
  );
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails(requestLanguage))
  .handler(replace);
