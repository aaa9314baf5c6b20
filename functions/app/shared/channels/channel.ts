import type { Channel, Notice } from '../../../domain/notice';

/**
 * One way of reaching a person. The notifier picks the channels of a notice (domain/notice.ts
 * channelsFor) among those whose adapter can say its template, and hands the notice to each.
 */
export interface ChannelAdapter {
  channel: Channel;
  /** Whether this channel has a form of the template. */
  says(template: string): boolean;
  /**
   * Whether a use case's change tries it at once (`deliver`). A channel that is not immediate
   * is sent only by the outbox's scheduled sender, due as soon as it is written, so only that one
   * function holds the channel's permissions.
   */
  immediate: boolean;
  /**
   * Renders the notice for this channel and sends it. Resolves to what came of it: sent (with the
   * provider's message id, when it gives one), or withheld on purpose (the address bounced, the
   * number opted out); throws the provider's error when the send failed (the outbox decides
   * whether to try again). `complaintId` names the case it is about, when it is about one.
   */
  send(notice: Notice, complaintId?: string): Promise<SendResult>;
  /** How many sends a second the provider takes from this account. */
  ratePerSecond(): Promise<number>;
}

export type SendResult = { sent: true; id?: string } | { sent: false; withheld: 'suppressed' | 'opted-out' };
