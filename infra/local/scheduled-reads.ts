import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { EVENT_DUE_PREFIX } from '../../functions/store/event-outbox';
import { MAIL_DUE_PREFIX } from '../../functions/store/outbox';
import { REPORT_DUE_PREFIX } from '../../functions/store/reports';
import { type IndexName, PARTITIONS, TABLE_INDEXES, TABLE_KEYS } from '../../functions/store/schema';

/** The items a scheduled function finds work in: `attribute` set (beginning with `prefix`), and due by now (`dueAt`). */
interface Reads {
  attribute: string;
  prefix?: string;
  dueAt?: string;
}

const dueUnder = (name: IndexName, prefix?: string): Reads => ({
  attribute: TABLE_INDEXES[name].partitionKey,
  dueAt: TABLE_INDEXES[name].sortKey,
  ...(prefix ? { prefix } : {}),
});

/** What each scheduled function reads; a function not named here may find work in any change. */
const SCHEDULED_READS: Record<string, Reads> = {
  DeliverQueuedMail: dueUnder('byMailDue', MAIL_DUE_PREFIX),
  DeliverQueuedEvents: dueUnder('byMailDue', EVENT_DUE_PREFIX),
  DeliverWeeklyReports: dueUnder('byMailDue', REPORT_DUE_PREFIX),
  SweepStalledCases: dueUnder('bySweepDue'),
  PurgeDueErasures: dueUnder('byPurgeDue'),
  // A pending start is taken a grace period after it was written: any pending one.
  StartPendingWorkflows: { attribute: TABLE_INDEXES.byWorkflowPending.partitionKey },
  // The stream's batches of figures, rolled up as they come.
  AggregateAnalytics: { attribute: TABLE_KEYS.partitionKey, prefix: PARTITIONS.analyticsBatch },
};

/** Of `ids`, the scheduled functions that items written as `images` (a stream's new images) give work by `now`. */
export function scheduledReadersOf(
  ids: readonly string[],
  images: readonly Record<string, AttributeValue>[],
  now: Date,
): string[] {
  const at = now.toISOString();
  return ids.filter((id) => {
    const reads = SCHEDULED_READS[id];
    if (!reads) return images.length > 0;
    return images.some((image) => {
      const value = image[reads.attribute]?.S;
      if (value === undefined || (reads.prefix && !value.startsWith(reads.prefix))) return false;
      const due = reads.dueAt && image[reads.dueAt]?.S;
      return !due || due <= at;
    });
  });
}
