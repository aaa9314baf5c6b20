import { isLanguage, type Language } from '../../domain/language';
import {
  header,
  html,
  json,
  messageProblem,
  requestLanguage,
  type HttpError,
  type HttpEvent,
  type HttpResult,
  wantsJson,
} from '../../lib/http';
import { newScriptNonce, scriptPageCsp } from '../../lib/script-csp';
import { type TaskMessage, taskMessagePage } from '../../pages/task-pages';

/** The language of a page: `?lang=` first, then the one its link was sent in, then the browser's. */
export function pageLanguage(event: HttpEvent, linkLanguage?: Language): Language {
  const asked = event.queryStringParameters?.lang;
  return isLanguage(asked) ? asked : (linkLanguage ?? requestLanguage(event));
}

/** Whether the request's body is JSON (else it is a form). */
export const postsJson = (event: HttpEvent): boolean => /json/i.test(header(event, 'content-type') ?? '');

/** A page in its language. */
export const pageResult = (status: number, body: string, language: Language, headers: Record<string, string> = {}) =>
  html(status, body, { 'content-language': language, ...headers });

/** A task message as its page. */
export const messagePage = (m: TaskMessage, headers: Record<string, string> = {}): HttpResult =>
  pageResult(m.status, taskMessagePage(m), m.language, headers);

/** A task message: a refusal as problem+json to a reader who asked for JSON, else its page. */
export const messageResult = (event: HttpEvent, m: TaskMessage, headers: Record<string, string> = {}): HttpResult =>
  m.status >= 400 && wantsJson(event) ? messageProblem(m, headers) : messagePage(m, headers);

/** A task message to a JSON reader as JSON (a refusal as problem+json), else as its page. */
export const messageAnswer = (m: TaskMessage, asJson: boolean): HttpResult =>
  !asJson
    ? messagePage(m)
    : m.status >= 400
      ? messageProblem(m)
      : json(m.status, { status: m.status, title: m.title, message: m.message });

/** A validation error's field errors in the reader's language, as a form shows them next to each field. */
export const fieldErrorsOf = (error: HttpError, language: Language) =>
  (error.options.errors ?? []).map((e) => ({
    path: e.path,
    message: typeof e.message === 'string' ? e.message : e.message[language],
  }));

/** After a form's POST: back to a page (303), never cached. */
export const seeOther = (location: string): HttpResult => ({
  statusCode: 303,
  headers: { location, 'cache-control': 'no-store' },
  body: '',
});

/** A page with one script of its own: rendered with the script's nonce, allowed to reach only `connectTo`. */
export function scriptPageResult(
  status: number,
  language: Language,
  connectTo: string[],
  render: (scriptNonce: string) => string,
  headers: Record<string, string> = {},
): HttpResult {
  const scriptNonce = newScriptNonce();
  return pageResult(status, render(scriptNonce), language, {
    ...headers,
    'content-security-policy': scriptPageCsp(scriptNonce, connectTo),
  });
}
