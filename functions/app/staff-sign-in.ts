import { hashSecret, newLinkId, newSecret } from '../domain/ids';
import { normaliseEmail, SIGN_IN_LIMITS, SIGN_IN_LINK_SECONDS, staffMember } from '../domain/staff';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { sendEmail } from '../lib/mailer';
import { TooManyRequestsError } from '../lib/problems';
import { settings } from '../lib/settings';
import { staffSignInEmail } from '../pages/emails';
import { countRequest, putSignInLink } from '../store/staff-sessions';

/**
 * Asks for a sign-in link. Whatever the address, the caller learns nothing more than that the
 * request was taken: the counters run first for every address, and only a staff address is mailed.
 */
export async function requestSignIn(input: { email: string; client: string }): Promise<void> {
  const now = currentTime();
  const windowMs = SIGN_IN_LIMITS.windowSeconds * 1000;
  const start = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const end = new Date(start.getTime() + windowMs);
  const email = normaliseEmail(input.email);
  const tooMany = () =>
    new TooManyRequestsError(
      'urn:redress:problem:staff-sign-in-limited',
      { 'zh-CN': '登录请求过于频繁，请稍后再试', en: 'Too many sign-in requests; try again later' },
      (end.getTime() - now.getTime()) / 1000,
    );
  if (
    !(await countRequest(
      hashSecret(`client:${input.client}`),
      start.toISOString(),
      end.toISOString(),
      SIGN_IN_LIMITS.perClient,
    ))
  )
    throw tooMany();
  if (
    !(await countRequest(
      hashSecret(`address:${email}`),
      start.toISOString(),
      end.toISOString(),
      SIGN_IN_LIMITS.perAddress,
    ))
  )
    throw tooMany();
  const { desk, publicBaseUrl } = settings();
  const member = staffMember(desk, email);
  if (!member) {
    log.info('staff sign-in asked for an address that is not staff');
    return;
  }
  const linkId = newLinkId();
  const validUntil = new Date(now.getTime() + SIGN_IN_LINK_SECONDS * 1000).toISOString();
  await putSignInLink(hashSecret(linkId), {
    email: member.email,
    nonce: newSecret(),
    createdAt: now.toISOString(),
    validUntil,
  });
  await sendEmail(
    staffSignInEmail({ to: member.email, url: `${publicBaseUrl}/staff/sign-in/${linkId}`, validUntil, config: desk }),
  );
  log.info('staff sign-in link sent', { role: member.role });
}
