import { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

/**
 * Structured JSON logs through the Powertools Logger (service `redress`, X-Ray trace id, level,
 * timestamp). Personal data never goes in: keys that name personal fields are dropped, and emails,
 * phones, task-link ids and tracking tokens inside any text are replaced, before the logger sees
 * the data. `complaintId`, when a call gives it, is a top-level key of the entry, so one query
 * (`filter complaintId = "…"`) follows a complaint through every function.
 */
const REDACTED_KEYS =
  /email|phone|name|description|desiredOutcome|contactHistory|reason|note|findings|reply|comment|token|nonce|answer|question|statement|text|body|subject/i;
/** Keys that look personal by name but carry only ids or codes. */
const SAFE_KEYS = new Set([
  'complaintId',
  'step',
  'rule',
  'category',
  'channel',
  'action',
  'status',
  'level',
  'outcome',
  'errorName',
  'subjectType',
]);

export function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Error)
    return {
      name: value.name,
      message: redactText(value.message),
      stack: value.stack?.split('\n').slice(0, 6).map(redactText).join('\n'),
    };
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return depth > 4 ? '[…]' : value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    if (depth > 4) return '[…]';
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        !SAFE_KEYS.has(k) && REDACTED_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1),
      ]),
    );
  }
  return value;
}

export function redactText(text: string): string {
  return (
    text
      .replace(/[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[^\s@<>"'(),;:]+/g, '[email]')
      // A run of digits long enough for a phone number, except a date (2026-12-02, as in every ISO time).
      .replace(/\+?\d[\d ()-]{7,}\d/g, (digits) => (/^\d{4}-\d{2}-\d{2}$/.test(digits) ? digits : '[phone]'))
      // Capability URLs: a task link id or a tracking token in a path or query opens a case.
      .replace(/\/tasks\/[^/?#\s"']+/g, '/tasks/[link]')
      .replace(/([?&](?:token|nonce)=)[^&#\s"']+/gi, '$1[redacted]')
  );
}

/**
 * `REDRESS_LOG_LEVEL=silent` (the test stack) keeps warnings and errors only, as before; else
 * `POWERTOOLS_LOG_LEVEL` / Lambda's log level decide (default INFO).
 */
const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'redress',
  ...(process.env.REDRESS_LOG_LEVEL === 'silent' ? { logLevel: 'WARN' as const } : {}),
});

/** Keys the Logger owns (it drops them, with a warning): kept under another name instead. */
const RESERVED_KEYS: Record<string, string> = {
  level: 'detailLevel',
  message: 'detailMessage',
  timestamp: 'eventTimestamp',
  service: 'serviceName',
  sampling_rate: 'samplingRate',
  xray_trace_id: 'traceId',
};

function write(level: 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) {
  const safe = data
    ? Object.fromEntries(
        Object.entries(redact(data) as Record<string, unknown>).map(([key, value]) => [
          RESERVED_KEYS[key] ?? key,
          value,
        ]),
      )
    : undefined;
  if (safe) logger[level](redactText(message), safe);
  else logger[level](redactText(message));
}

export const log = {
  info: (message: string, data?: Record<string, unknown>) => write('info', message, data),
  warn: (message: string, data?: Record<string, unknown>) => write('warn', message, data),
  error: (message: string, data?: Record<string, unknown>) => write('error', message, data),
};

/**
 * Middy middleware: in Lambda, every line of the invocation carries the function name, request id
 * and cold start. Locally many invocations share one process and one logger, so it stays off
 * there rather than mix one invocation's context into another's lines.
 */
export function logContext(): MiddlewareObj {
  return {
    before: (request) => {
      if (process.env.AWS_LAMBDA_FUNCTION_NAME && request.context) logger.addContext(request.context as Context);
    },
    // An error that leaves the handler is printed by the Lambda runtime ("Invoke Error") and kept
    // in the workflow's history, outside this logger: its message and stack are redacted first.
    // Its name stays, so the workflow's Retry and Catch still match it.
    onError: (request) => {
      const error = request.error as Error | undefined;
      if (!(error instanceof Error)) return;
      error.message = redactText(error.message);
      if (error.stack) error.stack = redactText(error.stack);
    },
  };
}
