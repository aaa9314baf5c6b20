import {
  DAY_KEYED_PURGE_DAYS,
  dayPurgeDueKeys,
  erasedRecord,
  erasureBlocker,
  nextPurgeDay,
  purgeDayOf,
  purgeDayStart,
  purgeDueKeys,
} from '../domain/erasure';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { getComplaint } from '../store/complaints';
import {
  advancePurgeCheckpoint,
  claimErasure,
  duePurgesPage,
  purgeCheckpoint,
  removePurgeCheckpoint,
  writeErasedRecord,
} from '../store/erasure';
import { purgeCase } from './shared/purge-case';

/** A day is called read only this long after it ended (a request written at midnight by a clock a little behind). */
const DAY_SETTLE_MS = 3_600_000;
const PAGE = 25;

/**
 * Erases the cases whose erasure is due: from the byPurgeDue index, each shard page by page up to
 * now, never a scan of cases. Each case is claimed (no hold can land after), purged by the purge
 * its expiry uses (purge-case.ts), and its record rewritten as erased with the event that records
 * the fact and date; an erased case leaves the index, one not yet erased stays in the next run's
 * read. On a table from the day-keyed release, the days from its checkpoint are read too
 * (domain/erasure.ts). Scheduled; keeps to its time budget.
 */
export async function purgeDueErasures(
  input: { budgetMs?: number } = {},
): Promise<{ erased: number; stoppedForTime: boolean }> {
  const started = Date.now();
  const budgetMs = input.budgetMs ?? 15_000;
  const now = currentTime();
  const until = now.toISOString();
  const run = { erased: 0, stoppedForTime: false };
  const eraseUnder = async (key: string) => {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await duePurgesPage({ key, until, limit: PAGE, startKey });
      for (const id of page.ids) {
        if (Date.now() - started > budgetMs) {
          run.stoppedForTime = true;
          return;
        }
        if (await eraseCase(id, until)) run.erased++;
      }
      startKey = page.next;
    } while (startKey);
  };
  const [checkpoint] = await Promise.all([
    purgeCheckpoint(),
    (async () => {
      for (const key of purgeDueKeys()) if (!run.stoppedForTime) await eraseUnder(key);
    })(),
  ]);
  if (checkpoint && !run.stoppedForTime) await walkDayKeyedIndex(checkpoint, now, eraseUnder, run);
  return run;
}

/** The day-keyed index's days from its checkpoint to today; the checkpoint goes once past every day such a case can be due. */
async function walkDayKeyedIndex(
  checkpoint: { purgedBefore: string; dayKeyedUntil?: string },
  now: Date,
  eraseUnder: (key: string) => Promise<void>,
  run: { stoppedForTime: boolean },
): Promise<void> {
  const dayKeyedUntil =
    checkpoint.dayKeyedUntil ?? purgeDayOf(new Date(now.getTime() + DAY_KEYED_PURGE_DAYS * 86_400_000));
  let purgedBefore = checkpoint.purgedBefore;
  for (let day = purgedBefore; day <= purgeDayOf(now) && !run.stoppedForTime; day = nextPurgeDay(day)) {
    for (const key of dayPurgeDueKeys(day)) if (!run.stoppedForTime) await eraseUnder(key);
    if (!run.stoppedForTime && purgeDayStart(nextPurgeDay(day)).getTime() + DAY_SETTLE_MS <= now.getTime())
      purgedBefore = nextPurgeDay(day);
  }
  if (purgedBefore > dayKeyedUntil) await removePurgeCheckpoint(checkpoint.purgedBefore);
  else if (purgedBefore !== checkpoint.purgedBefore)
    await advancePurgeCheckpoint(purgedBefore, dayKeyedUntil, now.toISOString());
}

async function eraseCase(id: string, at: string): Promise<boolean> {
  const record = await getComplaint(id);
  if (!record || erasureBlocker(record, new Date(at))) return false;
  if (!(await claimErasure(id, at))) return false;
  await purgeCase(
    {
      complaintId: id,
      number: record.number,
      complainantKey: record.complainantKey,
      subjectKey: record.subjectKey,
      phone: record.complainant.phone,
      email: record.complainant.email,
      ...(record.formerAddresses ? { formerAddresses: record.formerAddresses } : {}),
      ...(record.pendingEmail ? { pendingEmail: record.pendingEmail.address } : {}),
    },
    'erased',
  );
  const written = await writeErasedRecord(erasedRecord(record, at), {
    at,
    actor: 'system',
    action: 'case.erased',
    details: { requestedAt: record.erasureRequestedAt, dueAt: record.erasureDueAt },
  });
  log.info('case erased', { complaintId: id, written });
  return written;
}
