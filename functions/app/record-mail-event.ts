import { log } from '../lib/log';
import { METRICS, recordMetric } from '../lib/metrics';
import { currentTime } from '../lib/clock';
import { type SuppressionReason, suppressAddress } from '../store/suppressions';

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
