import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { teamKeyOf } from '../domain/queue';
import { dynamo } from '../lib/clients/dynamo';
import { settings } from '../lib/settings';
import { everyComplaint } from '../store/analytics';
import { numberFragmentPuts } from '../store/case-views';
import { placeInViews } from '../store/complaints';

/**
 * Once, on a table written before the case views (the byView* and byName indexes, the number
 * parts): every case gets its view partition and fields, and its number's parts, as intake and
 * its closing would have given them. A one-off that reads the whole table; a case that changed
 * while it ran is counted in `changed` (running it again places those).
 */
export async function backfillCaseViews(): Promise<{ cases: number; placed: number; changed: number }> {
  const { desk } = settings();
  const counts = { cases: 0, placed: 0, changed: 0 };
  for await (const c of everyComplaint()) {
    counts.cases++;
    for (const { Put } of numberFragmentPuts(c.number, c.id)) await dynamo.send(new PutCommand(Put));
    const result = await placeInViews(c, teamKeyOf(desk, c));
    if (result !== 'in-place') counts[result]++;
  }
  return counts;
}
