import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { addContribution, type CaseFacts, type Contribution, type DayAggregate } from '../domain/analytics';
import type { ComplaintEvent } from '../domain/history';
import { dynamo } from '../lib/clients/dynamo';
import { COMPLAINT_PREFIX, complaintKey, type ComplaintRecord } from './complaints';
import { EVENT_PREFIX } from './events';
import { epochSeconds, index, PARTITIONS } from './schema';
import { failedConditionsOf, queryAll, tableName, withoutKeys, writeOneIf } from './table';

/**
 * The desk's figures, kept from the table's stream (domain/analytics.ts says what each event adds):
 *
 *   ANALYTICS                          DAY#<date>        one day's counters (`n#<team>|<metric>`) and
 *                                                        times (`d#<team>|<metric>`, lists of seconds)
 *   ANALYTICS                          SUBJECT#<key>     a subject key's label, for hotspots
 *   ANALYTICS#APPLIED#<complaint id>   EVENT#…           marks a history event as counted (expires)
 *   ANALYTICS                          REPORT#weekly#<date>  the weekly report of that week was sent
 *
 * A day holds every team's figures of the cases that changed that day, so a view of 30 days reads
 * 30 items (one query), whatever the number of cases. An event is added with its marker in one
 * transaction, so a stream that delivers it twice counts it once.
 */
export const ANALYTICS_PK = PARTITIONS.analytics;
const DAY_PREFIX = 'DAY#';
const SUBJECT_PREFIX = 'SUBJECT#';
const APPLIED_PREFIX = PARTITIONS.analyticsApplied;
const COUNTER = 'n#';
const DURATION = 'd#';
/** A stream redelivers a record for at most 24 hours: markers outlive that, then expire. */
export const MARKER_DAYS = 7;

export const dayKey = (day: string) => ({ pk: ANALYTICS_PK, sk: `${DAY_PREFIX}${day}` });
const subjectKey = (key: string) => ({ pk: ANALYTICS_PK, sk: `${SUBJECT_PREFIX}${key}` });
export const appliedKey = (complaintId: string, eventSk: string) => ({
  pk: `${APPLIED_PREFIX}${complaintId}`,
  sk: eventSk,
});

/** One history event with its sort key (its place in the history). */
export interface KeyedEvent {
  sk: string;
  event: ComplaintEvent;
}

/** A case's whole history, in order, with each event's sort key. */
export async function caseHistory(complaintId: string): Promise<KeyedEvent[]> {
  const items = await queryAll<Record<string, unknown>>({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': complaintKey(complaintId).pk, ':prefix': EVENT_PREFIX },
    ConsistentRead: true,
  });
  return items.map((item) => ({ sk: item.sk as string, event: eventOf(item) }));
}

export function eventOf(item: Record<string, unknown>): ComplaintEvent {
  return {
    at: item.at as string,
    actor: item.actor as string,
    action: item.action as ComplaintEvent['action'],
    ...(item.details ? { details: item.details as Record<string, unknown> } : {}),
  };
}

/** The facts of a case its events do not repeat, from its record; undefined once the record is gone. */
export async function caseFacts(
  complaintId: string,
  team: (category: string) => string,
  history: readonly KeyedEvent[],
): Promise<(CaseFacts & { subjectLabel?: string }) | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: complaintKey(complaintId), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return factsOf(Item as ComplaintRecord & { subjectKey?: string }, team, history);
}

export function factsOf(
  record: ComplaintRecord & { subjectKey?: string },
  team: (category: string) => string,
  history: readonly KeyedEvent[],
): CaseFacts & { subjectLabel?: string } {
  // The category the case was received in: the received event says it, and never changes.
  const received = history.find((h) => h.event.action === 'complaint.received')?.event;
  const category = (received?.details?.category as string | undefined) ?? record.category;
  return {
    team: team(category),
    category,
    receivedAt: record.receivedAt,
    ...(record.subjectKey ? { subjectKey: record.subjectKey } : {}),
    subjectLabel: record.subject?.name ?? record.subject?.ref ?? record.subject?.type,
  };
}

