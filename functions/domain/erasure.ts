import type { ComplaintRecord } from './complaint';

/**
 * Erasure of a case's personal data (PIPL Art. 47) and the legal hold that defers it.
 *
 * The complainant asks from the tracking page; an open case is withdrawn first. The desk then has
 * `desk.rights.erasureDays` (15 by default) to erase, a deadline staff see on the case. A
 * supervisor may place a legal hold with a reason (a dispute before a regulator or a court): the
 * erasure, and the record's expiry, wait until it is released.
 *
 * The purge runs from a due-time index, never a scan of cases: a case waiting for its erasure sits
 * in the sparse byPurgeDue index under a shard of its id (`PURGE#<n>`), sorted by when it falls
 * due, so a run reads each shard up to now, whenever it last ran, and a busy desk's writes spread
 * over PURGE_DUE_SHARDS keys. A hold takes the case out of the index; its release puts it back,
 * due no earlier than the release.
 *
 * Tables written before this key kept each case under the UTC day it falls due
 * (`PURGE#<day>#<n>`) and a checkpoint of the days read: while that checkpoint exists, the purge
 * also walks those days from it. No case is put under a day any more, and a day-keyed case falls
 * due at most the longest erasure period after it was written: once the walk has passed that
 * long after the checkpoint was first moved by this release, it is removed and the walk ends.
 */
export const PURGE_DUE_SHARDS = 4;
const PURGE_PREFIX = 'PURGE#';
/** The longest erasure period (`desk.rights.erasureDays`, at most 30), two days more for a clock a little behind. */
export const DAY_KEYED_PURGE_DAYS = 32;

/** Every shard's partition key: what one run reads. */
export const purgeDueKeys = (): string[] => Array.from({ length: PURGE_DUE_SHARDS }, (_, shard) => purgeDueKey(shard));
const purgeDueKey = (shard: number) => `${PURGE_PREFIX}${shard}`;

/** The UTC day of an instant, as the day-keyed index named it: `2026-12-07`. */
export const purgeDayOf = (at: Date): string => at.toISOString().slice(0, 10);
export const purgeDayStart = (day: string): Date => new Date(`${day}T00:00:00.000Z`);
export const nextPurgeDay = (day: string): string => purgeDayOf(new Date(purgeDayStart(day).getTime() + 86_400_000));
/** The partition keys of one day of the day-keyed index, a key per shard. */
export const dayPurgeDueKeys = (day: string): string[] =>
  Array.from({ length: PURGE_DUE_SHARDS }, (_, shard) => `${PURGE_PREFIX}${day}#${shard}`);

function shardOfId(id: string): number {
  let sum = 0;
  for (const char of id.slice(-4)) sum += char.charCodeAt(0);
  return sum % PURGE_DUE_SHARDS;
}

/** The fields that put a case in the purge index, due at `due`. */
export function purgeDueFields(id: string, due: Date): { purgeDue: string; purgeDueAt: string } {
  return { purgeDue: purgeDueKey(shardOfId(id)), purgeDueAt: due.toISOString() };
}

/** When the desk must have erased a case whose erasure was asked for at `requestedAt`. */
export function erasureDeadline(requestedAt: Date, erasureDays: number): Date {
  return new Date(requestedAt.getTime() + erasureDays * 86_400_000);
}

export interface LegalHold {
  reason: string;
  by: string;
  at: string;
}

/** Why a case is not to be erased now, or undefined when it is due. */
export function erasureBlocker(
  c: Pick<ComplaintRecord, 'erasureRequestedAt' | 'erasureDueAt' | 'erasedAt' | 'legalHold'>,
  now: Date,
): 'not-requested' | 'erased' | 'held' | 'not-due' | undefined {
  if (!c.erasureRequestedAt || !c.erasureDueAt) return 'not-requested';
  if (c.erasedAt) return 'erased';
  if (c.legalHold) return 'held';
  if (c.erasureDueAt > now.toISOString()) return 'not-due';
  return undefined;
}

/**
 * What is left of a case once erased: the fact and date of erasure, and what carries no personal
 * data (its number, category, channel, when it came and ended, how it ended), so the desk can
 * still answer that the case existed and was erased. Everything else (name, addresses, phone,
 * every free text, the tracking salt) is gone; the analytics figures were counted from the
 * history before and stay as they are.
 */
