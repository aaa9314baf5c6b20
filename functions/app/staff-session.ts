import { hashSecret, newSecret } from '../domain/ids';
import { SESSION_SECONDS, type StaffMember, staffMember } from '../domain/staff';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { settings } from '../lib/settings';
import { consumeSignInLink, getSignInLink, revokeSession } from '../store/staff-sessions';

/** A signed-in staff member's session, as the desk's pages and use cases see it. */
export interface StaffSession {
  member: StaffMember;
  sessionHash: string;
  nonce: string;
  validUntil: string;
}

const LINK_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** Opening a sign-in link shows its button (with the nonce to post); it signs nobody in. */
export async function showSignInLink(linkId: string): Promise<{ open: true; nonce: string } | { open: false }> {
  const link = LINK_ID.test(linkId) ? await getSignInLink(hashSecret(linkId)) : undefined;
  if (
    !link ||
    link.usedAt ||
    link.validUntil <= currentTime().toISOString() ||
    !staffMember(settings().desk, link.email)
  )
    return { open: false };
  return { open: true, nonce: link.nonce };
}

/** Posting the link's button: uses it once and opens a 12-hour session; the secret goes in the cookie only. */
export async function signIn(
  linkId: string,
  nonce: string,
): Promise<{ signedIn: true; secret: string; maxAgeSeconds: number } | { signedIn: false }> {
  if (!LINK_ID.test(linkId)) return { signedIn: false };
  const linkIdHash = hashSecret(linkId);
  const link = await getSignInLink(linkIdHash);
  if (!link || !staffMember(settings().desk, link.email)) return { signedIn: false };
  const now = currentTime();
  const secret = newSecret();
  const validUntil = new Date(now.getTime() + SESSION_SECONDS * 1000).toISOString();
  const used = await consumeSignInLink(linkIdHash, nonce, now.toISOString(), hashSecret(secret), {
    email: link.email,
    nonce: newSecret(),
    createdAt: now.toISOString(),
    validUntil,
  });
  if (!used) return { signedIn: false };
  log.info('staff signed in');
  return { signedIn: true, secret, maxAgeSeconds: SESSION_SECONDS };
}

/** Ends the session server-side. */
export async function signOut(session: StaffSession): Promise<void> {
  await revokeSession(session.sessionHash, currentTime().toISOString());
}
