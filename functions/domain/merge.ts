import type { ComplaintEvent } from './history';

/** The cases merged into this one (their `complaint.merged-in` events): the surviving case shows their evidence and messages. */
export function mergedCaseIds(events: readonly ComplaintEvent[]): string[] {
  return events
    .filter((e) => e.action === 'complaint.merged-in')
    .map((e) => String((e.details?.case as { id?: string } | undefined)?.id ?? ''))
    .filter(Boolean);
}
