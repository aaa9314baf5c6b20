import type { DynamoDBStreamEvent } from 'aws-lambda';
import {
  analyticsTeams,
  contributionsOf,
  hotspotCandidates,
  incrementsOfCases,
  previousRange,
  summarise,
  type AnalyticsRange,
  type AnalyticsView,
  type CaseFacts,
} from '../domain/analytics';
import {
  addContribution,
  emptyIncrements,
  foldIncrements,
  isEmpty,
  MemoryFigureStore,
  mergeIncrements,
  readRange,
  type FigureStore,
  type Increments,
} from '../domain/analytics-figures';
import type { DeskConfig } from '../domain/config';
import { allStaffAddresses, teamMembers, teamOfCategory, type StaffMember } from '../domain/staff';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { settings } from '../lib/settings';
import { StaffForbiddenError } from '../lib/problems';
import {
  alreadyApplied,
  BATCH_SHARDS,
  batchIncrements,
  beginFold,
  caseFacts,
  caseHistory,
  countedThrough,
  endFold,
  eventOf,
  everyComplaint,
  factsOf,
  markApplied,
  markCounted,
  newHolder,
  openTaskCount,
  packIncrements,
  putBatch,
  rebuiltThrough,
  releaseRollUpLease,
  rollUpPending,
  replaceFigures,
  sequenceKey,
  tableFigures,
  takeRollUpLease,
  waitingBatches,
  type KeyedEvent,
  type FoldIntent,
} from '../store/analytics';
import { COMPLAINT_PREFIX } from '../store/complaint-key';
import { EVENT_PREFIX } from '../store/events';

const teamOf = (desk: DeskConfig) => (category: string) => teamOfCategory(desk, category) ?? 'unassigned';

/** Hotspots shown per list. */
const TOP = 10;

/**
 * The figures a member may read over a range: a supervisor's teams, a manager's and an
 * operator's all. A handler has no analytics view (their own record is in their supervisor's).
 */
export async function analyticsView(member: StaffMember, range: AnalyticsRange): Promise<AnalyticsView> {
  const { desk } = settings();
  const teams = analyticsTeams(member, desk);
  if (!teams) throw new StaffForbiddenError();
  return viewFor(teams, range, desk);
}

/**
 * The view of a range for these teams: the range's team days and the range before's (one query
 * per day), two running totals per team and per person with figures in the range, the exact
 * counts of the hotspot candidates, and (unless `openLoad: false`, as the weekly report asks) the
 * open tasks per staff address now.
 */
export async function viewFor(
  teams: readonly string[],
  range: AnalyticsRange,
  desk: DeskConfig,
  options: { openLoad?: boolean; store?: FigureStore } = {},
): Promise<AnalyticsView> {
  const before = previousRange(range);
  const everyone =
    options.openLoad === false
      ? []
      : teams.length === Object.keys(desk.teams).length
        ? allStaffAddresses(desk)
        : [...new Set(teams.flatMap((t) => teamMembers(desk, t)))];
  const [figures, load] = await Promise.all([
    readRange(options.store ?? tableFigures, {
      from: range.from,
      to: range.to,
      previousFrom: before.from,
      teams,
      pick: hotspotCandidates(TOP),
    }),
    Promise.all(everyone.map(async (email) => [email, await openTaskCount(email)] as const)),
  ]);
  return summarise({ range, figures, teams, config: desk, openLoad: Object.fromEntries(load), top: TOP });
}

type StreamRecord = DynamoDBStreamEvent['Records'][number];

/** The plain value of a stream image's attribute (the shapes history events use). */
function plain(value: Record<string, unknown> | undefined): unknown {
  if (!value) return undefined;
  if ('S' in value) return value.S;
  if ('N' in value) return Number(value.N);
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('L' in value) return (value.L as Record<string, unknown>[]).map(plain);
  if ('M' in value)
    return Object.fromEntries(
      Object.entries(value.M as Record<string, Record<string, unknown>>).map(([k, v]) => [k, plain(v)]),
    );
  if ('SS' in value) return value.SS;
  if ('NS' in value) return (value.NS as string[]).map(Number);
  return undefined;
}

/** A history event the stream just added, or undefined for any other change to the table. */
export function addedEventOf(
  record: StreamRecord,
): { complaintId: string; sk: string; item: Record<string, unknown> } | undefined {
  const pk = record.dynamodb?.Keys?.pk?.S;
  const sk = record.dynamodb?.Keys?.sk?.S;
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !pk?.startsWith(COMPLAINT_PREFIX) || !sk?.startsWith(EVENT_PREFIX) || !image)
    return undefined;
  return {
    complaintId: pk.slice(COMPLAINT_PREFIX.length),
    sk,
    item: Object.fromEntries(Object.entries(image).map(([k, v]) => [k, plain(v as Record<string, unknown>)])),
  };
}

/** How a stream batch is named in ReportBatchItemFailures, and keyed: its sequence number. */
const sequenceOf = (record: StreamRecord) => record.dynamodb?.SequenceNumber ?? record.eventID ?? '';

