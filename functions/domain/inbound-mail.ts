import { LIMITS } from './complaint';
import { COMPLAINT_ID_PATTERN } from './ids';
import type { Language } from './language';

/**
 * Email in: which mail the desk takes, what it says, and where it goes. Plain rules on what
 * mailparser and SES tell; the use case (app/receive-mail.ts) reads the message and acts.
 */

/** Why a mail is not taken. Ignored mail is logged (reason only) and never answered: no loops. */
export type IgnoreReason =
  | 'spam'
  | 'virus'
  | 'spoofed'
  | 'too-large'
  | 'repeat'
  | 'auto-submitted'
  | 'bulk'
  | 'null-sender'
  | 'mailer-daemon'
  | 'own-message'
  | 'no-sender'
  | 'rate-limited'
  /** About a matter with a final ruling: held until its sender confirms it from their mailbox. */
  | 'held'
  | 'reply-not-from-complainant'
  /** Neither SPF nor DKIM showed the From to be the sender's: it lands on no case. */
  | 'unauthenticated'
  | 'no-case'
  | 'not-for-desk'
  | 'refused';

/** SES's receipt verdicts (`PASS`, `FAIL`, `GRAY`, `PROCESSING_FAILED`; absent where no check ran). */
export interface ReceiptVerdicts {
  spam?: string;
  virus?: string;
  spf?: string;
  dkim?: string;
  dmarc?: string;
}

const verdictIs = (verdict: string | undefined, status: 'PASS' | 'FAIL') => (verdict ?? '').toUpperCase() === status;

/**
 * A message that fails the virus or spam scan is never read, and one whose From fails DMARC is
 * a forged From: none of them is taken at all.
 */
export function verdictProblem(verdicts: ReceiptVerdicts): IgnoreReason | undefined {
  if (verdictIs(verdicts.virus, 'FAIL')) return 'virus';
  if (verdictIs(verdicts.spam, 'FAIL')) return 'spam';
  if (verdictIs(verdicts.dmarc, 'FAIL')) return 'spoofed';
  return undefined;
}

/**
 * Whether a message may land on a case (act on it, or even be kept on it unverified): its From
 * must be shown to be its sender's (SPF or DKIM PASS, and no DMARC FAIL), and both scans must have
 * passed. GRAY and PROCESSING_FAILED prove nothing, so they do not pass; neither does a verdict SES
 * did not give. A mail that cannot land is ignored, never answered.
 */
export function landingProblem(verdicts: ReceiptVerdicts): IgnoreReason | undefined {
  if (!verdictIs(verdicts.virus, 'PASS')) return 'virus';
  if (!verdictIs(verdicts.spam, 'PASS')) return 'spam';
  if (verdictIs(verdicts.dmarc, 'FAIL')) return 'spoofed';
  if (!verdictIs(verdicts.spf, 'PASS') && !verdictIs(verdicts.dkim, 'PASS')) return 'unauthenticated';
  return undefined;
}

export interface MailSignals {
  /** The SMTP envelope sender (MAIL FROM); '' or '<>' for a bounce. */
  envelopeSender?: string;
  /** The From address, lowercased. */
  from?: string;
  /** Header values, lowercased names (first occurrence). */
  headers: Record<string, string | undefined>;
  /** Addresses Redress sends from or receives at: mail from them is its own (a loop). */
  ownAddresses: readonly string[];
  /** The inbound domain: reply addresses there are Redress's own too. */
  inboundDomain: string;
}

const headerValue = (value: string | undefined) => (value ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * Auto-replies, bounces and the desk's own messages (RFC 3834 Auto-Submitted, Precedence
 * bulk/junk/list, a null or MAILER-DAEMON sender, From one of Redress's addresses): never taken,
 * never answered.
 */
export function automatedMailReason(mail: MailSignals): IgnoreReason | undefined {
  const envelope = mail.envelopeSender?.trim();
  if (envelope !== undefined && (envelope === '' || envelope === '<>')) return 'null-sender';
  const from = mail.from?.trim().toLowerCase();
  if (!from) return 'no-sender';
  const local = from.split('@')[0]!;
  if (/^(mailer-daemon|postmaster)$/.test(local) || /^(mailer-daemon|postmaster)@/i.test(envelope ?? ''))
    return 'mailer-daemon';
  if (
    mail.ownAddresses.some((own) => own.toLowerCase() === from) ||
    from.endsWith(`@${mail.inboundDomain.toLowerCase()}`)
  )
    return 'own-message';
  const autoSubmitted = headerValue(mail.headers['auto-submitted']);
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto-submitted';
  if (mail.headers['x-autoreply'] !== undefined || mail.headers['x-autorespond'] !== undefined) return 'auto-submitted';
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(headerValue(mail.headers.precedence))) return 'bulk';
  return undefined;
}

