/**
 * Whether an error means a dependency is overloaded or briefly unavailable — throttled, timed out,
 * refused a connection, or lost a race it would win on a retry — rather than a fault in the
 * request or in this code. Such an error is answered `503` with `Retry-After`, never `500`:
 * nothing was written (every change is one conditional write or one transaction), so the client
 * may send the same request again.
 */
const OVERLOAD_ERRORS = new Set([
  // DynamoDB
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'TransactionConflictException',
  'TransactionInProgressException',
  'InternalServerError',
  'ReplicatedWriteConflictException',
  // Step Functions, SES, S3, the SDK's own
  'Throttling',
  'TooManyRequestsException',
  'LimitExceededException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalError',
  'SlowDown',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AbortError',
]);

/** Socket errors of a dependency that did not answer (as Node names them). */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'EAI_AGAIN']);

/** Reasons a DynamoDB transaction is cancelled for that a retry can get past. */
const TRANSIENT_CANCELLATIONS = new Set(['ThrottlingError', 'TransactionConflict', 'ProvisionedThroughputExceeded']);

interface ErrorShape {
  name?: string;
  code?: string;
  $retryable?: unknown;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
  CancellationReasons?: { Code?: string }[];
  cause?: unknown;
}

export function isOverload(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const e = error as ErrorShape;
  if (e.name && OVERLOAD_ERRORS.has(e.name)) return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  // An AWS service's own server fault (any 5xx) or throttle (429) passes with time.
  if (e.$metadata && status !== undefined && (status >= 500 || status === 429)) return true;
  if (
    e.name === 'TransactionCanceledException' &&
    e.CancellationReasons?.some((r) => TRANSIENT_CANCELLATIONS.has(r.Code ?? ''))
  ) {
    // Cancelled for a conflict or a throttle only, not a failed condition (that is the use case's answer).
    return !e.CancellationReasons.some((r) => r.Code === 'ConditionalCheckFailed');
  }
  return isOverload(e.cause, depth + 1);
}

/** How long a client should wait before retrying an overloaded request (jittered so retries spread). */
export function overloadRetryAfterSeconds(random = Math.random): number {
  return 1 + Math.floor(random() * 4);
}
