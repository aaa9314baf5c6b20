import middy from '@middy/core';
import { cannedRepliesFor, removeCannedReply, saveCannedReply } from '../app/canned-replies';
import {
  json,
  problemDetails,
  requestLanguage,
  ValidationError,
  wantsJson,
  type HttpEvent,
  type HttpResult,
} from '../lib/http';
import { logContext } from '../lib/log';
import { cannedRepliesPage } from '../pages/canned-replies-page';
import { fieldErrorsOf, pageResult, postsJson } from './shared/page-results';
import { noncedFields, redirect, signInRedirect, staffSessionOf } from './shared/staff-auth';
import { REQUEST_TEXTS } from '../pages/request-texts';

/**
 * GET /staff/canned-replies: the replies a member reads (page or JSON). POST saves one (`scope`,
 * `title`, `textZh`, `textEn`; `id` to replace one) or, with `delete`, removes one: supervisors
 * for their teams, managers and operators for the desk. An unknown placeholder is refused by field.
 */
async function staffCannedReplies(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const { member, nonce } = session;
  const language = requestLanguage(event);
  const asJson = wantsJson(event) || postsJson(event);
  const page = async (status: number, extra: Partial<Parameters<typeof cannedRepliesPage>[0]>) => {
    const { replies, keeps } = await cannedRepliesFor(member);
    return pageResult(status, cannedRepliesPage({ member, language, nonce, replies, keeps, ...extra }), language);
  };
  if (event.httpMethod !== 'POST') {
    if (asJson) return json(200, await cannedRepliesFor(member));
    const saved = event.queryStringParameters?.notice === 'saved';
    return page(200, { notice: saved ? REQUEST_TEXTS.saved[language] : undefined });
  }
  const { fields } = noncedFields(session, event);
  const done = `/staff/canned-replies?lang=${language}&notice=saved`;
  if (fields.delete) {
    await removeCannedReply(member, String(fields.scope ?? ''), String(fields.id ?? ''));
    return asJson ? json(200, { deleted: true }) : redirect(done);
  }
  try {
    const saved = await saveCannedReply(member, fields, language);
    return asJson ? json(201, saved) : redirect(done);
  } catch (error) {
    if (asJson || !(error instanceof ValidationError)) throw error;
    return page(400, { values: fields, errors: fieldErrorsOf(error, language) });
  }
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(staffCannedReplies);