function updateOf(c: Contribution) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const adds: string[] = [];
  const sets: string[] = ['#kind = :kind'];
  names['#kind'] = 'kind';
  values[':kind'] = 'analytics-day';
  Object.entries(c.add).forEach(([key, n], i) => {
    names[`#n${i}`] = `${COUNTER}${key}`;
    values[`:n${i}`] = n;
    adds.push(`#n${i} :n${i}`);
  });
  Object.entries(c.durations).forEach(([key, list], i) => {
    names[`#d${i}`] = `${DURATION}${key}`;
    values[`:d${i}`] = list;
    sets.push(`#d${i} = list_append(if_not_exists(#d${i}, :empty), :d${i})`);
  });
  if (Object.keys(c.durations).length) values[':empty'] = [];
  return {
    Update: {
      TableName: tableName(),
      Key: dayKey(c.day),
      UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

const isConflict = (error: unknown) => {
  const failed = failedConditionsOf(error);
  return (
    (failed !== undefined && failed.length === 0) ||
    (error as { name?: string })?.name === 'TransactionConflictException'
  );
};

/** One history event to count: where it is, and what it adds. */
export interface EventToCount {
  complaintId: string;
  eventSk: string;
  contributions: Contribution[];
  subject?: { key: string; label: string };
}

/** At most this many events in one transaction (each a marker, plus the days and labels they touch; DynamoDB takes 100 items). */
export const EVENTS_PER_WRITE = 40;

/**
 * Counts events: a marker per event, and their contributions summed per day, all in one
 * transaction. An event whose marker is already there was counted before: it is left out and
 * the rest written again. Two aggregators writing the same day at once cancel each other as a
 * conflict: the loser tries again. Answers how many events were newly counted.
 */
export async function applyEvents(events: readonly EventToCount[], now: Date): Promise<number> {
  let pending = [...events];
  for (let attempt = 1; pending.length; attempt++) {
    const days = new Map<string, DayAggregate>();
    for (const e of pending) for (const c of e.contributions) addContribution(days, c);
    const subjects = new Map(pending.flatMap((e) => (e.subject ? [[e.subject.key, e.subject.label] as const] : [])));
    const items = [
      ...pending.map((e) => ({
        Put: {
          TableName: tableName(),
          Item: {
            ...appliedKey(e.complaintId, e.eventSk),
            kind: 'analytics-applied',
            expiresAt: epochSeconds(now) + MARKER_DAYS * 86400,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
      ...[...days.values()]
        .filter((d) => Object.keys(d.counters).length || Object.keys(d.durations).length)
        .map((d) => updateOf({ day: d.day, add: d.counters, durations: d.durations })),
      ...[...subjects].map(([key, label]) => ({
        Put: { TableName: tableName(), Item: { ...subjectKey(key), kind: 'analytics-subject', label } },
      })),
    ];
    try {
      await dynamo.send(new TransactWriteCommand({ TransactItems: items }));
      return pending.length;
    } catch (error) {
      const failed = failedConditionsOf(error);
      if (failed?.length) {
        // Counted before (a redelivered record): leave those out.
        pending = pending.filter((_, i) => !failed.includes(i));
        continue;
      }
      if (!isConflict(error) || attempt >= 12) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt) * Math.random()));
    }
  }
  return 0;
}

function dayOfItem(item: Record<string, unknown>): DayAggregate {
  const counters: Record<string, number> = {};
  const durations: Record<string, number[]> = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(COUNTER)) counters[name.slice(COUNTER.length)] = Number(value);
    else if (name.startsWith(DURATION)) durations[name.slice(DURATION.length)] = (value as unknown[]).map(Number);
  }
  return { day: (item.sk as string).slice(DAY_PREFIX.length), counters, durations };
}

/** The day aggregates from `from` to `to` (dates, inclusive): one query. */
export async function readDays(from: string, to: string): Promise<DayAggregate[]> {
  const items = await queryAll<Record<string, unknown>>({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': ANALYTICS_PK, ':from': `${DAY_PREFIX}${from}`, ':to': `${DAY_PREFIX}${to}` },
  });
  return items.map(dayOfItem);
}

/** The labels of these subject keys (hotspots show at most a few dozen). */
export async function subjectLabels(keys: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
      [tableName()]: { Keys: unique.slice(i, i + 100).map(subjectKey) },
    };
    for (let attempt = 0; request && Object.keys(request).length && attempt < 8; attempt++) {
      const page = await dynamo.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of page.Responses?.[tableName()] ?? [])
        out[(item.sk as string).slice(SUBJECT_PREFIX.length)] = item.label as string;
      request = page.UnprocessedKeys as typeof request;
    }
  }
  return out;
}

