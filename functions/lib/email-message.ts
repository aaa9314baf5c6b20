import type { Language } from '../domain/language';

/** One email, with a plain-text body and an HTML body that say the same. */
export interface EmailMessage {
  to: string;
  /** Where a reply goes: a complainant's mail carries the case's reply address (email in). */
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** The reader's language: the sender's display name is said in it (both, when unknown). */
  language?: Language;
  /** A mailing list's unsubscribe link (the weekly report): sent as List-Unsubscribe with one-click POST. */
  listUnsubscribe?: string;
}
