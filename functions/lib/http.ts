import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { FieldError } from '../domain/field-errors';
import {
  DEFAULT_LANGUAGE,
  isLanguage,
  languageFromAcceptHeader,
  type Bilingual,
  type Language,
} from '../domain/language';
import { errorPageHtml } from './error-page';
import { log } from './log';
import { isOverload, overloadRetryAfterSeconds } from './overload';
import { PLATFORM_TEXTS } from './platform-texts';

export type HttpEvent = APIGatewayProxyEvent;
export type HttpResult = APIGatewayProxyResult;

/**
 * An error a client may see. `type` is a stable URN (RFC 9457), `title` is said in both
 * languages, `errors` names each bad field.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: Bilingual,
    readonly options: {
      detail?: Bilingual;
      errors?: (FieldError | { path: string; message: Bilingual })[];
      headers?: Record<string, string>;
      extra?: Record<string, unknown>;
    } = {},
  ) {
    super(title.en);
    this.name = 'HttpError';
  }
}

export class ValidationError extends HttpError {
  constructor(
    errors: (FieldError | { path: string; message: Bilingual })[],
    title: Bilingual = PLATFORM_TEXTS.invalidFields,
  ) {
    super(400, 'urn:redress:problem:validation-failed', title, { errors });
    this.name = 'ValidationError';
  }
}

/**
 * A dependency is overloaded or unavailable and nothing was written: the same request may be sent
 * again after `Retry-After` seconds (with the same Idempotency-Key, it makes one complaint).
 */
export class ServiceUnavailableError extends HttpError {
  constructor(retryAfterSeconds = overloadRetryAfterSeconds()) {
    super(503, 'urn:redress:problem:service-unavailable', PLATFORM_TEXTS.serviceBusy, {
      detail: PLATFORM_TEXTS.serviceBusyDetail(retryAfterSeconds),
      headers: { 'retry-after': String(retryAfterSeconds) },
    });
    this.name = 'ServiceUnavailableError';
  }
}

export class NotFoundError extends HttpError {
  constructor(what: Bilingual = PLATFORM_TEXTS.notFound) {
    super(404, 'urn:redress:problem:not-found', what);
    this.name = 'NotFoundError';
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(expected: string) {
    super(415, 'urn:redress:problem:unsupported-media-type', PLATFORM_TEXTS.sendBodyAs(expected));
    this.name = 'UnsupportedMediaTypeError';
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(maxBytes: number) {
    super(413, 'urn:redress:problem:payload-too-large', PLATFORM_TEXTS.bodyTooLarge, {
      detail: PLATFORM_TEXTS.bodyTooLargeDetail(maxBytes),
    });
    this.name = 'PayloadTooLargeError';
  }
}

/** The reader's language: `?lang=`, then Accept-Language, then Chinese. */
export function requestLanguage(event: HttpEvent, fallback: Language = DEFAULT_LANGUAGE): Language {
  const asked = event.queryStringParameters?.lang;
  if (isLanguage(asked)) return asked;
  return languageFromAcceptHeader(header(event, 'accept-language'), fallback);
}

export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {}))
    if (key.toLowerCase() === wanted) return value ?? undefined;
  return undefined;
}

export function wantsJson(event: HttpEvent): boolean {
  const accept = header(event, 'accept') ?? '';
  return /application\/(problem\+)?json/.test(accept) && !/text\/html/.test(accept.split(',')[0] ?? '');
}

/**
 * A browser asking for a page (its Accept names text/html, and JSON does not come first): errors
 * are answered with an HTML page. API clients (JSON, or no preference: `*\/*`) get problem+json.
 */
export function wantsHtml(event: HttpEvent | undefined): boolean {
  if (!event) return false;
  const accept = header(event, 'accept') ?? '';
  return /text\/html/i.test(accept) && !wantsJson(event);
}

const MAX_BODY_BYTES = 64 * 1024;

/** The body as sent (decoded when base64), at most MAX_BODY_BYTES. */
export function rawBody(event: HttpEvent): string {
  const body = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  return text;
}

