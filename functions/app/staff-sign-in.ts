import { hashSecret, newLinkId, newSecret } from '../domain/ids';
import { normaliseEmail, SIGN_IN_LINK_SECONDS, staffMember } from '../domain/staff';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { TooManyRequestsError } from '../lib/problems';
import { settings } from '../lib/settings';
import { notice } from '../pages/notices';
import { recordSignInMail, signInMailItem } from '../store/outbox';
import { countRequest, putSignInLink } from '../store/staff-sessions';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

/**
 * Asks for a sign-in link. The caller learns nothing but that the request was taken, and nobody
 * can keep a staff member from signing in by knowing their address:
 * - the client (source IP) is what a 429 limits, never the address;
 * - per address, only the mails are limited: past the allowance in a window no further link goes
 *   out, and the newest one mailed still works until it expires;
 * - staff or not, mailed or not, every request does the same work before it answers (the client's
 *   count, the address's count, one link item, one outbox item) and sends nothing: a staff link
 *   waits in the outbox, whose scheduled sender mails it (within its schedule, a minute in the
 *   cloud), so neither the answer nor its time tells staff addresses apart. A link that is not
 *   mailed names nobody and opens nothing, and its outbox item holds no message.
 */
export async function requestSignIn(input: { email: string; client: string }): Promise<void> {
  const now = currentTime();
  const { desk, publicBaseUrl } = settings();
  const limits = desk.staffSignIn;
  const windowMs = limits.windowSeconds * 1000;
  const start = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const end = new Date(start.getTime() + windowMs);
  const window = [start.toISOString(), end.toISOString()] as const;
  const email = normaliseEmail(input.email);
  if (!(await countRequest(hashSecret(`client:${input.client}`), ...window, limits.perClient)))
    throw new TooManyRequestsError(
      'urn:redress:problem:staff-sign-in-limited',
      USE_CASE_TEXTS.staffSignInLimited,
      (end.getTime() - now.getTime()) / 1000,
    );
  const member = staffMember(desk, email);
  const mayMail = await countRequest(hashSecret(`address:${email}`), ...window, limits.perAddress);
  const mailTo = member && mayMail ? member.email : undefined;
  const linkId = newLinkId();
  const linkIdHash = hashSecret(linkId);
  const validUntil = new Date(now.getTime() + SIGN_IN_LINK_SECONDS * 1000).toISOString();
  await putSignInLink(linkIdHash, {
    email: mailTo ?? '',
    nonce: newSecret(),
    createdAt: now.toISOString(),
    validUntil,
  });
  await recordSignInMail(
    signInMailItem(
      linkIdHash,
      mailTo
        ? notice('staff.sign-in', { email: mailTo }, { url: `${publicBaseUrl}/staff/sign-in/${linkId}`, validUntil })
        : undefined,
      now.toISOString(),
    ),
  );
  log.info(
    mailTo
      ? 'staff sign-in link queued'
      : member
        ? 'staff sign-in link not mailed: the address had its allowance'
        : 'staff sign-in asked for an address that is not staff',
    member ? { role: member.role } : {},
  );
}
