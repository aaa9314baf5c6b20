import type { Channel, Notice } from '../../domain/notice';

/**
 * One way of reaching a person. The notifier picks the channels of a notice (domain/notice.ts
 * channelsFor) among those whose adapter can say its template, and hands the notice to each.
 */
export interface ChannelAdapter {
  channel: Channel;
  /** Whether this channel has a form of the template. */
  says(template: string): boolean;
  /**
   * Renders the notice for this channel and sends it. Resolves to the provider's message id, or
   * undefined when it deliberately sends nothing (the address bounced, the number opted out);
   * throws the provider's error when the send failed (the outbox decides whether to try again).
   */
  send(notice: Notice): Promise<string | undefined>;
  /** How many sends a second the provider takes from this account. */
  ratePerSecond(): Promise<number>;
}