/** The JSON body, or a 400/415 that says what is wrong with it. */
export function jsonBody(event: HttpEvent): unknown {
  const contentType = header(event, 'content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(contentType.trim())) throw new UnsupportedMediaTypeError('application/json');
  const text = rawBody(event);
  try {
    return JSON.parse(text);
  } catch (error) {
    // The parser's own words are English and name positions; say it in the reader's language.
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new ValidationError(
      [
        {
          path: '(body)',
          message: PLATFORM_TEXTS.notValidJsonAt(at),
        },
      ],
      PLATFORM_TEXTS.bodyNotJson,
    );
  }
}

/** A url-encoded form body as a record; a field sent more than once (checkboxes) is an array. */
export function formBody(event: HttpEvent): Record<string, string | string[]> {
  const contentType = header(event, 'content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(contentType.trim()))
    throw new UnsupportedMediaTypeError('application/x-www-form-urlencoded');
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(rawBody(event))) {
    const seen = fields[name];
    fields[name] = seen === undefined ? value : [...[seen].flat(), value];
  }
  return fields;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  // Browsers keep to HTTPS for this host for a year (ignored over plain HTTP, as locally).
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

export function html(status: number, body: string, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode: status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      ...SECURITY_HEADERS,
      // Task and tracking links are capabilities: never leak them in a Referer, never frame the page.
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      ...headers,
    },
    body,
  };
}

/**
 * An error as the client reads it, decided here for every handler: RFC 9457 problem+json, or, for
 * a browser asking for a page (`wantsHtml`), the same problem as an HTML page in the reader's
 * language (with the same status and headers, such as Retry-After).
 */
export function problem(error: HttpError, language: Language, event?: HttpEvent): HttpResult {
  if (wantsHtml(event)) {
    const path = event!.path ?? '/';
    const other = language === 'zh-CN' ? 'en' : 'zh-CN';
    return html(
      error.status,
      errorPageHtml({
        status: error.status,
        title: error.title[language],
        detail: error.options.detail?.[language],
        errors: error.options.errors?.map((e) => ({
          path: e.path,
          message: typeof e.message === 'string' ? e.message : e.message[language],
        })),
        language,
        // A GET can be asked for again in the other language; a POST's address answers only posts.
        langSwitch: (event!.httpMethod ?? 'GET') === 'GET' ? `${path}?lang=${other}` : undefined,
        home: path.startsWith('/staff') ? `/staff/queue?lang=${language}` : `/?lang=${language}`,
      }),
      { 'content-language': language, ...(error.options.headers ?? {}) },
    );
  }
  return json(
    error.status,
    {
      type: error.type,
      title: error.title[language],
      status: error.status,
      ...(error.options.detail ? { detail: error.options.detail[language] } : {}),
      ...(error.options.errors
        ? {
            errors: error.options.errors.map((e) => ({
              path: e.path,
              message: typeof e.message === 'string' ? e.message : e.message[language],
            })),
          }
        : {}),
      ...(error.options.extra ?? {}),
    },
    {
      'content-type': 'application/problem+json; charset=utf-8',
      'content-language': language,
      ...(error.options.headers ?? {}),
    },
  );
}

/**
 * The one error middleware: typed errors become RFC 9457 problem+json (or, for a browser, an HTML
 * page: `problem`) in the reader's language; a
 * dependency that is overloaded or unavailable is a 503 with Retry-After (isOverload); anything
 * else is logged and answered with a bare 500 that reveals nothing.
 */
export function problemDetails(
  languageOf: (event: HttpEvent) => Language = requestLanguage,
): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    onError: async (request) => {
      const language = (() => {
        try {
          return languageOf(request.event);
        } catch {
          return DEFAULT_LANGUAGE;
        }
      })();
      if (request.error instanceof HttpError) {
        request.response = problem(request.error, language, request.event);
        return;
      }
      if (isOverload(request.error)) {
        log.warn('dependency overloaded: answered 503', { error: request.error, path: request.event?.path });
        request.response = problem(new ServiceUnavailableError(), language, request.event);
        return;
      }
      log.error('unhandled error', { error: request.error, path: request.event?.path });
      request.response = problem(
        new HttpError(500, 'urn:redress:problem:internal-error', PLATFORM_TEXTS.internalError),
        language,
        request.event,
      );
    },
  };
}

const MESSAGE_PROBLEM_TYPES: Record<number, string> = {
  400: 'validation-failed',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  410: 'gone',
  503: 'service-unavailable',
};

/** What a page would say of a refusal, as problem+json for a reader who asked for JSON. */
export function messageProblem(
  m: { status: number; title: string; message: string; language: Language },
  headers: Record<string, string> = {},
  errors?: { path: string; message: string }[],
): HttpResult {
  return json(
    m.status,
    {
      type: `urn:redress:problem:${MESSAGE_PROBLEM_TYPES[m.status] ?? 'error'}`,
      title: m.title,
      status: m.status,
      detail: m.message,
      ...(errors ? { errors } : {}),
    },
    { 'content-type': 'application/problem+json; charset=utf-8', 'content-language': m.language, ...headers },
  );
}