/** The domain of an address, lowercased. */
export function domainOf(address: string): string {
  return address.split('@').pop()!.trim().toLowerCase();
}

export const REPLY_LOCAL_PREFIX = 'reply+';
/** The MAC part of a reply address: 24 lowercase hex characters (96 bits). */
const REPLY_MAC_PATTERN = /^[0-9a-f]{24}$/;

/** The local part of a case's reply address: `reply+<complaint id>.<mac>` (lowercase: mail systems fold case). */
export function replyLocalPart(complaintId: string, mac: string): string {
  return `${REPLY_LOCAL_PREFIX}${complaintId.toLowerCase()}.${mac}`;
}

/** A reply address at the inbound domain, taken apart; undefined when it is not one. */
export function parseReplyAddress(
  address: string,
  inboundDomain: string,
): { complaintId: string; mac: string } | undefined {
  const at = address.trim().toLowerCase().lastIndexOf('@');
  if (at < 0) return undefined;
  const local = address.trim().toLowerCase().slice(0, at);
  if (domainOf(address) !== inboundDomain.toLowerCase() || !local.startsWith(REPLY_LOCAL_PREFIX)) return undefined;
  const [id, mac, ...rest] = local.slice(REPLY_LOCAL_PREFIX.length).split('.');
  const complaintId = (id ?? '').toUpperCase();
  if (rest.length || !COMPLAINT_ID_PATTERN.test(complaintId) || !REPLY_MAC_PATTERN.test(mac ?? '')) return undefined;
  return { complaintId, mac: mac! };
}

/** The case number a subject carries (`Re: [TS-20261122-7KQ4XM] …`), if any. */
export function caseNumberIn(subject: string | undefined): string | undefined {
  return /\[(TS-\d{8}-[0-9A-HJKMNP-TV-Z]{6})\]/i.exec(subject ?? '')?.[1]?.toUpperCase();
}

const QUOTE_HEADERS = [
  /^\s*On\b.+\bwrote:\s*$/i,
  /^\s*在.+写道[:：]\s*$/,
  /^\s*-{2,}\s*(Original Message|原始邮件|Forwarded message)\s*-{2,}\s*$/i,
];

/**
 * What the complainant wrote in a reply, without the quoted history: lines starting with `>` go,
 * and so does everything from an "On … wrote:" / "在 … 写道：" line (or a header block of the
 * quoted mail) on. A two-line "On …\n… wrote:" counts too.
 */
export function stripQuotedHistory(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (QUOTE_HEADERS.some((pattern) => pattern.test(line))) break;
    if (
      /^\s*On\b/i.test(line) &&
      /\bwrote:\s*$/i.test(lines[i + 1] ?? '') &&
      (lines[i + 2] ?? '').trimStart().startsWith('>')
    )
      break;
    if (line.trimStart().startsWith('>')) continue;
    kept.push(line);
  }
  return kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Chinese when the text has Han characters, else English. */
export function languageOfText(text: string): Language {
  return /\p{Script=Han}/u.test(text) ? 'zh-CN' : 'en';
}

/** Removes `Re:`/`Fwd:`/`回复：`/`转发：` prefixes. */
export function cleanSubject(subject: string | undefined): string {
  let s = (subject ?? '').trim();
  for (let previous = ''; previous !== s; ) {
    previous = s;
    s = s.replace(/^\s*(re|fw|fwd|aw|回复|答复|转发)\s*[:：]\s*/i, '');
  }
  return s.trim();
}

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The intake body a mail makes: the sender is the complainant (name from the From header, else
 * the address's local part), subject and text are the description, the category is the desk's
 * default for mail, the subject type `other` (a mail names no link or account the desk can trust).
 */
export function intakeFromMail(mail: {
  fromAddress: string;
  fromName?: string;
  subject?: string;
  text: string;
  defaultCategory: string;
}): Record<string, unknown> {
  const subject = cleanSubject(mail.subject);
  const text = mail.text
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const description = truncate([subject, text].filter(Boolean).join('\n\n'), LIMITS.description.max);
  const name = truncate(
    (mail.fromName ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim() || mail.fromAddress.split('@')[0]!,
    LIMITS.name,
  );
  return {
    channel: 'email',
    complainant: { name, email: mail.fromAddress, language: languageOfText(`${subject}\n${text}`) },
    category: mail.defaultCategory,
    subject: { type: 'other', ...(subject ? { name: truncate(subject, LIMITS.subjectName) } : {}) },
    description,
  };
}

/** An attachment's name as evidence: no path, no control characters, at most 200 characters. */
export function evidenceNameOf(fileName: string | undefined, index: number): string {
  const base = (fileName ?? '')
    .split(/[/\\]/)
    .pop()!
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return truncate(base || `attachment-${index + 1}`, 200);
}
