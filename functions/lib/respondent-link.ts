import { createHmac, timingSafeEqual } from 'node:crypto';
import { linkSigningKey } from './links';
import { settings } from './settings';

/**
 * The respondent's link to a case's messages: an HMAC of the complaint id and the respondent's
 * address under the link-signing key (nothing stored). It opens only the desk's messages to that
 * respondent and their answers, and stops working when the case names another respondent.
 */
async function respondentToken(complaintId: string, respondentEmail: string): Promise<string> {
  return createHmac('sha256', await linkSigningKey())
    .update(`respond:${complaintId}:${respondentEmail.trim().toLowerCase()}`)
    .digest('base64url');
}

export async function respondentUrl(complaintId: string, respondentEmail: string): Promise<string> {
  return `${settings().publicBaseUrl}/respond/${complaintId}?token=${await respondentToken(complaintId, respondentEmail)}`;
}

export async function isRespondentTokenValid(
  complaintId: string,
  respondentEmail: string | undefined,
  presented: string | undefined,
): Promise<boolean> {
  if (!respondentEmail || !presented) return false;
  const expected = Buffer.from(await respondentToken(complaintId, respondentEmail));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
