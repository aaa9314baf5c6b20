/** One email, with a plain-text body and an HTML body that say the same. */
export interface EmailMessage {
  to: string;
  /** Where a reply goes: a complainant's mail carries the case's reply address (email in). */
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
}
