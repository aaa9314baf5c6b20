import type { ComplaintRecord } from '../domain/complaint';
import { shardOf } from './schema';

/**
 * An open case's place in the bySweepDue index (schema.ts): `sweepDueAt`, when it should next
 * have moved (domain/stalled.ts `movesBy`), is the sort key; `sweepDue = DUE#<n>` the partition
 * key, a shard of the case id, so the writes of a busy desk (every case between steps is due
 * minutes ahead: at a million complaints a day, a few hundred writes a second) spread over
 * SWEEP_DUE_SHARDS keys instead of one. A sweep reads each shard up to now, whenever it last ran:
 * what it reads is what is due, however long it was stopped. Closing a case removes both
 * (NOT_DUE): the index holds open cases only.
 *
 * Tables written before this key kept each case under the UTC hour of its due time
 * (`DUE#<hour>#<n>`) and a checkpoint of the hours swept: the sweep still walks those hours while
 * that checkpoint exists, and `npm run sweep:backfill` moves such cases to their shard and removes
 * it.
 */
export const SWEEP_DUE_SHARDS = 8;
const DUE_PREFIX = 'DUE#';

/** Every shard's partition key: what one sweep reads. */
export const sweepDueKeys = (): string[] =>
  Array.from({ length: SWEEP_DUE_SHARDS }, (_, shard) => `${DUE_PREFIX}${shard}`);

/** The hour bucket of an instant, as the hour-keyed index named it: `2025-03-10T12` (UTC). */
export const dueHourOf = (at: Date): string => at.toISOString().slice(0, 13);

/** The instant a bucket starts. */
export const dueHourStart = (hour: string): Date => new Date(`${hour}:00:00.000Z`);

/** The bucket after this one. */
export const nextDueHour = (hour: string): string => dueHourOf(new Date(dueHourStart(hour).getTime() + 3_600_000));

/** The partition keys of one hour of the hour-keyed index, a key per shard. */
export const hourDueKeys = (hour: string): string[] =>
  Array.from({ length: SWEEP_DUE_SHARDS }, (_, shard) => `${DUE_PREFIX}${hour}#${shard}`);

/** Whether a stored `sweepDue` is of the hour-keyed index. */
export const isHourDueKey = (sweepDue: string): boolean => /^DUE#\d{4}-\d\d-\d\dT\d\d#\d+$/.test(sweepDue);

/** The fields that put a case in the index, due at `due`: written with the change of state that sets it. */
export function sweepDueFields(id: string, due: Date): Required<Pick<ComplaintRecord, 'sweepDue' | 'sweepDueAt'>> {
  return {
    sweepDue: shardOf(DUE_PREFIX, id, SWEEP_DUE_SHARDS),
    sweepDueAt: due.toISOString(),
  };
}

/** Removes a closed case from the index. */
export const NOT_DUE = { sweepDue: undefined, sweepDueAt: undefined } as const;
