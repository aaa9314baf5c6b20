import { nextPublishTry } from '../../domain/platform-events';
import { currentTime } from '../../lib/clock';
import { publishEvents } from './event-bus';
import { log } from '../../lib/log';
import { deferQueuedEvent, listCaseEvents, removeQueuedEvent, type QueuedEvent } from '../../store/event-outbox';

/**
 * Publishes the given waiting events; each the bus took leaves the outbox, each it did not is
 * counted and given its next try. Never throws: what is not published stays in the outbox.
 */
export async function publishWaiting(items: readonly QueuedEvent[]): Promise<{ published: number; deferred: number }> {
  const counts = { published: 0, deferred: 0 };
  if (!items.length) return counts;
  let errors: (string | undefined)[];
  try {
    errors = await publishEvents(items.map((item) => item.event));
  } catch (error) {
    const name = (error as { name?: string })?.name ?? 'Error';
    errors = items.map(() => name);
  }
  const now = currentTime();
  for (const [i, item] of items.entries()) {
    const error = errors[i];
    try {
      if (!error) {
        await removeQueuedEvent(item);
        counts.published++;
        continue;
      }
      const attempts = item.attempts + 1;
      const at = nextPublishTry(attempts, now).toISOString();
      await deferQueuedEvent(item, attempts, at, error);
      counts.deferred++;
      log.warn('event not published; tried again later', {
        complaintId: item.event.complaintId,
        eventId: item.event.id,
        type: item.event.type,
        attempts,
        error,
        nextTryAt: at,
      });
    } catch (writeError) {
      // Published but still queued: it is published again, and consumers de-duplicate on its id.
      log.error('event outbox not updated', { eventId: item.event.id, error: writeError });
    }
  }
  return counts;
}

/** The first try of a case's events, right after the change that wrote them; never throws. */
export async function publishCaseEvents(complaintId: string): Promise<void> {
  try {
    await publishWaiting(await listCaseEvents(complaintId));
  } catch (error) {
    log.error('case events not published now; the outbox publishes them later', { complaintId, error });
  }
}
