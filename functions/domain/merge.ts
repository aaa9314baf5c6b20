import type { ComplaintEvent } from './history';

/** The cases merged into this one (their `complaint.merged-in` events): the surviving case shows their evidence and messages. */
export function mergedCaseIds(events: readonly ComplaintEvent[]): string[] {
  return events
    .filter((e) => e.action === 'complaint.merged-in')
    .map((e) => String((e.details?.case as { id?: string } | undefined)?.id ?? ''))
    .filter(Boolean);
}

/** The cases merged into this one, each with the number its `complaint.merged-in` event gave it. */
export function mergedCases(events: readonly ComplaintEvent[]): { id: string; number: string }[] {
  return events
    .filter((e) => e.action === 'complaint.merged-in')
    .map((e) => e.details?.case as { id?: string; number?: string } | undefined)
    .filter((c): c is { id: string; number?: string } => !!c?.id)
    .map((c) => ({ id: c.id, number: c.number ?? c.id }));
}