/** At most this many stream records in one stored batch, and at most this many bytes (deflated): well inside an item's bounds. */
export const RECORDS_PER_BATCH = 250;
export const MAX_BATCH_BYTES = 12_000;

/**
 * The aggregator (stream): sums the history events of a stream batch, each with the events before
 * it in its case, into one stored batch per RECORDS_PER_BATCH records, keyed by its first record.
 * A batch delivered again (the stream delivers at least once, from the same first record) finds
 * its stored batch or the roll-up's marker and skips the records it reached, so no event is
 * counted twice. Events up to the last rebuild are left out (the rebuild counted them). A part
 * that fails is reported (with all after it) for the stream to deliver again.
 */
export async function aggregateStream(
  event: DynamoDBStreamEvent,
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const { desk } = settings();
  const team = teamOf(desk);
  const records = event.Records ?? [];
  const histories = new Map<
    string,
    Promise<{ history: KeyedEvent[]; facts: (CaseFacts & { subjectLabel?: string }) | undefined }>
  >();
  const caseOf = (complaintId: string) => {
    let found = histories.get(complaintId);
    if (!found) {
      found = caseHistory(complaintId).then(async (history) => ({
        history,
        facts: await caseFacts(complaintId, team, history),
      }));
      histories.set(complaintId, found);
    }
    return found;
  };
  const added = records.map(addedEventOf);
  // Every case of the batch is read at once (its history and record), before counting in order.
  await Promise.all(
    [...new Set(added.flatMap((a) => (a ? [a.complaintId] : [])))].map((id) => caseOf(id).catch(() => undefined)),
  );
  const cutoff = await rebuiltThrough();
  const incrementsOf = async (from: number, to: number) => {
    const inc = emptyIncrements();
    let events = 0;
    let seen = 0;
    for (let i = from; i < to; i++) {
      const a = added[i];
      if (!a) continue;
      seen++;
      const { history, facts } = await caseOf(a.complaintId);
      // The case is gone (expired with its history): nothing to count.
      if (!facts) continue;
      const happened = eventOf(a.item);
      if (cutoff && happened.at <= cutoff) continue;
      const prior = history.filter((h) => h.sk < a.sk).map((h) => h.event);
      for (const c of contributionsOf(happened, prior, facts, desk.timeZone)) addContribution(inc, c);
      if (happened.action === 'complaint.received' && facts.subjectKey && facts.subjectLabel)
        inc.labels[facts.subjectKey] = facts.subjectLabel;
      events++;
    }
    return { inc, events, seen };
  };

  let stored = 0;
  let i = 0;
  while (i < records.length) {
    const first = sequenceOf(records[i]!);
    try {
      const through = await countedThrough(first);
      if (through) {
        // Counted before (a batch delivered again): on from the first record it did not reach.
        while (i < records.length && sequenceKey(sequenceOf(records[i]!)) <= through) i++;
        continue;
      }
      let size = RECORDS_PER_BATCH;
      let part = await incrementsOf(i, Math.min(records.length, i + size));
      let packed = packIncrements(part.inc);
      // The same records always give the same bytes, so a batch delivered again is cut the same way.
      while (packed.length > MAX_BATCH_BYTES && size > 1) {
        size = Math.ceil(size / 2);
        part = await incrementsOf(i, Math.min(records.length, i + size));
        packed = packIncrements(part.inc);
      }
      const last = records[Math.min(records.length, i + size) - 1]!;
      if (!isEmpty(part.inc)) {
        const put = await putBatch({
          firstSequence: first,
          lastSequence: sequenceOf(last),
          events: part.events,
          packed,
          at: currentTime().toISOString(),
        });
        // Stored meanwhile by another delivery of the same records: the next turn skips what it reached.
        if (!put) continue;
        stored++;
      } else if (part.seen) {
        // History events that change no figure: marked all the same, so that a later delivery from
        // this record skips exactly these and cuts the same parts after them.
        await markCounted(first, sequenceOf(last), currentTime());
      }
      i += size;
    } catch (error) {
      log.error('analytics: events could not be counted; the stream delivers them again', { error });
      return { batchItemFailures: [{ itemIdentifier: first }] };
    }
  }
  if (stored) log.info('analytics: stream batches stored', { stored });
  return { batchItemFailures: [] };
}

// ---- The roll-up

/** A roll-up of at least this many events is worth its writes whatever the batches' age. */
export const FOLD_AT_EVENTS = 100_000;
/** At most this many stored batches per roll-up (their keys are kept, deflated, in one item while it runs). */
export const BATCHES_PER_FOLD = 1000;
/** A run stops starting roll-ups after this long (the function has 20 s), and holds its lease for this long at most. */
const RUN_BUDGET_MS = 10_000;
const LEASE_MS = 60_000;

