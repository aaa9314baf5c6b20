import middy from '@middy/core';
import { addInternalNote, reassignTask } from '../app/staff-reassign';
import { json, problemDetails, requestLanguage, wantsJson, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { noncedFields, redirect, signInRedirect, staffSessionOf } from './shared/staff-auth';

/**
 * POST /staff/complaints/{id}/reassignment (`to`, `reason`; supervisor and up) and
 * POST /staff/complaints/{id}/notes (`note`): a form goes back to the case page, JSON gets 200.
 */
async function staffCaseAction(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const id = event.pathParameters?.id ?? '';
  const { fields, sentJson } = noncedFields(session, event);
  let done: Record<string, unknown>;
  if (event.resource.endsWith('/reassignment'))
    done = { reassignedTo: (await reassignTask(session.member, id, fields, language)).to };
  else {
    await addInternalNote(session.member, id, fields.note, language);
    done = { noted: true };
  }
  if (wantsJson(event) || sentJson) return json(200, done);
  return redirect(
    `/staff/complaints/${encodeURIComponent(id)}?lang=${language}&notice=${done.noted ? 'noted' : 'reassigned'}`,
  );
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(staffCaseAction);
