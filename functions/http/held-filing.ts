import middy from '@middy/core';
import { confirmHeld, heldFilingOf } from '../app/held-filing';
import { isLanguage, type Language } from '../domain/language';
import {
  messageProblem,
  html as pageResult,
  problemDetails,
  requestLanguage,
  wantsJson,
  type HttpEvent,
  type HttpResult,
} from '../lib/http';
import { logContext } from '../lib/log';
import { settings } from '../lib/settings';
import { formatTime, html, page } from '../pages/layout';

/**
 * GET /held-filings/{linkId} shows what confirming means and a button (mail scanners open links:
 * GET changes nothing); POST confirms, and the ban is recorded.
 */
async function heldFiling(event: HttpEvent): Promise<HttpResult> {
  const linkId = event.pathParameters?.linkId ?? '';
  const held = await heldFilingOf(linkId);
  const asked = event.queryStringParameters?.lang;
  const language: Language = isLanguage(asked) ? asked : (held?.language ?? requestLanguage(event));
  const zh = language === 'zh-CN';
  const say = (status: number, title: string, text: string, tone: 'ok' | 'notice' | 'error', form = false) =>
    pageResult(
      status,
      page({
        title,
        language,
        body: html`<section class="${tone}" role="status"><p>${text}</p>${form ? html`<form method="post" action="?lang=${language}"><button type="submit">${zh ? '确认是我本人提交的' : 'Yes, I filed it'}</button></form>` : html``}</section>`,
      }),
      { 'content-language': language, 'cache-control': 'no-store' },
    );
  // A link that confirms nothing: a page, or problem+json to a reader who asked for JSON.
  const gone = () => {
    const title = zh ? '链接无效' : 'Link not valid';
    const text = zh
      ? '此确认链接已使用、已过期或无效。'
      : 'This confirmation link was used, has expired, or is not valid.';
    return wantsJson(event)
      ? messageProblem({ status: 410, title, message: text, language })
      : say(410, title, text, 'error');
  };
  if (event.httpMethod !== 'POST') {
    if (held?.state !== 'held') return gone();
    return say(
      200,
      zh ? '请确认' : 'Please confirm',
      zh
        ? `投诉 ${held.ruledNumber} 的事项已有最终裁定。确认后，此次再次投诉将按恶意投诉处理，您将在一段时间内不能提交投诉。如不是您本人提交的，请关闭此页面。`
        : `The matter of complaint ${held.ruledNumber} has a final ruling. If you confirm, this new complaint counts as malicious and you cannot file complaints for a while. If you did not file it, close this page.`,
      'notice',
      true,
    );
  }
  const result = await confirmHeld(linkId);
  if (result.kind === 'gone') return gone();
  const until = result.ban.permanent ? undefined : formatTime(result.ban.until, language, settings().desk.timeZone);
  return say(
    200,
    zh ? '已确认' : 'Confirmed',
    zh
      ? until
        ? `已确认。您在 ${until} 之前不能提交投诉。`
        : '已确认。您已被永久停止投诉。'
      : until
        ? `Confirmed. You cannot file complaints until ${until}.`
        : 'Confirmed. You may no longer file complaints.',
    'ok',
  );
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails(requestLanguage))
  .handler(heldFiling);
