import type { ComplaintRecord } from '../../domain/complaint';
import { trackingUrl } from '../../lib/links';
import { replyAddressFor } from './reply-address';
import { settings } from '../../lib/settings';

/**
 * The complainant as a mail's recipient: address, name, case number, tracking link and language,
 * and (when email in is on) the case's reply address as Reply-To, so a reply lands on the case.
 */
export async function complainantRecipient(complaint: ComplaintRecord) {
  const replyTo = await complainantReplyAddress(complaint);
  return {
    to: complaint.complainant.email,
    name: complaint.complainant.name,
    number: complaint.number,
    trackingUrl: await trackingUrl(complaint.id, complaint.trackingSalt),
    language: complaint.language,
    ...(replyTo ? { replyTo } : {}),
  };
}

/** The case's reply address for its complainant (`reply+<token>@<inbound domain>`), or undefined when email in is off. */
export async function complainantReplyAddress(
  complaint: Pick<ComplaintRecord, 'id' | 'complainant'>,
): Promise<string | undefined> {
  const { inbound } = settings().desk;
  return inbound.enabled ? replyAddressFor(complaint.id, complaint.complainant.email, inbound.address) : undefined;
}
