import { hashSecret } from '../domain/ids';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { markEngaged } from '../store/engaged-addresses';
import { confirmHeldFiling, getHeldFiling, type HeldFiling } from '../store/held-filings';
import { banForMalice } from './shared/ban-for-malice';

const LINK_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** A held filing's link, as its page shows it: held (to confirm), already confirmed, or unknown/expired. */
export async function heldFilingOf(linkId: string): Promise<HeldFiling | undefined> {
  return LINK_ID.test(linkId) ? getHeldFiling(hashSecret(linkId), currentTime()) : undefined;
}

/**
 * Its sender confirms, from their own mailbox, that they filed again about a matter with a final
 * ruling: now it counts as malicious, and the ban is recorded (once, however often it is posted).
 */
export async function confirmHeld(
  linkId: string,
): Promise<{ kind: 'banned'; ban: { permanent: boolean; until?: string } } | { kind: 'gone' }> {
  const held = await heldFilingOf(linkId);
  if (!held) return { kind: 'gone' };
  const now = currentTime();
  if (!(await confirmHeldFiling(held.linkIdHash, now.toISOString()))) return { kind: 'gone' };
  // The confirmation came from the address's own mailbox: it is real.
  await markEngaged(held.complainantKey, now.toISOString());
  const ban = await banForMalice({
    complainantKey: held.complainantKey,
    ruledComplaintId: held.ruledComplaintId,
    channel: held.channel,
    now,
  });
  log.info('held filing confirmed by its sender', { complaintId: held.ruledComplaintId });
  return { kind: 'banned', ban };
}
