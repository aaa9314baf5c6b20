import { outboxBacklog } from '../domain/platform-events';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { METRICS, recordMetric } from '../lib/metrics';
import { getQueuedEvent, listDueEvents, type QueuedEvent } from '../store/event-outbox';
import { publishWaiting } from './shared/event-outbox';

/** The most events one run of the publisher lists (the next run takes the rest). */
const MOST_PER_RUN = 5000;

/**
 * The event outbox's publisher (on a schedule): every waiting event that is due is published, in
 * batches of PutEvents' size. An event is due when its first try failed (and its wait passed), or
 * when its change was written and no first try followed (a crash between the two).
 */
export async function deliverDueEvents(input: { limit?: number } = {}): Promise<{
  published: number;
  deferred: number;
}> {
  const now = currentTime();
  const due = await listDueEvents(now.toISOString(), input.limit ?? MOST_PER_RUN);
  const counts = { published: 0, deferred: 0 };
  const queuedAts: string[] = [];
  for (let start = 0; start < due.length; start += 10) {
    const items = (await Promise.all(due.slice(start, start + 10).map(getQueuedEvent))).filter(
      (item): item is QueuedEvent => !!item,
    );
    queuedAts.push(...items.map((item) => item.queuedAt));
    const result = await publishWaiting(items);
    counts.published += result.published;
    counts.deferred += result.deferred;
  }
  // From what this run read (no scan): every run reports, 0 included, so the alarm sees a backlog drain.
  const backlog = outboxBacklog(queuedAts, now);
  recordMetric(METRICS.eventsWaiting, backlog.waiting);
  recordMetric(METRICS.oldestWaitingEventAge, backlog.oldestSeconds);
  if (due.length) log.info('event outbox published', { due: due.length, ...counts, ...backlog });
  return counts;
}
