import { failedForGood, textOutcomeOf } from '../domain/sms';
import { log } from '../lib/log';
import { METRICS, recordMetric } from '../lib/metrics';
import { currentTime } from '../lib/clock';
import { settings } from '../lib/settings';
import { type SuppressionReason, suppressAddress } from '../store/suppressions';
import { recordTextStatus } from '../store/texts';
import { undeliveredEvent } from './shared/undelivered';

/** The part of an SES event (configuration-set event publishing, via EventBridge) this reads. */
export interface SesMailEvent {
  source?: string;
  'detail-type'?: string;
  detail: {
    eventType: 'Bounce' | 'Complaint' | string;
    mail?: { messageId?: string; timestamp?: string };
    bounce?: {
      bounceType?: 'Permanent' | 'Transient' | 'Undetermined' | string;
      bounceSubType?: string;
      bouncedRecipients?: { emailAddress: string }[];
      timestamp?: string;
    };
    complaint?: {
      complainedRecipients?: { emailAddress: string }[];
      complaintFeedbackType?: string;
      timestamp?: string;
    };
  };
}

/**
 * Records the addresses SES could not deliver to for good (a permanent bounce) or whose owner
 * marked Redress's mail as spam (a complaint), so sendEmail skips them from now on. Transient
 * bounces (a full mailbox) are not recorded: SES retries those itself. Idempotent (a put of the
 * same item), so EventBridge's retries are harmless.
 */
export async function recordMailEvent(event: SesMailEvent): Promise<{ suppressed: number }> {
  const { detail } = event;
  let reason: SuppressionReason;
  let addresses: string[];
  let at: string | undefined;
  let kind: string | undefined;
  if (detail.eventType === 'Bounce') {
    if (detail.bounce?.bounceType !== 'Permanent') {
      log.info('transient bounce ignored', {
        bounceType: detail.bounce?.bounceType ?? null,
        messageId: detail.mail?.messageId,
      });
      return { suppressed: 0 };
    }
    reason = 'bounce';
    addresses = (detail.bounce.bouncedRecipients ?? []).map((r) => r.emailAddress);
    at = detail.bounce.timestamp;
    kind = detail.bounce.bounceSubType;
  } else if (detail.eventType === 'Complaint') {
    reason = 'complaint';
    addresses = (detail.complaint?.complainedRecipients ?? []).map((r) => r.emailAddress);
    at = detail.complaint?.timestamp;
    kind = detail.complaint?.complaintFeedbackType;
  } else {
    log.warn('unexpected mail event ignored', { eventType: detail.eventType });
    return { suppressed: 0 };
  }
  const when = at && !Number.isNaN(Date.parse(at)) ? new Date(at) : currentTime();
  for (const address of addresses) await suppressAddress(address, reason, when, kind);
  if (addresses.length) recordMetric(METRICS.mailSuppressed, addresses.length, { reason });
  // The addresses themselves stay out of the log (the item key is their hash).
  log.warn('recipients suppressed', {
    reason,
    kind: kind ?? null,
    count: addresses.length,
    messageId: detail.mail?.messageId,
  });
  return { suppressed: addresses.length };
}

/**
 * The part of an End User Messaging SMS delivery event (a configuration set's event destination,
 * via SNS) this reads. `context` is what the sender gave SendTextMessage: the text's case and template.
 */
export interface TextDeliveryEvent {
  eventType: string;
  isFinal?: boolean;
  eventTimestamp?: number;
  messageId?: string;
  messageStatus?: string;
  context?: { complaintId?: string; template?: string };
}

export type TextEventResult =
  | { outcome: 'recorded'; status: string; undelivered: boolean }
  | { outcome: 'ignored'; why: 'not-about-a-case' | 'already-final-or-case-gone' };

/**
 * Records what a text's delivery event says on the text's item; when the text failed for good (a
 * final failure: blocked, unreachable, invalid, expired), the case's history says it was not
 * delivered, the same entry as a notice the outbox gave up (shared/undelivered.ts), in the same
 * write. Idempotent: once the final event is recorded, a repeat (or a late, earlier event) changes
 * nothing.
 */
export async function recordTextEvent(event: TextDeliveryEvent): Promise<TextEventResult> {
  const complaintId = event.context?.complaintId;
  if (!complaintId || !event.messageId) {
    log.info('text event not about a case; ignored', { eventType: event.eventType });
    return { outcome: 'ignored', why: 'not-about-a-case' };
  }
  const outcome = textOutcomeOf(event.eventType);
  const at =
    typeof event.eventTimestamp === 'number' && Number.isFinite(event.eventTimestamp)
      ? new Date(event.eventTimestamp).toISOString()
      : currentTime().toISOString();
  const undelivered = failedForGood(event.eventType, event.isFinal);
  const written = await recordTextStatus(
    complaintId,
    event.messageId,
    { outcome, eventType: event.eventType, at, final: event.isFinal === true },
    settings().desk.retentionDays,
    undelivered
      ? undeliveredEvent(at, {
          purpose: event.context?.template ?? 'text',
          channel: 'sms',
          why: 'failed',
          error: event.eventType,
        })
      : undefined,
  );
  if (!written) return { outcome: 'ignored', why: 'already-final-or-case-gone' };
  if (undelivered) log.warn('text not delivered; recorded on its case', { complaintId, eventType: event.eventType });
  return { outcome: 'recorded', status: outcome, undelivered };
}
