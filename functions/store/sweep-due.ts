import type { ComplaintRecord } from '../domain/complaint';
import { shardOf } from './schema';

/**
 * An open case's place in the bySweepDue index (schema.ts): `sweepDueAt`, when it should next
 * have moved (domain/stalled.ts `movesBy`), is the sort key; `sweepDue = DUE#<hour>#<n>` the
 * partition key: the UTC hour that time falls in, so a sweep reads only the hours that have
 * passed, and a shard of the case id, so the writes of a busy hour (every case between steps is
 * due minutes ahead: at a million complaints a day, a few hundred writes a second) spread over
 * SWEEP_DUE_SHARDS keys instead of one. Closing a case removes both (NOT_DUE): the index holds
 * open cases only.
 */
export const SWEEP_DUE_SHARDS = 8;
const DUE_PREFIX = 'DUE#';

/** The hour bucket of an instant: `2025-03-10T12` (UTC). */
export const dueHourOf = (at: Date): string => at.toISOString().slice(0, 13);

/** The instant a bucket starts. */
export const dueHourStart = (hour: string): Date => new Date(`${hour}:00:00.000Z`);

/** The bucket after this one. */
export const nextDueHour = (hour: string): string => dueHourOf(new Date(dueHourStart(hour).getTime() + 3_600_000));

/** The index partition key of one bucket's shard. */
export const sweepDueKey = (hour: string, shard: number): string => `${DUE_PREFIX}${hour}#${shard}`;

/** The fields that put a case in the index, due at `due`: written with the change of state that sets it. */
export function sweepDueFields(id: string, due: Date): Required<Pick<ComplaintRecord, 'sweepDue' | 'sweepDueAt'>> {
  return {
    sweepDue: shardOf(`${DUE_PREFIX}${dueHourOf(due)}#`, id, SWEEP_DUE_SHARDS),
    sweepDueAt: due.toISOString(),
  };
}

/** Removes a closed case from the index. */
export const NOT_DUE = { sweepDue: undefined, sweepDueAt: undefined } as const;
