import { hourKeyedDueCases, moveDueTime, removeSweepCheckpoint } from '../store/open-cases';

/**
 * Once, on a table swept before the index's shard key: every open case still under an hour key
 * moves to its shard, due when it was (only while it is due as read: a case that changed
 * meanwhile was given its shard by that change, or closed). When none changed meanwhile, the
 * checkpoint of the hours goes, and with it the sweep's walk of them; otherwise run it again.
 */
export async function backfillSweepDue(): Promise<{ cases: number; placed: number; changed: number }> {
  const counts = { cases: 0, placed: 0, changed: 0 };
  for await (const { id, sweepDueAt } of hourKeyedDueCases()) {
    counts.cases++;
    if (await moveDueTime(id, sweepDueAt, new Date(sweepDueAt))) counts.placed++;
    else counts.changed++;
  }
  if (!counts.changed) await removeSweepCheckpoint();
  return counts;
}
