import type { ComplaintRecord } from '../domain/complaint';
import type { ComplaintEvent } from '../domain/history';
import { platformEventsOf } from '../domain/platform-events';
import { settings } from '../lib/settings';
import { countDuplicate, putComplaint, type ComplaintItem } from './complaints';
import { putQueuedEvents } from './event-outbox';
import { putEvent } from './events';
import { idempotencyPut, type IdempotencyClaim, type StoredResponse } from './idempotency';
import { reserveNumber } from './numbers';
import { holdPhone } from './phones';
import { movePointer } from './subject-pointers';
import { writeIf, type TransactItems } from './table';

/**
 * What intake writes, each as one transaction across the entities it touches: a new complaint
 * (record, number, first events, the matter's pointer, the Idempotency-Key's first response), or
 * a repeat linked to the open case it repeats. A lost race says which condition it lost on.
 */

type TransactItem = TransactItems[number];

/** A concurrent request won: the same Idempotency-Key, or the same complainant on the same matter. */
export class IntakeRaceLostError extends Error {
  constructor(readonly lost: 'idempotency' | 'subject' | 'number' | 'complaint') {
    super(`intake write lost a race on ${lost}`);
    this.name = 'IntakeRaceLostError';
  }
}

async function transact(items: { item: TransactItem; tag?: IntakeRaceLostError['lost'] }[]): Promise<void> {
  let lost: IntakeRaceLostError['lost'][] = [];
  const written = await writeIf(
    items.map((i) => i.item),
    (failed) => {
      lost = failed.flatMap((index) => (items[index]?.tag ? [items[index]!.tag!] : []));
      return lost.length > 0;
    },
  );
  // A repeated Idempotency-Key outranks everything else it collided with: the answer is a replay.
  if (!written) throw new IntakeRaceLostError(lost.includes('idempotency') ? 'idempotency' : lost[0]!);
}

/**
 * Stores a new complaint in one transaction: the record, its number, its first events (and the
 * platform events they make, domain/platform-events.ts), the
 * pointer that makes the next filing on this matter a duplicate, the note that it holds the
 * complainant's number (phones.ts), and the Idempotency-Key's first response. `previousOnSubject` is the pointer's complaint as read before: if another request
 * moved it since, this one lost the race and must look again.
 */
export async function insertFiledComplaint(input: {
  record: ComplaintItem;
  events: ComplaintEvent[];
  previousOnSubject?: string;
  duplicateDays: number;
  idempotency?: IdempotencyClaim;
  response: StoredResponse;
  now: Date;
}): Promise<void> {
  const { record, now } = input;
  const pointer = movePointer({
    complainantKey: record.complainantKey,
    subjectKey: record.subjectKey,
    complaintId: record.id,
    receivedAt: record.receivedAt,
    previous: input.previousOnSubject,
    days: input.duplicateDays,
    now,
  });
  await transact([
    { item: putComplaint(record), tag: 'complaint' },
    { item: reserveNumber(record.number, record.id), tag: 'number' },
    ...input.events.map((event) => ({ item: putEvent(record.id, event) })),
    ...putQueuedEvents(platformEventsOf(record, input.events, settings().desk)).map((item) => ({ item })),
    { item: pointer, tag: 'subject' },
    ...(record.complainant.phone ? [{ item: holdPhone(record.complainant.phone, record.id, record.receivedAt) }] : []),
    ...(input.idempotency
      ? [{ item: idempotencyPut(input.idempotency, input.response, now), tag: 'idempotency' as const }]
      : []),
  ]);
}

/**
 * Links a repeated filing to the open case it repeats: an event on that case (with what the
 * complainant added) and a count on its record, while it is still open. No new record, no
 * workflow.
 */
export async function linkDuplicate(input: {
  original: ComplaintRecord;
  event: ComplaintEvent;
  idempotency?: IdempotencyClaim;
  response: StoredResponse;
  now: Date;
}): Promise<void> {
  const { original, now } = input;
  await transact([
    { item: countDuplicate(original, input.event.at), tag: 'subject' },
    { item: putEvent(original.id, input.event) },
    ...(input.idempotency
      ? [{ item: idempotencyPut(input.idempotency, input.response, now), tag: 'idempotency' as const }]
      : []),
  ]);
}
