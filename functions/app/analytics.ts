import type { DynamoDBStreamEvent } from 'aws-lambda';
import {
  aggregateCases,
  analyticsTeams,
  contributionsOf,
  previousRange,
  summarise,
  type AnalyticsRange,
  type AnalyticsView,
  type CaseFacts,
} from '../domain/analytics';
import type { DeskConfig } from '../domain/config';
import { allStaffAddresses, teamMembers, teamOfCategory, type StaffMember } from '../domain/staff';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { settings } from '../lib/settings';
import { StaffForbiddenError } from '../lib/staff-auth';
import {
  applyEvents,
  caseFacts,
  caseHistory,
  eventOf,
  everyComplaint,
  factsOf,
  openTaskCount,
  readDays,
  replaceAggregates,
  subjectLabels,
  EVENTS_PER_WRITE,
  type EventToCount,
  type KeyedEvent,
} from '../store/analytics';
import { COMPLAINT_PREFIX } from '../store/complaints';
import { EVENT_PREFIX } from '../store/events';

const teamOf = (desk: DeskConfig) => (category: string) => teamOfCategory(desk, category) ?? 'unassigned';

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
 * The figures of some teams over a range. `openLoad: false` leaves out each person's open tasks
 * now (one count per staff address: the weekly report does not show them); `readDays` lets a
 * caller that builds many views of one range read its days once.
 */
export async function viewFor(
  teams: readonly string[],
  range: AnalyticsRange,
  desk: DeskConfig,
  options: { openLoad?: boolean; readDays?: typeof readDays } = {},
): Promise<AnalyticsView> {
  const before = previousRange(range);
  const everyone =
    options.openLoad === false
      ? []
      : teams.length === Object.keys(desk.teams).length
        ? allStaffAddresses(desk)
        : [...new Set(teams.flatMap((t) => teamMembers(desk, t)))];
  const [days, load] = await Promise.all([
    (options.readDays ?? readDays)(before.from, range.to),
    Promise.all(everyone.map(async (email) => [email, await openTaskCount(email)] as const)),
  ]);
  const view = summarise({
    range,
    days: days.filter((d) => d.day >= range.from),
    previousDays: days.filter((d) => d.day < range.from),
    teams,
    config: desk,
    subjectLabels: {},
    openLoad: Object.fromEntries(load),
  });
  // Only the subjects the view shows need their labels.
  const shown = [...view.hotspots, ...view.rising].filter((h) => h.kind === 'subject');
  const labels = shown.length ? await subjectLabels(shown.map((h) => h.key)) : {};
  for (const h of shown) if (labels[h.key]) h.label = labels[h.key]!;
  return view;
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

/**
 * The aggregator: each history event the stream delivers is counted once, in order, with the
 * events before it in its case. A record that fails is reported with those after it, so the
 * event source retries from there; the ones before stay counted (and their markers make a retry
 * of them count nothing).
 */
export async function aggregateStream(
  event: DynamoDBStreamEvent,
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const { desk } = settings();
  const team = teamOf(desk);
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
  // Every case of the batch is read at once (its history and record), before counting in order.
  const inBatch = (event.Records ?? []).map(addedEventOf);
  await Promise.all(
    [...new Set(inBatch.flatMap((a) => (a ? [a.complaintId] : [])))].map((id) => caseOf(id).catch(() => undefined)),
  );
  // In stream order: what each added event contributes, given the events before it in its case.
  const toCount: { record: StreamRecord; event: EventToCount }[] = [];
  for (const record of event.Records ?? []) {
    const added = addedEventOf(record);
    if (!added) continue;
    try {
      const { history, facts } = await caseOf(added.complaintId);
      // The case is gone (expired with its history): nothing to count.
      if (!facts) continue;
      const happened = eventOf(added.item);
      const prior = history.filter((h) => h.sk < added.sk).map((h) => h.event);
      const subject =
        happened.action === 'complaint.received' && facts.subjectKey && facts.subjectLabel
          ? { key: facts.subjectKey, label: facts.subjectLabel }
          : undefined;
      toCount.push({
        record,
        event: {
          complaintId: added.complaintId,
          eventSk: added.sk,
          contributions: contributionsOf(happened, prior, facts, desk.timeZone),
          ...(subject ? { subject } : {}),
        },
      });
    } catch (error) {
      log.error('analytics: an event could not be read; the stream retries from it', {
        complaintId: added.complaintId,
        error,
      });
      return await countUpTo(toCount, sequenceOf(record));
    }
  }
  return countUpTo(toCount, undefined);
}

/** How ReportBatchItemFailures names a record: its sequence number. */
const sequenceOf = (record: StreamRecord) => record.dynamodb?.SequenceNumber ?? record.eventID ?? '';

/** Writes the counted events in chunks; a chunk that fails is reported (with all after it) for the stream to retry. */
async function countUpTo(
  toCount: { record: StreamRecord; event: EventToCount }[],
  failedAt: string | undefined,
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  let counted = 0;
  for (let i = 0; i < toCount.length; i += EVENTS_PER_WRITE) {
    const chunk = toCount.slice(i, i + EVENTS_PER_WRITE);
    try {
      counted += await applyEvents(
        chunk.map((c) => c.event),
        currentTime(),
      );
    } catch (error) {
      log.error('analytics: events could not be counted; the stream retries from them', {
        complaintId: chunk[0]!.event.complaintId,
        error,
      });
      return { batchItemFailures: [{ itemIdentifier: sequenceOf(chunk[0]!.record) }] };
    }
  }
  if (counted) log.info('analytics: events counted', { counted });
  return { batchItemFailures: failedAt === undefined ? [] : [{ itemIdentifier: failedAt }] };
}

/**
 * Recomputes every aggregate from the history of every case still in the table, and replaces
 * what the stream kept. Events of the last two days are marked counted, so the stream, which may
 * still hold them, does not add them again. Run it when the stream is quiet.
 */
export async function rebuildAnalytics(): Promise<{ cases: number; events: number; days: number }> {
  const { desk } = settings();
  const team = teamOf(desk);
  const now = currentTime();
  const recent = new Date(now.getTime() - 2 * 86400_000).toISOString();
  const cases: { events: KeyedEvent['event'][]; facts: CaseFacts }[] = [];
  const labels: Record<string, string> = {};
  const counted: { complaintId: string; eventSk: string }[] = [];
  let events = 0;
  for await (const record of everyComplaint()) {
    const history = await caseHistory(record.id);
    const facts = factsOf(record, team, history);
    cases.push({ events: history.map((h) => h.event), facts });
    if (facts.subjectKey && facts.subjectLabel) labels[facts.subjectKey] = facts.subjectLabel;
    for (const h of history) if (h.event.at >= recent) counted.push({ complaintId: record.id, eventSk: h.sk });
    events += history.length;
  }
  const days = aggregateCases(cases, desk.timeZone);
  const written = await replaceAggregates({ days: days.values(), labels, counted, now });
  log.info('analytics rebuilt', { cases: cases.length, events, days: written.days });
  return { cases: cases.length, events, days: written.days };
}
