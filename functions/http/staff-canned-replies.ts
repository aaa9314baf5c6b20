import middy from '@middy/core';
import { cannedRepliesFor, removeCannedReply, saveCannedReply } from '../app/canned-replies';
import {
  header,
  html,
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
import { noncedFields, redirect, signInRedirect, staffSessionOf } from './shared/staff-auth';

/**
 * GET /staff/canned-replies: the replies a member reads (page or JSON). POST saves one (`scope`,
 * `title`, `textZh`, `textEn`; `id` to replace one) or, with `delete`, removes one: supervisors
 * for their teams, managers and operators for the desk. An unknown placeholder is refused by field.
 */
async function staffCannedReplies(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const asJson = wantsJson(event) || /json/i.test(header(event, 'content-type') ?? '');
  if (event.httpMethod !== 'POST') {
    const { replies, keeps } = await cannedRepliesFor(session.member);
    if (asJson) return json(200, { replies, keeps });
    const notice = event.queryStringParameters?.notice;
    return html(
      200,
      cannedRepliesPage({
        member: session.member,
        language,
        nonce: session.nonce,
        replies,
        keeps,
        notice: notice === 'saved' ? (language === 'zh-CN' ? '已保存。' : 'Saved.') : undefined,
      }),
      { 'content-language': language },
    );
  }
  const { fields } = noncedFields(session, event);
  if (fields.delete) {
    await removeCannedReply(session.member, String(fields.scope ?? ''), String(fields.id ?? ''));
    return asJson ? json(200, { deleted: true }) : redirect(`/staff/canned-replies?lang=${language}&notice=saved`);
  }
  try {
    const saved = await saveCannedReply(session.member, fields, language);
    return asJson ? json(201, saved) : redirect(`/staff/canned-replies?lang=${language}&notice=saved`);
  } catch (error) {
    if (asJson || !(error instanceof ValidationError)) throw error;
    const { replies, keeps } = await cannedRepliesFor(session.member);
    return html(
      400,
      cannedRepliesPage({
        member: session.member,
        language,
        nonce: session.nonce,
        replies,
        keeps,
        values: fields,
        errors: (error.options.errors ?? []).map((e) => ({
          path: e.path,
          message: typeof e.message === 'string' ? e.message : e.message[language],
        })),
      }),
      { 'content-language': language },
    );
  }
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(staffCannedReplies);
