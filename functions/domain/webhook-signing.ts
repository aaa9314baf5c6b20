import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How Redress signs what it sends to the platform (webhooks) and checks what the platform sends
 * back (POST /integrations/actions): HMAC-SHA256, keyed with a shared secret, over
 * `<timestamp>.<body>` (the timestamp in Unix seconds, the body byte for byte), in hex.
 *
 * A secret is rotated without downtime: while two are active, every request carries one
 * signature per secret (`v1=<hex>, v1=<hex>`), and a receiver accepts the request when any of them
 * matches any secret it knows. The timestamp is signed too, so a captured request cannot be
 * replayed once it is older than the tolerance.
 */
export const SIGNATURE_HEADERS = {
  /** `v1=<hex>`, one per active secret, comma-separated. */
  signature: 'redress-signature',
  /** Unix seconds when the request was signed. */
  timestamp: 'redress-timestamp',
  /** The event's id (webhooks): the same on every retry of one event; de-duplicate on it. */
  eventId: 'redress-event-id',
  /** The event's type (webhooks). */
  eventType: 'redress-event-type',
} as const;

/** How far a signed timestamp may be from the receiver's clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
/** At most this many secrets are active at once (the current one, and the one it replaces). */
export const MAX_ACTIVE_SECRETS = 2;

export function signatureOf(secret: string, timestamp: number | string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** The signature header's value: one `v1=` per active secret (the first two). */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  if (!secrets.length) throw new Error('no secret to sign with');
  return secrets
    .slice(0, MAX_ACTIVE_SECRETS)
    .map((secret) => `v1=${signatureOf(secret, timestamp, body)}`)
    .join(', ');
}

/** The headers of a signed request: timestamp and signatures. */
export function signedHeaders(secrets: readonly string[], now: Date, body: string): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    [SIGNATURE_HEADERS.timestamp]: String(timestamp),
    [SIGNATURE_HEADERS.signature]: signatureHeader(secrets, timestamp, body),
  };
}

export type SignatureCheck = { ok: true } | { ok: false; why: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/**
 * Whether a request is signed by one of `secrets`: its timestamp within the tolerance of `now`,
 * and any `v1=` signature it carries equal (in constant time) to the HMAC of one secret.
 */
export function verifySignature(input: {
  secrets: readonly string[];
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  now: Date;
  toleranceSeconds?: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, why: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, why: 'malformed' };
  const offered = signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => part.slice(3));
  if (!offered.length || offered.some((hex) => !/^[0-9a-f]{64}$/.test(hex))) return { ok: false, why: 'malformed' };
  const skew = Math.abs(input.now.getTime() / 1000 - Number(timestamp));
  if (skew > (input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) return { ok: false, why: 'stale' };
  for (const secret of input.secrets) {
    const expected = Buffer.from(signatureOf(secret, timestamp, input.body), 'hex');
    if (offered.some((hex) => timingSafeEqual(expected, Buffer.from(hex, 'hex')))) return { ok: true };
  }
  return { ok: false, why: 'mismatch' };
}

/** When a failed webhook delivery is tried again (its `attempt`-th failure): 30 s doubling, at most 1 h. */
export function webhookRetryDelaySeconds(attempt: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempt - 1));
}

/** A delivery is given up (to the dead-letter queue) after this many tries. */
export const WEBHOOK_MAX_ATTEMPTS = 8;
