import { describe, expect, it } from 'vitest';
import { failedForGood, textOutcomeOf } from '../../functions/domain/sms';

/** What End User Messaging SMS's delivery events say about a text (docs/sms.md, "Delivery receipts"). */
describe('text delivery events', () => {
  it('reads delivered, on its way, failed and unknown from the event type', () => {
    expect(textOutcomeOf('TEXT_DELIVERED')).toBe('delivered');
    expect(textOutcomeOf('TEXT_SUCCESSFUL')).toBe('delivered');
    expect(textOutcomeOf('TEXT_PENDING')).toBe('pending');
    expect(textOutcomeOf('TEXT_QUEUED')).toBe('pending');
    for (const type of ['TEXT_CARRIER_UNREACHABLE', 'TEXT_BLOCKED', 'TEXT_INVALID', 'TEXT_TTL_EXPIRED', 'TEXT_SPAM'])
      expect(textOutcomeOf(type), type).toBe('failed');
    expect(textOutcomeOf('TEXT_UNKNOWN')).toBe('unknown');
    expect(textOutcomeOf('SOMETHING_NEW')).toBe('unknown');
  });

  it('counts a failure for good only on the text’s final event', () => {
    expect(failedForGood('TEXT_CARRIER_UNREACHABLE', true)).toBe(true);
    expect(failedForGood('TEXT_CARRIER_UNREACHABLE', false)).toBe(false);
    expect(failedForGood('TEXT_CARRIER_UNREACHABLE', undefined)).toBe(false);
    expect(failedForGood('TEXT_DELIVERED', true)).toBe(false);
    expect(failedForGood('TEXT_UNKNOWN', true)).toBe(false);
  });
});