/** How many open tasks an address holds now (byAssignee index, counted, not read). */
export async function openTaskCount(assignee: string): Promise<number> {
  const byAssignee = index('byAssignee');
  let total = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: byAssignee.IndexName,
        KeyConditionExpression: '#a = :a',
        ExpressionAttributeNames: { '#a': byAssignee.partitionKey },
        ExpressionAttributeValues: { ':a': assignee },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    total += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return total;
}

/**
 * Every complaint record in the table, page by page (the rebuild only: a one-off that reads the
 * whole table; the desk's pages never scan).
 */
export async function* everyComplaint(): AsyncGenerator<ComplaintRecord & { subjectKey?: string }> {
  let start: ScanCommandInput['ExclusiveStartKey'];
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: tableName(),
        FilterExpression: 'sk = :meta AND begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':meta': 'META', ':prefix': COMPLAINT_PREFIX },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) yield withoutKeys<ComplaintRecord & { subjectKey?: string }>(item);
    start = page.LastEvaluatedKey;
  } while (start);
}

async function batchWrite(requests: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: Record<string, unknown>[] | undefined = requests.slice(i, i + 25);
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt > 10) throw new Error('the table kept refusing a batch write');
      const result = await dynamo.send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending as never } }));
      pending = result.UnprocessedItems?.[tableName()] as Record<string, unknown>[] | undefined;
      if (pending?.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}

/**
 * Replaces every day aggregate with these (days no longer present are deleted), stores the
 * subject labels, and marks the given events as counted so that the stream, redelivering them,
 * does not count them again.
 */
export async function replaceAggregates(input: {
  days: Iterable<DayAggregate>;
  labels: Record<string, string>;
  counted: { complaintId: string; eventSk: string }[];
  now: Date;
}): Promise<{ days: number }> {
  const fresh = new Map([...input.days].map((d) => [d.day, d]));
  const existing = await queryAll<Record<string, unknown>>({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': ANALYTICS_PK, ':prefix': DAY_PREFIX },
    ProjectionExpression: 'pk, sk',
  });
  const gone = existing.filter((item) => !fresh.has((item.sk as string).slice(DAY_PREFIX.length)));
  for (const day of fresh.values()) {
    const item: Record<string, unknown> = { ...dayKey(day.day), kind: 'analytics-day' };
    for (const [k, n] of Object.entries(day.counters)) if (n !== 0) item[`${COUNTER}${k}`] = n;
    for (const [k, list] of Object.entries(day.durations)) item[`${DURATION}${k}`] = list;
    await dynamo.send(new PutCommand({ TableName: tableName(), Item: item }));
  }
  await batchWrite([
    ...gone.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
    ...Object.entries(input.labels).map(([key, label]) => ({
      PutRequest: { Item: { ...subjectKey(key), kind: 'analytics-subject', label } },
    })),
    ...input.counted.map((c) => ({
      PutRequest: {
        Item: {
          ...appliedKey(c.complaintId, c.eventSk),
          kind: 'analytics-applied',
          expiresAt: epochSeconds(input.now) + MARKER_DAYS * 86400,
        },
      },
    })),
  ]);
  return { days: fresh.size };
}

/** Claims the weekly report of the week starting `weekFrom`: true once, false for every later try. */
export function claimWeeklyReport(weekFrom: string, now: Date): Promise<boolean> {
  return writeOneIf({
    put: {
      TableName: tableName(),
      Item: { pk: ANALYTICS_PK, sk: `REPORT#weekly#${weekFrom}`, kind: 'analytics-report', sentAt: now.toISOString() },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
}
