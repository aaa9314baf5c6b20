import { createHmac, timingSafeEqual } from 'node:crypto';
import { domainOf, replyLocalPart } from '../../domain/inbound-mail';
import { linkSigningKey } from '../../lib/links';

/**
 * A case's reply address, `reply+<complaint id>.<mac>@<inbound domain>`: the MAC is an HMAC of
 * the complaint id and the recipient's address under the link-signing key, so the address cannot
 * be guessed from a case number, nothing is stored for it, and a mail to it counts only when it
 * comes from the address it was sent to.
 */
async function replyMac(complaintId: string, recipient: string): Promise<string> {
  return createHmac('sha256', await linkSigningKey())
    .update(`reply:${complaintId.toUpperCase()}:${recipient.trim().toLowerCase()}`)
    .digest('hex')
    .slice(0, 24);
}

export async function replyAddressFor(complaintId: string, recipient: string, inboundAddress: string): Promise<string> {
  return `${replyLocalPart(complaintId, await replyMac(complaintId, recipient))}@${domainOf(inboundAddress)}`;
}

/** Whether `mac` is the one this case's reply address carries for this sender. */
export async function isReplyMacValid(complaintId: string, sender: string, mac: string): Promise<boolean> {
  const expected = Buffer.from(await replyMac(complaintId, sender));
  const given = Buffer.from(mac);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
