/**
 * What a text costs in segments, and what a reply to one means. A text is billed per segment:
 * in GSM-7 (plain Latin text) one segment holds 160 characters, or 153 each once the text is
 * split; any other character (Chinese, an emoji, a curly quote) makes the whole text UCS-2, 70
 * characters in one segment or 67 each once split.
 */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Characters of GSM-7's extension table: each takes two of a segment's places. */
const GSM7_EXTENDED = '^{}\\[~]|€\f';

export interface SegmentCount {
  encoding: 'GSM-7' | 'UCS-2';
  /** Characters as the encoding counts them (an extension character counts twice; UCS-2 counts UTF-16 units). */
  units: number;
  segments: number;
}

export function segmentsOf(text: string): SegmentCount {
  let gsm = true;
  let units = 0;
  for (const char of text) {
    if (GSM7_BASIC.includes(char)) units += 1;
    else if (GSM7_EXTENDED.includes(char)) units += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'GSM-7', units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  const ucs = text.length;
  return { encoding: 'UCS-2', units: ucs, segments: ucs <= 70 ? 1 : Math.ceil(ucs / 67) };
}

/**
 * A reply that stops texts: `T`, `TD` or `退订` (what Chinese carriers' texts ask for), `STOP`,
 * or `UNSUBSCRIBE`, alone, in any case and with spaces or punctuation around it. Anything else
 * (a question, "stop calling me about X") is not taken as an opt-out.
 */
const OPT_OUT_KEYWORDS = new Set(['T', 'TD', 'STOP', 'UNSUBSCRIBE', '退订']);

export function isOptOut(text: string): boolean {
  const word = text
    .trim()
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '')
    .toUpperCase();
  return OPT_OUT_KEYWORDS.has(word);
}

/**
 * What a delivery event of End User Messaging SMS says about a text: delivered (the phone or,
 * where the country reports no more, its carrier took it), failed (blocked, unreachable, invalid,
 * expired, refused as spam), still on its way (queued, pending), or unknown (no carrier ever
 * reported: the service says so after 72 hours). A failure counts for good only on the text's
 * final event (`isFinal`); an earlier one may still be followed by a delivery.
 */
export type TextOutcome = 'pending' | 'delivered' | 'failed' | 'unknown';

const DELIVERED_EVENTS = new Set(['TEXT_DELIVERED', 'TEXT_SUCCESSFUL']);
const PENDING_EVENTS = new Set(['TEXT_QUEUED', 'TEXT_PENDING']);
const FAILED_EVENTS = new Set([
  'TEXT_BLOCKED',
  'TEXT_TTL_EXPIRED',
  'TEXT_CARRIER_UNREACHABLE',
  'TEXT_INVALID',
  'TEXT_INVALID_MESSAGE',
  'TEXT_CARRIER_BLOCKED',
  'TEXT_UNREACHABLE',
  'TEXT_SPAM',
  'TEXT_PROTECT_BLOCKED',
]);

export function textOutcomeOf(eventType: string): TextOutcome {
  if (DELIVERED_EVENTS.has(eventType)) return 'delivered';
  if (PENDING_EVENTS.has(eventType)) return 'pending';
  if (FAILED_EVENTS.has(eventType)) return 'failed';
  return 'unknown';
}

/** A text the complainant will not get: a failure on its final event. The case then says so. */
export function failedForGood(eventType: string, isFinal: boolean | undefined): boolean {
  return isFinal === true && textOutcomeOf(eventType) === 'failed';
}
