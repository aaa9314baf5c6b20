import {
  erasedRecord,
  erasureBlocker,
  nextPurgeDay,
  PURGE_DUE_SHARDS,
  purgeDayOf,
  purgeDayStart,
} from '../domain/erasure';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { getComplaint } from '../store/complaints';
import {
  advancePurgeCheckpoint,
  claimErasure,
  duePurgesPage,
  purgeCheckpoint,
  writeErasedRecord,
} from '../store/erasure';
import { purgeCase } from './shared/purge-case';

/** Where a first run starts, with no checkpoint yet: the longest erasure period back covers every request. */
const FIRST_RUN_LOOKBACK_MS = 31 * 86_400_000;
/** A day is called purged only this long after it ended (a request written at midnight by a clock a little behind). */
const DAY_SETTLE_MS = 3_600_000;
const PAGE = 25;

/**
 * Erases the cases whose erasure is due: from the byPurgeDue index, day by day from the checkpoint
 * and each day's shards page by page, never a scan of cases. Each case is claimed (no hold can
 * land after), purged by the purge its expiry uses (purge-case.ts), and its record rewritten as
 * erased with the event that records the fact and date. Scheduled; keeps to its time budget.
 */
export async function purgeDueErasures(
  input: { budgetMs?: number } = {},
): Promise<{ erased: number; stoppedForTime: boolean }> {
  const started = Date.now();
  const budgetMs = input.budgetMs ?? 15_000;
  const now = currentTime();
  const until = now.toISOString();
  const checkpoint = await purgeCheckpoint();
  let purgedBefore = checkpoint;
  let erased = 0;
  let stoppedForTime = false;
  const today = purgeDayOf(now);
  for (
    let day = checkpoint ?? purgeDayOf(new Date(now.getTime() - FIRST_RUN_LOOKBACK_MS));
    day <= today && !stoppedForTime;
    day = nextPurgeDay(day)
  ) {
    for (let shard = 0; shard < PURGE_DUE_SHARDS && !stoppedForTime; shard++) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await duePurgesPage({ day, shard, until, limit: PAGE, startKey });
        for (const id of page.ids) {
          if (Date.now() - started > budgetMs) {
            stoppedForTime = true;
            break;
          }
          if (await eraseCase(id, until)) erased++;
        }
        startKey = page.next;
      } while (startKey && !stoppedForTime);
    }
    if (!stoppedForTime && purgeDayStart(nextPurgeDay(day)).getTime() + DAY_SETTLE_MS <= now.getTime())
      purgedBefore = nextPurgeDay(day);
  }
  if (purgedBefore && purgedBefore !== checkpoint) await advancePurgeCheckpoint(purgedBefore, until);
  return { erased, stoppedForTime };
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
