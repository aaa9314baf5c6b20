import type { ComplaintRecord } from '../domain/complaint';
import { evidenceFromEvents } from '../domain/evidence-policy';
import type { ComplaintEvent } from '../domain/history';
import { mergedCaseIds } from '../domain/merge';
import { threadOf } from '../domain/thread';
import { NotFoundError } from '../lib/http';
import { withDownloadLinks } from '../store/evidence-objects';
import { listEvents } from '../store/events';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

/**
 * Files sent with the desk's messages (uploaded by staff: staff-attachment.ts). Its recipient fetches it through their own link only: the
 * complainant's tracking token opens the files of the desk's messages to them, the respondent's
 * link those to the respondent; each fetch hands out a download link that soon expires.
 */
const NO_FILE = USE_CASE_TEXTS.noSuchFile;

/** A short-lived download link for a file the desk sent to this side, or 404 (nothing else is reachable). */
export async function messageFileUrl(
  complaint: ComplaintRecord,
  side: 'complainant' | 'respondent',
  fileId: string,
): Promise<string> {
  const events = await listEvents(complaint.id);
  let item = sentFile(events, side, fileId);
  // The complainant reads the messages of their cases merged into this one here too, with their files.
  if (!item && side === 'complainant')
    for (const merged of mergedCaseIds(events)) {
      item = sentFile(await listEvents(merged), side, fileId);
      if (item) break;
    }
  if (!item) throw new NotFoundError(NO_FILE);
  const [linked] = await withDownloadLinks([item]);
  return linked!.url;
}

/** The file, when the desk sent it to this side in a message of these events. */
function sentFile(events: ComplaintEvent[], side: 'complainant' | 'respondent', fileId: string) {
  const sent = threadOf(events, side).some(
    // The desk's messages to this side, and (the respondent) the files they attached themselves.
    (entry) => (entry.to === side || entry.from === side) && entry.attachments?.some((file) => file.id === fileId),
  );
  return sent ? evidenceFromEvents(events).find((e) => e.id === fileId) : undefined;
}
