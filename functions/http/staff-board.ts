import middy from '@middy/core';
import { atRiskBoard } from '../app/board';
import { html, json, problemDetails, requestLanguage, wantsJson, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { currentTime } from '../lib/clock';
import { newScriptNonce, scriptPageCsp } from '../lib/script-csp';
import { settings } from '../lib/settings';
import { signInRedirect, staffSessionOf } from './shared/staff-auth';
import { boardPageHtml } from '../pages/board-page';

/** GET /staff/board: the at-risk board (a page that refreshes its figures, or JSON). */
async function board(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const teams = await atRiskBoard(session.member);
  const refreshedAt = currentTime().toISOString();
  if (wantsJson(event)) return json(200, { teams, refreshedAt });
  const scriptNonce = newScriptNonce();
  return html(
    200,
    boardPageHtml({
      member: session.member,
      teams,
      language,
      nonce: session.nonce,
      scriptNonce,
      desk: settings().desk,
      refreshedAt,
    }),
    { 'content-language': language, 'content-security-policy': scriptPageCsp(scriptNonce, []) },
  );
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(board);
