import middy from '@middy/core';
import { atRiskBoard } from '../app/board';
import { json, problemDetails, requestLanguage, wantsJson, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { currentTime } from '../lib/clock';
import { settings } from '../lib/settings';
import { signInRedirect, staffSessionOf } from './shared/staff-auth';
import { boardPageHtml } from '../pages/board-page';
import { scriptPageResult } from './shared/page-results';

/** GET /staff/board: the at-risk board (a page that refreshes its figures, or JSON). */
async function board(event: HttpEvent): Promise<HttpResult> {
  const session = await staffSessionOf(event);
  const language = requestLanguage(event);
  const teams = await atRiskBoard(session.member);
  const refreshedAt = currentTime().toISOString();
  if (wantsJson(event)) return json(200, { teams, refreshedAt });
  // The page's one script refreshes the figures from this origin only.
  return scriptPageResult(200, language, [], (scriptNonce) =>
    boardPageHtml({
      member: session.member,
      teams,
      language,
      nonce: session.nonce,
      scriptNonce,
      desk: settings().desk,
      refreshedAt,
    }),
  );
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails())
  .use(signInRedirect())
  .handler(board);
