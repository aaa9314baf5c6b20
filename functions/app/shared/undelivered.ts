import type { ComplaintEvent } from '../../domain/history';
import type { Channel } from '../../domain/notice';

/** What the case's history says about a notice that did not reach its recipient. */
export interface Undelivered {
  purpose: string;
  channel: Channel;
  /** refused or too-old: the outbox gave it up; failed: the carrier reported it undelivered for good. */
  why: 'refused' | 'too-old' | 'failed';
  /** The provider's error or event type. */
  error: string;
  queuedAt?: string;
  sentAt?: string;
}

/**
 * The one history entry for a notice that did not get through, however that was learnt (the
 * outbox gave it up, or a text's delivery receipt said it failed): staff read which notice and by
 * which channel, and reach the person another way.
 */
export function undeliveredEvent(at: string, undelivered: Undelivered): ComplaintEvent {
  return {
    at,
    actor: 'system',
    action: undelivered.channel === 'sms' ? 'text.undelivered' : 'mail.undelivered',
    details: { ...undelivered },
  };
}
