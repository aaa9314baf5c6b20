import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { addressOfUnsubscribeToken } from '../lib/report-unsubscribe-link';
import { optOutOfReports } from '../store/report-opt-outs';

/** Whose weekly report a List-Unsubscribe link stops; undefined for a link that is not ours. */
export async function reportUnsubscribeOf(token: string): Promise<string | undefined> {
  return addressOfUnsubscribeToken(token);
}

/**
 * Stops the weekly report to the link's address (one-click, RFC 8058, or the page's button):
 * the next run plans none for it. Saying it twice is saying it once.
 */
export async function unsubscribeFromReports(token: string): Promise<{ address: string } | undefined> {
  const address = await addressOfUnsubscribeToken(token);
  if (!address) return undefined;
  await optOutOfReports(address, currentTime());
  log.info('weekly report unsubscribed');
  return { address };
}
