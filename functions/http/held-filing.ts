import middy from '@middy/core';
import { confirmHeld, heldFilingOf } from '../app/held-filing';
import {
  messageProblem,
  problemDetails,
  requestLanguage,
  wantsJson,
  type HttpEvent,
  type HttpResult,
} from '../lib/http';
import { logContext } from '../lib/log';
import { settings } from '../lib/settings';
import { heldConfirmedPage, heldConfirmPage, heldGoneMessage, heldGonePage } from '../pages/held-filing-page';
import { formatTime } from '../pages/layout';
import { pageLanguage, pageResult } from './shared/page-results';

/**
 * GET /held-filings/{linkId} shows what confirming means and a button (mail scanners open links:
 * GET changes nothing); POST confirms, and the ban is recorded.
 */
async function heldFiling(event: HttpEvent): Promise<HttpResult> {
  const linkId = event.pathParameters?.linkId ?? '';
  const held = await heldFilingOf(linkId);
  const language = pageLanguage(event, held?.language);
  const say = (status: number, body: string) => pageResult(status, body, language, { 'cache-control': 'no-store' });
  // A link that confirms nothing: a page, or problem+json to a reader who asked for JSON.
  const gone = () => (wantsJson(event) ? messageProblem(heldGoneMessage(language)) : say(410, heldGonePage(language)));
  if (event.httpMethod !== 'POST') {
    if (held?.state !== 'held') return gone();
    return say(200, heldConfirmPage(language, held.ruledNumber));
  }
  const result = await confirmHeld(linkId);
  if (result.kind === 'gone') return gone();
  const until = result.ban.permanent ? undefined : formatTime(result.ban.until, language, settings().desk.timeZone);
  return say(200, heldConfirmedPage(language, until));
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails(requestLanguage))
  .handler(heldFiling);
