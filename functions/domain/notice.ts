import type { Language } from './language';

/**
 * A notice: what a change of a case tells a person, said without choosing how. Use cases hand
 * one over (who, which template, its data); the outbox stores it; delivery renders it for each
 * channel that reaches the recipient (email, text).
 */
export interface Notice<Template extends string = string, Data = Record<string, unknown>> {
  to: NoticeRecipient;
  template: Template;
  data: Data;
}

/** Who a notice is for, with every way to reach them and the language they read. */
export interface NoticeRecipient {
  email?: string;
  /** E.164 (`+8613800138000`). */
  phone?: string;
  /** Absent for staff: their mail carries both languages. */
  language?: Language;
  /** Where an email reply goes: a complainant's mail carries the case's reply address (email in). */
  replyTo?: string;
  /** How the person asked to be reached; when absent, every way they gave (email first). */
  prefer?: ChannelPreference;
}

export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_PREFERENCES = ['email', 'sms', 'both'] as const;
export type ChannelPreference = (typeof CHANNEL_PREFERENCES)[number];

/**
 * The channels a notice goes by: those the person asked for, among those they gave an address
 * for and that can say this notice (`offered`). When none of the asked-for ones can, any other
 * that reaches them does, so a person who gave a way to be reached is never told nothing. Email
 * is tried first when both are named.
 */
export function channelsFor(recipient: NoticeRecipient, offered: readonly Channel[]): Channel[] {
  const reachable = CHANNELS.filter(
    (channel) => offered.includes(channel) && (channel === 'email' ? !!recipient.email : !!recipient.phone),
  );
  const prefer = recipient.prefer ?? 'both';
  const asked = reachable.filter((channel) => prefer === 'both' || prefer === channel);
  return asked.length ? asked : reachable.slice(0, 1);
}
