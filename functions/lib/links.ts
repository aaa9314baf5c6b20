import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { settings } from './settings';

/**
 * Private links. A tracking token is an HMAC of the complaint id and a per-complaint salt under
 * the link-signing key: nothing secret is stored with the complaint, every email can carry the
 * link, and a new salt revokes one complaint's link. Task links are random ids stored hashed
 * (see open-task): they act, so they are single-use and bound to one person.
 *
 * The key comes from LINK_SIGNING_KEY (the local stack) or from the Secrets Manager secret named
 * by LINK_SIGNING_SECRET_ARN (the cloud), read once per container.
 */
let keyPromise: Promise<Buffer> | undefined;

async function loadKey(): Promise<Buffer> {
  const direct = process.env.LINK_SIGNING_KEY;
  if (direct) {
    if (direct.length < 32) throw new Error('Environment variable LINK_SIGNING_KEY must be at least 32 characters');
    return Buffer.from(direct);
  }
  const secretArn = process.env.LINK_SIGNING_SECRET_ARN;
  if (!secretArn) throw new Error('Environment variable LINK_SIGNING_KEY or LINK_SIGNING_SECRET_ARN must be set');
  const { SecretString } = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (!SecretString || SecretString.length < 32)
    throw new Error(`Secret ${secretArn} must hold at least 32 characters`);
  return Buffer.from(SecretString);
}

export function linkSigningKey(): Promise<Buffer> {
  keyPromise ??= loadKey().catch((error) => {
    keyPromise = undefined;
    throw error;
  });
  return keyPromise;
}

export function newTrackingSalt(): string {
  return randomBytes(12).toString('base64url');
}

export async function trackingToken(complaintId: string, salt: string): Promise<string> {
  return createHmac('sha256', await linkSigningKey())
    .update(`track:${complaintId}:${salt}`)
    .digest('base64url');
}

export async function isTrackingTokenValid(
  complaintId: string,
  salt: string,
  presented: string | undefined,
): Promise<boolean> {
  if (!presented) return false;
  const expected = Buffer.from(await trackingToken(complaintId, salt));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export async function trackingUrl(complaintId: string, salt: string): Promise<string> {
  return `${settings().publicBaseUrl}/complaints/${complaintId}?token=${await trackingToken(complaintId, salt)}`;
}

/** Where the sender of a held filing confirms it (held-filings.ts). */
export function heldFilingUrl(linkId: string): string {
  return `${settings().publicBaseUrl}/held-filings/${linkId}`;
}

export function taskUrl(linkId: string): string {
  return `${settings().publicBaseUrl}/tasks/${linkId}`;
}
