import type { ComplaintRecord } from '../domain/complaint';
import { trackingUrl } from '../lib/links';

/** The complainant as a mail's recipient: address, name, case number, tracking link and language. */
export async function complainantRecipient(complaint: ComplaintRecord) {
  return { to: complaint.complainant.email, name: complaint.complainant.name, number: complaint.number, trackingUrl: await trackingUrl(complaint.id, complaint.trackingSalt), language: complaint.language };
}
