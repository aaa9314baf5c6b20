import type { ComplaintRecord } from '../domain/complaint';
import type { ComplaintEvent } from '../domain/history';
import { reviewEligibility } from '../domain/review';
import { currentTime } from '../lib/clock';
import { listEvents } from '../store/events';
import { getComplaint } from '../store/complaints';
import { trackingUrl } from '../lib/links';
import { caseContextOf } from './shared/case';
import { mergedCases } from '../domain/merge';

/**
 * What the complainant's tracking link shows: the case's history, the histories of the cases
 * of theirs merged into it (their messages show there), and whether a review may be asked for now.
 */
export async function trackingViewOf(complaint: ComplaintRecord): Promise<{
  events: ComplaintEvent[];
  merged: { id: string; number: string; events: ComplaintEvent[] }[];
  canRequestReview: boolean;
  /** A merged case's link shows where it went: the surviving case's number and tracking link (the same complainant's). */
  mergedInto?: { number: string; trackingUrl: string };
}> {
  const { levels, clockScale } = caseContextOf(complaint);
  const survivor = complaint.mergedInto ? await getComplaint(complaint.mergedInto.id) : undefined;
  const events = await listEvents(complaint.id);
  const merged = await Promise.all(mergedCases(events).map(async (m) => ({ ...m, events: await listEvents(m.id) })));
  return {
    events,
    merged,
    canRequestReview: reviewEligibility(complaint, levels, clockScale, currentTime()).ok,
    ...(survivor
      ? { mergedInto: { number: survivor.number, trackingUrl: await trackingUrl(survivor.id, survivor.trackingSalt) } }
      : {}),
  };
}
