import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PLATFORM_EVENT_SOURCE, type PlatformEvent } from '../../domain/platform-events';
import { eventBridge } from '../../lib/clients/eventbridge';
import { settings } from '../../lib/settings';

/** PutEvents takes at most this many entries a call. */
export const PUT_EVENTS_BATCH = 10;

/**
 * Publishes events on the desk's bus (source `redress`, detail-type the event's type, detail the
 * event). Returns, for each event, undefined when the bus took it or the error it gave: PutEvents
 * answers per entry, so one refused entry does not fail the others.
 */
export async function publishEvents(events: readonly PlatformEvent[]): Promise<(string | undefined)[]> {
  const results: (string | undefined)[] = [];
  for (let start = 0; start < events.length; start += PUT_EVENTS_BATCH) {
    const batch = events.slice(start, start + PUT_EVENTS_BATCH);
    const { Entries = [] } = await eventBridge.send(
      new PutEventsCommand({
        Entries: batch.map((event) => ({
          EventBusName: settings().eventBusName,
          Source: PLATFORM_EVENT_SOURCE,
          DetailType: event.type,
          Detail: JSON.stringify(event),
          Time: new Date(event.occurredAt),
        })),
      }),
    );
    batch.forEach((_, i) => {
      const entry = Entries[i];
      results.push(entry?.EventId ? undefined : (entry?.ErrorCode ?? 'NoEventId'));
    });
  }
  return results;
}
