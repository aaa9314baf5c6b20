import middy from '@middy/core';
import { bulkAction } from '../app/bulk-actions';
import { html, json, problemDetails, requestLanguage, wantsJson, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { noncedFields, signInRedirect, staffSessionOf } from './shared/staff-auth';
import { bulkResultPage } from '../pages/case-views-page';

/**
 * POST /staff/cases/bulk (`action`, `ids` – one or more –, `to`, `text`): the action on each picked
 * case through its one-case use case; the answer lists each row, done or why not (200 either
 * way: the request was carried out row by row).
 */
async function bulk(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const { fields, sentJson: isJson } = noncedFields(session, event);
  const ids = (Array.isArray(fields.ids) ? fields.ids : fields.ids === undefined ? [] : [fields.ids]).filter(
    (id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 64,
  );
  const outcomes = await bulkAction(
    session.member,
    fields.action,
    ids,
    { to: fields.to, text: fields.text, reply: fields.reply },
    language,
  );
  if (wantsJson(event) || isJson) return json(200, { outcomes });
  return html(
    200,
    bulkResultPage({
      member: session.member,
      language,
      nonce: session.nonce,
      action: String(fields.action),
      outcomes,
      backHref: `/staff/cases?lang=${language}`,
    }),
    { 'content-language': language },
  );
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(bulk);
