import middy from '@middy/core';
import { confirmContactAddress } from '../app/correct-contact';
import { formBody, html, problemDetails, requestLanguage, type HttpEvent, type HttpResult } from '../lib/http';
import { logContext } from '../lib/log';
import { confirmContactPage, contactConfirmedPage } from '../pages/contact-confirmation';

/**
 * GET /complaints/{id}/contact-confirmation?code=…: the page with the button (opening the link
 * changes nothing); POST (`code`) puts the new address in use, or says the link is not valid (410).
 */
async function confirmContact(event: HttpEvent): Promise<HttpResult> {
  const language = requestLanguage(event);
  const id = event.pathParameters?.id ?? '';
  if (event.httpMethod !== 'POST')
    return html(200, confirmContactPage({ id, code: event.queryStringParameters?.code ?? '', language }), {
      'content-language': language,
    });
  const code = formBody(event).code;
  const result = await confirmContactAddress(id, typeof code === 'string' ? code : '');
  return result.kind === 'confirmed'
    ? html(200, contactConfirmedPage({ confirmed: true, number: result.number, language }), {
        'content-language': language,
      })
    : html(410, contactConfirmedPage({ confirmed: false, language }), { 'content-language': language });
}

export const handler = middy<HttpEvent, HttpResult>()
  .use(logContext())
  .use(problemDetails(requestLanguage))
  .handler(confirmContact);
