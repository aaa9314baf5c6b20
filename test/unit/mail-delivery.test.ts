import { describe, expect, it } from 'vitest';
import { afterFailedTry, firstLookAt, MAIL_DELIVERY, nextTryAt } from '../../functions/domain/mail-delivery';

const queuedAt = new Date('2026-12-01T08:00:00Z');
const later = (seconds: number) => new Date(queuedAt.getTime() + seconds * 1000);

describe('delivering an email recorded with a change (the outbox)', () => {
  it('leaves a new email to its first try for a while, then looks at it', () => {
    expect(firstLookAt(queuedAt).toISOString()).toBe(later(MAIL_DELIVERY.firstTryGraceSeconds).toISOString());
  });

  it('waits twice as long after each failed try, up to an hour', () => {
    const now = later(10);
    expect(nextTryAt(1, now).getTime() - now.getTime()).toBe(30_000);
    expect(nextTryAt(2, now).getTime() - now.getTime()).toBe(60_000);
    expect(nextTryAt(3, now).getTime() - now.getTime()).toBe(120_000);
    expect(nextTryAt(20, now).getTime() - now.getTime()).toBe(3_600_000);
  });

  it('tries a throttled or unreachable mail service again', () => {
    for (const name of [
      'Throttling',
      'TooManyRequestsException',
      'LimitExceededException',
      'SendingPausedException',
      'ServiceUnavailable',
      'AccountSendingPausedException',
      'TimeoutError',
      undefined,
    ]) {
      expect(afterFailedTry(name, 1, queuedAt, later(5))).toEqual({ kind: 'retry', at: nextTryAt(1, later(5)) });
    }
  });

  it('gives up a message the mail service refuses for good, at once', () => {
    expect(afterFailedTry('MessageRejected', 1, queuedAt, later(5))).toEqual({ kind: 'give-up', why: 'refused' });
    expect(afterFailedTry('MailFromDomainNotVerifiedException', 1, queuedAt, later(5))).toEqual({
      kind: 'give-up',
      why: 'refused',
    });
    // SES v2 (which sends): a request it cannot take, a configuration set it does not have.
    for (const name of ['BadRequestException', 'NotFoundException'])
      expect(afterFailedTry(name, 1, queuedAt, later(5)), name).toEqual({ kind: 'give-up', why: 'refused' });
  });

  it('gives up an email still unsent three days after its change', () => {
    expect(afterFailedTry('Throttling', 40, queuedAt, later(3 * 86400 - 1)).kind).toBe('retry');
    expect(afterFailedTry('Throttling', 41, queuedAt, later(3 * 86400))).toEqual({ kind: 'give-up', why: 'too-old' });
  });
});
