import { newTrackingSalt } from '../lib/links';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { sendEmail } from './shared/mailer';
import { trackingLinkReplacedEmail } from '../pages/emails';
import { updateComplaint } from '../store/complaints';
import { complainantRecipient } from './shared/complainant-recipient';
import { done, type SelfServiceInput, type SelfServiceResult } from './shared/self-service';

/**
 * A new private tracking link, asked for from the old one (it was forwarded, or shown to someone):
 * a new salt revokes the old link at once, and the new one goes only to the complainant's own
 * address — never to whoever holds the old link.
 */
export async function replaceTrackingLink({ complaint }: SelfServiceInput): Promise<SelfServiceResult> {
  const at = currentTime().toISOString();
  const replaced = { ...complaint, trackingSalt: newTrackingSalt() };
  await updateComplaint(
    complaint.id,
    { trackingSalt: replaced.trackingSalt },
    { at, actor: 'complainant', action: 'tracking.replaced' },
  );
  await sendEmail(trackingLinkReplacedEmail(await complainantRecipient(replaced)));
  log.info('tracking link replaced', { complaintId: complaint.id });
  return done('tracking-replaced', 202, { replacedAt: at });
}
