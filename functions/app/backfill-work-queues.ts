import { teamKeyOf } from '../domain/queue';
import { settings } from '../lib/settings';
import { everyComplaint } from '../store/analytics';
import { placeInWorkQueues } from '../store/complaints';

/**
 * Once, on a table written before the work queues (the byTeam index): every case gets its team
 * partition and every case on a staff step its queue position, as intake and the step's write
 * would have given them. A one-off that reads the whole table; a case that changed while it ran
 * is counted in `changed` (running it again places those).
 */
export async function backfillWorkQueues(): Promise<{ cases: number; placed: number; changed: number }> {
  const { desk } = settings();
  const counts = { cases: 0, placed: 0, changed: 0 };
  for await (const c of everyComplaint()) {
    counts.cases++;
    const result = await placeInWorkQueues(c, teamKeyOf(desk, c));
    if (result !== 'in-place') counts[result]++;
  }
  return counts;
}
