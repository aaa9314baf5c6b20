/**
 * How an email recorded with a change of a case (the outbox) is delivered: tried at once, and
 * when the mail service does not take it, tried again later, waiting twice as long each time,
 * until it is sent, refused for good, or too old to be worth sending.
 */
export const MAIL_DELIVERY = {
  /** The first try happens with the change; the sender leaves a new item alone this long, so it does not race that try. */
  firstTryGraceSeconds: 120,
  /**
   * The outbox's sender takes an email before it tries it: no other run may send it for this long
   * (longer than a run of the sender, 60 s), and it is due again after that should the run die
   * mid-try.
   */
  takenForSeconds: 120,
  /** Wait after the first failed try; doubled after each further one. */
  firstRetrySeconds: 30,
  /** The longest wait between tries. */
  maxRetrySeconds: 3600,
  /** An email still unsent this long after its change is given up, and the case records that it was not delivered. */
  giveUpAfterSeconds: 3 * 86400,
} as const;

/** When to try again after `attempts` failed tries (1 or more). */
export function nextTryAt(attempts: number, now: Date): Date {
  const wait = Math.min(
    MAIL_DELIVERY.firstRetrySeconds * 2 ** Math.max(0, attempts - 1),
    MAIL_DELIVERY.maxRetrySeconds,
  );
  return new Date(now.getTime() + wait * 1000);
}

/** When the sender first looks at an email recorded at `queuedAt`, if its first try did not send it. */
export function firstLookAt(queuedAt: Date): Date {
  return new Date(queuedAt.getTime() + MAIL_DELIVERY.firstTryGraceSeconds * 1000);
}

/**
 * Errors of the mail service that no retry can mend: the message or its sender is refused. Any
 * other error (throttling, a paused account, the service unreachable) is tried again.
 */
const REFUSED_FOR_GOOD = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'ConfigurationSetDoesNotExistException',
  'InvalidParameterValue',
  'ValidationError',
  // End User Messaging SMS: a number it cannot text, or one on its opt-out list.
  'ValidationException',
  'ConflictException',
  // SES v2's names (it sends): a request it cannot take, a configuration set it does not have.
  'BadRequestException',
  'NotFoundException',
]);

export type DeliveryVerdict = { kind: 'retry'; at: Date } | { kind: 'give-up'; why: 'refused' | 'too-old' };

/** What to do with an email whose try just failed with `errorName`, after `attempts` tries in all. */
export function afterFailedTry(
  errorName: string | undefined,
  attempts: number,
  queuedAt: Date,
  now: Date,
): DeliveryVerdict {
  if (errorName && REFUSED_FOR_GOOD.has(errorName)) return { kind: 'give-up', why: 'refused' };
  if (now.getTime() - queuedAt.getTime() >= MAIL_DELIVERY.giveUpAfterSeconds * 1000)
    return { kind: 'give-up', why: 'too-old' };
  return { kind: 'retry', at: nextTryAt(attempts, now) };
}
