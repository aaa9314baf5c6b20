import middy from '@middy/core';
import { listViews, saveView } from '../app/saved-views';
import { json, problemDetails, requestLanguage, wantsJson, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { noncedFields, redirect, signInRedirect, staffSessionOf } from './shared/staff-auth';

/**
 * GET /staff/views (JSON: the reader's views with counts) and POST /staff/views (`name`, `scope`
 * personal or team:<team>, `query`): a form goes back to the saved view, JSON gets 201.
 */
async function views(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  if (event.httpMethod === 'GET') return json(200, { views: await listViews(session.member, language) });
  const { fields, sentJson: isJson } = noncedFields(session, event);
  const view = await saveView(session.member, fields, language);
  if (wantsJson(event) || isJson) return json(201, { view });
  const query = new URLSearchParams(view.query);
  query.set('lang', language);
  query.set('notice', 'saved');
  return redirect(`/staff/cases?${query.toString()}`);
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(views);
