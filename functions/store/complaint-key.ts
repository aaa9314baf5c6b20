import { PARTITIONS } from './schema';

/**
 * A case's partition, `COMPLAINT#<id>`: the record (`META`, complaints.ts) and everything kept
 * with it (events, uploads, outbox mail, …) share it, so each of those modules builds its key
 * here without loading the record's module.
 */
export const COMPLAINT_PREFIX = PARTITIONS.complaint;

export function complaintKey(id: string) {
  return { pk: `${COMPLAINT_PREFIX}${id}`, sk: 'META' };
}

/** The complaint id of a complaint record's key, or undefined for any other item. */
export function complaintIdOfKey(key: { pk?: string; sk?: string }): string | undefined {
  return key.sk === 'META' && key.pk?.startsWith(COMPLAINT_PREFIX) ? key.pk.slice(COMPLAINT_PREFIX.length) : undefined;
}