export function erasedRecord(c: ComplaintRecord, erasedAt: string): ComplaintRecord {
  return {
    id: c.id,
    number: c.number,
    status: 'closed',
    language: c.language,
    channel: c.channel,
    category: c.category,
    receivedAt: c.receivedAt,
    updatedAt: erasedAt,
    acceptanceDeadlineAt: c.acceptanceDeadlineAt,
    ...(c.outcome ? { outcome: c.outcome } : {}),
    ...(c.closedAt ? { closedAt: c.closedAt } : {}),
    ...(c.expiresAt ? { expiresAt: c.expiresAt } : {}),
    ...(c.erasureRequestedAt ? { erasureRequestedAt: c.erasureRequestedAt } : {}),
    erasedAt,
    // Placeholders where a complaint must have a value: none of them says anything of the person.
    trackingSalt: '',
    complainant: { name: '', email: '' },
    subject: { type: c.subject.type },
    description: '',
  } as ComplaintRecord;
}

/** A case as the purge sees the complainant's other cases: whose number and address it holds, and whether it is erased. */
export interface KeptCase {
  id: string;
  phone?: string;
  complainantKey?: string;
  erasedAt?: string;
}

/**
 * What the purge needs of an address a case no longer uses (a corrected-away address, an address
 * waiting for confirmation): the keys of what the desk keeps under it, never the address itself.
 * `complainantKey` is the case's key while it used that contact (its proof of being real sits
 * under `COMPLAINANT#<key>`); `suppressionHash` the key of its suppression (`SUPPRESSED#<hash>`),
 * when the contact was an address (a case reached by text alone had none).
 */
export interface FormerAddress {
  complainantKey: string;
  suppressionHash?: string;
}

/**
 * A case records at most this many addresses it left: a bound on the record's size. A complainant
 * who moved that often asks the desk; moving back to an address already left adds nothing.
 */
export const MAX_FORMER_ADDRESSES = 10;

/** The case's former addresses once it leaves `left`: each key once; undefined when the bound is reached. */
export function formerAddressesAfter(
  list: readonly FormerAddress[] | undefined,
  left: FormerAddress,
): FormerAddress[] | undefined {
  const current = list ?? [];
  if (current.some((a) => a.complainantKey === left.complainantKey)) return [...current];
  return current.length >= MAX_FORMER_ADDRESSES ? undefined : [...current, left];
}

/**
 * What the desk keeps about a complainant beyond the case itself (their number's opt-out and
 * hourly text counts under `PHONE#`, their address's proof of being real under `COMPLAINANT#` and
 * its suppression after a bounce or spam complaint under `SUPPRESSED#`)
 * goes with the case's purge, unless another case that is still kept (not erased, not expired)
 * needs it: the opt-out must go on stopping the texts of any kept case on the same number, so the
 * number's items stay while one holds the number; the address's while one has the same address.
 * The addresses the case left go by the same rule: each unless a kept case now uses it (one that
 * merely used it before needs nothing of it); one the case came back to is decided as its current
 * address.
 */
export function complainantItemsToForget(
  purged: { id: string; phone?: string; complainantKey?: string; formerAddresses?: readonly FormerAddress[] },
  otherCases: readonly KeptCase[],
): { phone?: string; complainantKey?: string; formerAddresses?: FormerAddress[] } {
  const kept = otherCases.filter((c) => c.id !== purged.id && !c.erasedAt);
  const keyKept = (key: string) => kept.some((c) => c.complainantKey === key);
  const former = (purged.formerAddresses ?? []).filter(
    (a, i, all) =>
      a.complainantKey !== purged.complainantKey &&
      all.findIndex((b) => b.complainantKey === a.complainantKey) === i &&
      !keyKept(a.complainantKey),
  );
  return {
    ...(purged.phone && !kept.some((c) => c.phone === purged.phone) ? { phone: purged.phone } : {}),
    ...(purged.complainantKey && !keyKept(purged.complainantKey) ? { complainantKey: purged.complainantKey } : {}),
    ...(former.length ? { formerAddresses: former } : {}),
  };
}