/** Whether the waiting batches are due: enough events, or the oldest has waited `desk.analytics.refreshSeconds`. */
export function rollUpDue(
  waiting: readonly { events: number; at: string }[],
  refreshSeconds: number,
  now: Date,
): boolean {
  if (!waiting.length) return false;
  const events = waiting.reduce((s, b) => s + b.events, 0);
  const oldest = waiting.reduce((t, b) => (b.at < t ? b.at : t), waiting[0]!.at);
  return events >= FOLD_AT_EVENTS || new Date(oldest).getTime() <= now.getTime() - refreshSeconds * 1000;
}

async function applyFold(holder: string, intent: FoldIntent, now: Date, store: FigureStore) {
  const inc = (await batchIncrements(intent.batches)).reduce<Increments>(
    (into, from) => mergeIncrements(into, from),
    emptyIncrements(),
  );
  await foldIncrements(store, inc, intent.fold);
  await markApplied(intent.batches, intent.batches, now);
  await endFold(holder, intent.fold);
}

/**
 * The roll-up (every minute): adds the stored stream batches into the figures' items, each item
 * once per roll-up, then marks the batches rolled up and deletes them. It runs when the batches
 * are due (`rollUpDue`; `force` always), one at a time (a lease), and a roll-up that stopped
 * half-way is done again first, to the same effect (each item remembers the last roll-up that
 * wrote it).
 */
export async function rollUpAnalytics(
  options: { force?: boolean; store?: FigureStore } = {},
): Promise<{ folds: number; batches: number; events: number; busy?: true }> {
  const { desk } = settings();
  const store = options.store ?? tableFigures;
  const started = Date.now();
  const now = currentTime();
  // Nothing to do (no roll-up left half-done, no batch due): answered from reads alone, so an
  // idle desk's schedule writes nothing.
  const [pending, waiting] = await Promise.all([
    rollUpPending(),
    waitingBatches(Math.ceil(BATCHES_PER_FOLD / BATCH_SHARDS)),
  ]);
  if (!pending && !(options.force ? waiting.length : rollUpDue(waiting, desk.analytics.refreshSeconds, now)))
    return { folds: 0, batches: 0, events: 0 };
  const holder = newHolder();
  const state = await takeRollUpLease(holder, now, new Date(now.getTime() + LEASE_MS));
  if (!state) return { folds: 0, batches: 0, events: 0, busy: true };
  let folds = 0;
  let batches = 0;
  let events = 0;
  try {
    let fold = state.fold;
    if (state.intent) {
      await applyFold(holder, state.intent, now, store);
      fold = state.intent.fold;
      folds++;
    }
    while (Date.now() - started < RUN_BUDGET_MS) {
      const waiting = await waitingBatches(Math.ceil(BATCHES_PER_FOLD / BATCH_SHARDS));
      if (!(options.force ? waiting.length : rollUpDue(waiting, desk.analytics.refreshSeconds, now))) break;
      const applied = await alreadyApplied(waiting);
      // Stored again after their roll-up (a delivery racing it): already counted.
      const stale = waiting.filter((b) => applied.has(b.sk));
      if (stale.length) await markApplied([], stale, now);
      const next = waiting.filter((b) => !applied.has(b.sk)).slice(0, BATCHES_PER_FOLD);
      if (!next.length) continue;
      const intent = { fold: fold + 1, batches: next.map((b) => ({ pk: b.pk, sk: b.sk, through: b.through })) };
      await beginFold(holder, intent);
      await applyFold(holder, intent, now, store);
      fold = intent.fold;
      folds++;
      batches += next.length;
      events += next.reduce((s, b) => s + b.events, 0);
    }
  } finally {
    await releaseRollUpLease(holder);
  }
  if (folds) log.info('analytics: rolled up', { folds, batches, events });
  return { folds, batches, events };
}

/**
 * Recomputes every figure from the history of every case still in the table, up to now, and
 * replaces what the stream and the roll-up kept (the batches still waiting included); the stream
 * then leaves out events up to now. Run it when the stream is quiet; it holds the roll-up's lease.
 */
export async function rebuildAnalytics(): Promise<{ cases: number; events: number; items: number }> {
  const { desk } = settings();
  const team = teamOf(desk);
  const now = currentTime();
  const through = now.toISOString();
  const holder = newHolder();
  const state = await takeRollUpLease(holder, now, new Date(now.getTime() + 15 * 60_000));
  if (!state) throw new Error('a roll-up is running: try the rebuild again in a minute');
  try {
    const inc = emptyIncrements();
    let cases = 0;
    let events = 0;
    for await (const record of everyComplaint()) {
      const history = (await caseHistory(record.id)).filter((h) => h.event.at <= through);
      incrementsOfCases(
        [{ events: history.map((h) => h.event), facts: factsOf(record, team, history) }],
        desk.timeZone,
        inc,
      );
      cases++;
      events += history.length;
    }
    const figures = new MemoryFigureStore();
    const fold = state.fold + 1;
    await foldIncrements(figures, inc, fold);
    const items = await replaceFigures(figures, fold, through);
    await endFold(holder, fold);
    log.info('analytics rebuilt', { cases, events, items });
    return { cases, events, items };
  } finally {
    await releaseRollUpLease(holder);
  }
}
