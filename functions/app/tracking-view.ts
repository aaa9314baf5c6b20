import type { ComplaintRecord } from '../domain/complaint';
import type { ComplaintEvent } from '../domain/history';
import { reviewEligibility } from '../domain/review';
import { currentTime } from '../lib/clock';
import { listEvents } from '../store/events';
import { caseContextOf } from './shared/case';

/** What the complainant's tracking link shows: the case's history, and whether a review may be asked for now. */
export async function trackingViewOf(
  complaint: ComplaintRecord,
): Promise<{ events: ComplaintEvent[]; canRequestReview: boolean }> {
  const { levels, clockScale } = caseContextOf(complaint);
  return {
    events: await listEvents(complaint.id),
    canRequestReview: reviewEligibility(complaint, levels, clockScale, currentTime()).ok,
  };
}
