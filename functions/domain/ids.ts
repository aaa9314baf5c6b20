import { createHash, randomBytes } from 'node:crypto';

// Crockford base32: no I, L, O, U, so a number read out on the phone is not misheard.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function randomCrockford(length: number, random: (n: number) => Buffer = randomBytes): string {
  const bytes = random(length);
  let out = '';
  for (let i = 0; i < length; i++) out += CROCKFORD[bytes[i]! & 31];
  return out;
}

/**
 * A complaint id: 10 characters of time then 16 of randomness (a ULID), so ids sort by receipt
 * and are valid Step Functions execution names (the execution name is the complaint id).
 */
export function newComplaintId(now: Date, random: (n: number) => Buffer = randomBytes): string {
  let time = now.getTime();
  let timePart = '';
  for (let i = 0; i < 10; i++) {
    timePart = CROCKFORD[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  return timePart + randomCrockford(16, random);
}

export const COMPLAINT_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * A complaint number a person can read out: TS-<date in the desk's time zone>-<6 random characters>.
 * Uniqueness is enforced by a conditional write of the number, not by a counter item, so intake
 * has no single hot partition.
 */
export function newComplaintNumber(now: Date, timeZone: string, random: (n: number) => Buffer = randomBytes): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `TS-${part('year')}${part('month')}${part('day')}-${randomCrockford(6, random)}`;
}

export const COMPLAINT_NUMBER_PATTERN = /^TS-\d{8}-[0-9A-HJKMNP-TV-Z]{6}$/;

/** A secret for a link (tracking or task): 256 bits, URL-safe. Only its hash is stored. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A link id: 128 random bits. */
export function newLinkId(): string {
  return randomBytes(16).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
