import { createHash, randomUUID } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { CaseFacts } from '../domain/analytics';
import type {
  Chain,
  FigureStore,
  Increments,
  MemoryFigureStore,
  Snapshot,
  SubjectCounts,
  TeamDayItem,
  TopList,
} from '../domain/analytics-figures';
import type { ComplaintEvent } from '../domain/history';
import { packHistogram, unpackHistogram, type Histogram } from '../domain/histogram';
import { dynamo } from '../lib/clients/dynamo';
import type { ComplaintRecord } from './complaints';
import { COMPLAINT_PREFIX, complaintKey } from './complaint-key';
import { EVENT_PREFIX } from './events';
import { epochSeconds, index, PARTITIONS } from './schema';
import { queryAll, tableName, withoutKeys, writeOneIf } from './table';

/**
 * The desk's figures (domain/analytics-figures.ts says what each holds), in items of bounded
 * size, and the batches of history events on their way into them:
 *
 *   ANALYTICS#DAY#<date>                        TEAM#<team>   a team's counters of that day
 *   ANALYTICS#DAY#<date>                        TOP#<team>    its most complained-about subjects that day
 *   ANALYTICS#SUBJECT#<date>#<n>                <subject key> complaints on one matter that day, per team
 *   ANALYTICS#RUNNING#TIMES#<team>              <date>        the team's times up to that day
 *   ANALYTICS#RUNNING#PERSON#<team>#<email>     <date>        a person's figures on the team's cases up to that day
 *   ANALYTICS#BATCH#<n>                         <sequence>    a stream batch's increments, not yet rolled up
 *   ANALYTICS#APPLIED#<n>                       <sequence>    that batch was rolled up (expires)
 *   ANALYTICS                                   ROLLUP        the roll-up's lease, its count and what it is doing
 *   ANALYTICS                                   CUTOFF        the last rebuild counted events up to this time
 *   ANALYTICS                                   REPORT#weekly#<date>  the weekly report of that week was sent
 *
 * Two steps, so that no write depends on the volume. The stream aggregator sums a batch of events
 * into one item (`ANALYTICS#BATCH#…`, keyed by the batch's first stream record; a batch delivered
 * again finds it, or its marker, and is not counted twice). The roll-up (every minute) adds the
 * waiting batches into the figures' items, each item once per roll-up, and marks the batches
 * rolled up. No item is written by more than one roll-up at a time (a lease), so nothing is hot;
 * the batches are spread over BATCH_SHARDS partitions.
 */
export const ANALYTICS_PK = PARTITIONS.analytics;
/** Partitions the stream batches are spread over (at 500 complaints/s, about 5 % of one partition's writes each). */
export const BATCH_SHARDS = 8;
/** Partitions a day's subjects are spread over (a roll-up writes thousands at once at volume). */
export const SUBJECT_SHARDS = 32;
/** A stream redelivers a record for at most 24 hours: markers outlive that, then expire. */
export const MARKER_DAYS = 7;
/** Subjects' days and running totals are kept this long after their day (a year's range and the one before it, past retention). */
const FIGURE_DAYS = 365 + 2 * 366;

const SEQUENCE_DIGITS = 40;
/** A stream sequence number, padded so that the table orders them as numbers. */
export const sequenceKey = (sequence: string) => sequence.padStart(SEQUENCE_DIGITS, '0');
const shardOfText = (text: string, shards: number) =>
  createHash('sha256').update(text).digest().readUInt32BE(0) % shards;

export const teamDayKey = (day: string, team: string) => ({
  pk: `${PARTITIONS.analyticsDay}${day}`,
  sk: `TEAM#${team}`,
});
export const topKey = (day: string, team: string) => ({ pk: `${PARTITIONS.analyticsDay}${day}`, sk: `TOP#${team}` });
export const subjectDayKey = (day: string, subjectKey: string) => ({
  pk: `${PARTITIONS.analyticsSubject}${day}#${shardOfText(subjectKey, SUBJECT_SHARDS)}`,
  sk: subjectKey,
});
export const runningKey = (chain: Chain, day: string) => ({
  pk:
    chain.kind === 'times'
      ? `${PARTITIONS.analyticsRunning}TIMES#${chain.team}`
      : `${PARTITIONS.analyticsRunning}PERSON#${chain.team}#${chain.email}`,
  sk: day,
});
export const batchKey = (firstSequence: string) => {
  const sk = sequenceKey(firstSequence);
  return { pk: `${PARTITIONS.analyticsBatch}${shardOfText(sk, BATCH_SHARDS)}`, sk };
};
export const appliedKey = (firstSequence: string) => {
  const sk = sequenceKey(firstSequence);
  return { pk: `${PARTITIONS.analyticsApplied}${shardOfText(sk, BATCH_SHARDS)}`, sk };
};
export const rollUpKey = () => ({ pk: ANALYTICS_PK, sk: 'ROLLUP' });
export const cutoffKey = () => ({ pk: ANALYTICS_PK, sk: 'CUTOFF' });

const expiresAfter = (day: string, days: number) =>
  epochSeconds(new Date(new Date(`${day}T00:00:00Z`).getTime() + days * 86_400_000));

// ---- History, as the aggregator and the rebuild read it

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
  const subjectLabel = record.subject?.name ?? record.subject?.ref ?? record.subject?.type;
  return {
    team: team(category),
    category,
    receivedAt: record.receivedAt,
    ...(record.subjectKey ? { subjectKey: record.subjectKey } : {}),
    ...(subjectLabel ? { subjectLabel } : {}),
  };
}

// ---- Stream batches: written by the aggregator, rolled up and marked by the roll-up

/** Increments as stored: deflated JSON (a batch of a few hundred events is a few KB). */
export const packIncrements = (inc: Increments): Uint8Array => deflateRawSync(Buffer.from(JSON.stringify(inc)));
export const unpackIncrements = (bytes: Uint8Array): Increments =>
  JSON.parse(inflateRawSync(Buffer.from(bytes)).toString('utf8')) as Increments;

/** Events up to this time were counted by the last rebuild: the stream leaves them out. */
export async function rebuiltThrough(): Promise<string | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: cutoffKey(), ConsistentRead: true }),
  );
  return Item?.through as string | undefined;
}

/**
 * Whether the stream records from `firstSequence` on were counted before (a batch delivered
 * again): the last record they reach, from the batch item still waiting or from its marker.
 */
export async function countedThrough(firstSequence: string): Promise<string | undefined> {
  const keys = [batchKey(firstSequence), appliedKey(firstSequence)];
  const items = await batchGet(keys, ['through'], true);
  const through = items.map((i) => i.through as string).sort();
  return through.at(-1);
}

/**
 * Stores one batch's increments, keyed by its first stream record; false when that batch was
 * stored before (by an earlier delivery).
 */
export function putBatch(input: {
  firstSequence: string;
  lastSequence: string;
  events: number;
  packed: Uint8Array;
  at: string;
}): Promise<boolean> {
  return writeOneIf({
    put: {
      TableName: tableName(),
      Item: {
        ...batchKey(input.firstSequence),
        kind: 'analytics-batch',
        through: sequenceKey(input.lastSequence),
        events: input.events,
        at: input.at,
        inc: input.packed,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
}

export interface WaitingBatch {
  pk: string;
  sk: string;
  through: string;
  events: number;
  at: string;
}

/** The batches waiting for the roll-up (keys and sizes only; at most `limit` per partition). */
export async function waitingBatches(limit: number): Promise<WaitingBatch[]> {
  const shards = await Promise.all(
    Array.from({ length: BATCH_SHARDS }, (_, n) =>
      queryAll<WaitingBatch>(
        {
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `${PARTITIONS.analyticsBatch}${n}` },
          ProjectionExpression: 'pk, sk, through, events, #at',
          ExpressionAttributeNames: { '#at': 'at' },
          ConsistentRead: true,
          Limit: limit,
        },
        limit,
      ),
    ),
  );
  return shards.flat();
}

/** Which of these batches were rolled up already (their marker is there). */
export async function alreadyApplied(batches: readonly { sk: string }[]): Promise<Set<string>> {
  const keys = batches.map((b) => ({ pk: appliedKey(b.sk).pk, sk: b.sk }));
  return new Set((await batchGet(keys, [], true)).map((i) => i.sk as string));
}

/** The increments of these batches (those still there). */
export async function batchIncrements(batches: readonly { pk: string; sk: string }[]): Promise<Increments[]> {
  const items = await batchGet(
    batches.map((b) => ({ pk: b.pk, sk: b.sk })),
    ['inc'],
    true,
  );
  return items.map((i) => unpackIncrements(i.inc as Uint8Array));
}

/** Marks stream records from `firstSequence` to `lastSequence` counted although they added nothing (expires after MARKER_DAYS). */
export async function markCounted(firstSequence: string, lastSequence: string, now: Date): Promise<void> {
  await dynamo.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...appliedKey(firstSequence),
        kind: 'analytics-applied',
        through: sequenceKey(lastSequence),
        expiresAt: epochSeconds(now) + MARKER_DAYS * 86400,
      },
    }),
  );
}

/** Marks batches rolled up (markers expire after MARKER_DAYS) and deletes them, with any already rolled up. */
export async function markApplied(
  applied: readonly { sk: string; through: string }[],
  remove: readonly { pk: string; sk: string }[],
  now: Date,
): Promise<void> {
  const expiresAt = epochSeconds(now) + MARKER_DAYS * 86400;
  await batchWrite(
    applied.map((b) => ({
      PutRequest: {
        Item: { pk: appliedKey(b.sk).pk, sk: b.sk, kind: 'analytics-applied', through: b.through, expiresAt },
      },
    })),
  );
  await batchWrite(remove.map((b) => ({ DeleteRequest: { Key: { pk: b.pk, sk: b.sk } } })));
}

// ---- The roll-up's lease and state

export interface RollUpState {
  /** The last roll-up finished. */
  fold: number;
  /** A roll-up begun and not finished: its number and its batches (it is done again, to the same effect). */
  intent?: FoldIntent;
}

export interface FoldIntent {
  fold: number;
  batches: { pk: string; sk: string; through: string }[];
}

/** An intent as stored: its batches' keys deflated (a thousand keys in a few KB). */
const packIntent = (intent: FoldIntent) => ({
  fold: intent.fold,
  batches: deflateRawSync(Buffer.from(JSON.stringify(intent.batches.map((b) => [b.sk, b.through])))),
});
const unpackIntent = (stored: { fold: number; batches: Uint8Array }): FoldIntent => ({
  fold: Number(stored.fold),
  batches: (JSON.parse(inflateRawSync(Buffer.from(stored.batches)).toString('utf8')) as [string, string][]).map(
    ([sk, through]) => ({ pk: batchKey(sk).pk, sk, through }),
  ),
});

/** Whether a roll-up was begun and not finished (it is done again before any other). */
export async function rollUpPending(): Promise<boolean> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: rollUpKey(), ProjectionExpression: 'intent', ConsistentRead: true }),
  );
  return !!Item?.intent;
}

/** Takes the roll-up's lease until `until`; undefined while another roll-up holds it. */
export async function takeRollUpLease(holder: string, now: Date, until: Date): Promise<RollUpState | undefined> {
  try {
    const { Attributes } = await dynamo.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: rollUpKey(),
        UpdateExpression: 'SET #kind = :kind, leaseUntil = :until, holder = :holder, fold = if_not_exists(fold, :zero)',
        ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: {
          ':kind': 'analytics-rollup',
          ':until': until.toISOString(),
          ':holder': holder,
          ':now': now.toISOString(),
          ':zero': 0,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return {
      fold: Number(Attributes?.fold ?? 0),
      ...(Attributes?.intent ? { intent: unpackIntent(Attributes.intent) } : {}),
    };
  } catch (error) {
    if ((error as { name?: string })?.name === 'ConditionalCheckFailedException') return undefined;
    throw error;
  }
}

/** Records what roll-up `fold` is about to add (while the lease is ours). */
export async function beginFold(holder: string, intent: FoldIntent): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: rollUpKey(),
      UpdateExpression: 'SET intent = :intent',
      ConditionExpression: 'holder = :holder',
      ExpressionAttributeValues: { ':intent': packIntent(intent), ':holder': holder },
    }),
  );
}

/** Roll-up `fold` is done. */
export async function endFold(holder: string, fold: number): Promise<void> {
  await dynamo.send(
    new UpdateCommand({
      TableName: tableName(),
      Key: rollUpKey(),
      UpdateExpression: 'SET fold = :fold REMOVE intent',
      ConditionExpression: 'holder = :holder',
      ExpressionAttributeValues: { ':fold': fold, ':holder': holder },
    }),
  );
}

export async function releaseRollUpLease(holder: string): Promise<void> {
  await writeOneIf({
    update: {
      TableName: tableName(),
      Key: rollUpKey(),
      UpdateExpression: 'REMOVE leaseUntil, holder',
      ConditionExpression: 'holder = :holder',
      ExpressionAttributeValues: { ':holder': holder },
    },
  });
}

export const newHolder = () => randomUUID();

// ---- The figures' items on the table

const COUNTER = 'n:';
const TEAM_PERSON = 'people';
const isConditionFailed = (error: unknown) => (error as { name?: string })?.name === 'ConditionalCheckFailedException';
const FOLD_CONDITION = 'attribute_not_exists(fold) OR fold < :fold';

function snapshotOf(item: Record<string, unknown>): Snapshot {
  const h: Record<string, Histogram> = {};
  for (const [m, bytes] of Object.entries((item.h as Record<string, Uint8Array>) ?? {})) h[m] = unpackHistogram(bytes);
  return {
    day: item.sk as string,
    fold: Number(item.fold ?? 0),
    n: Object.fromEntries(Object.entries((item.n as Record<string, unknown>) ?? {}).map(([k, v]) => [k, Number(v)])),
    h,
  };
}

/** A snapshot as stored (histograms packed). */
export function snapshotItem(chain: Chain, s: Snapshot): Record<string, unknown> {
  return {
    ...runningKey(chain, s.day),
    kind: 'analytics-running',
    fold: s.fold,
    n: s.n,
    h: Object.fromEntries(Object.entries(s.h).map(([m, hist]) => [m, packHistogram(hist)])),
    expiresAt: expiresAfter(s.day, FIGURE_DAYS),
  };
}

/** A team's day as stored. */
export function teamDayItem(t: TeamDayItem, fold: number): Record<string, unknown> {
  return {
    ...teamDayKey(t.day, t.team),
    kind: 'analytics-team-day',
    fold,
    ...Object.fromEntries(Object.entries(t.counters).map(([k, n]) => [`${COUNTER}${k}`, n])),
    ...(t.people.length ? { [TEAM_PERSON]: new Set(t.people) } : {}),
  };
}

export function topItem(day: string, team: string, top: TopList, fold: number): Record<string, unknown> {
  return { ...topKey(day, team), kind: 'analytics-top', fold, top };
}

export function subjectItem(
  day: string,
  key: string,
  teams: Record<string, number>,
  label: string | undefined,
  fold: number,
): Record<string, unknown> {
  return {
    ...subjectDayKey(day, key),
    kind: 'analytics-subject',
    fold,
    ...Object.fromEntries(Object.entries(teams).map(([team, n]) => [`t:${team}`, n])),
    ...(label ? { label } : {}),
    expiresAt: expiresAfter(day, FIGURE_DAYS),
  };
}

function teamDayOf(item: Record<string, unknown>): TeamDayItem {
  const counters: Record<string, number> = {};
  for (const [name, value] of Object.entries(item))
    if (name.startsWith(COUNTER) && Number(value)) counters[name.slice(COUNTER.length)] = Number(value);
  return {
    day: (item.pk as string).slice(PARTITIONS.analyticsDay.length),
    team: (item.sk as string).slice('TEAM#'.length),
    counters,
    people: [...((item[TEAM_PERSON] as Set<string> | undefined) ?? [])].sort(),
  };
}

const teamsOfSubject = (item: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(item)
      .filter(([name]) => name.startsWith('t:'))
      .map(([name, n]) => [name.slice(2), Number(n)]),
  );

/** The figures' items on the table, as domain/analytics-figures.ts reads and writes them. */
export const tableFigures: FigureStore = {
  async addTeamDay(day, team, counters, people, fold) {
    const names: Record<string, string> = { '#kind': 'kind' };
    const values: Record<string, unknown> = { ':fold': fold, ':kind': 'analytics-team-day' };
    const adds: string[] = [];
    Object.entries(counters).forEach(([metric, n], i) => {
      names[`#c${i}`] = `${COUNTER}${metric}`;
      values[`:c${i}`] = n;
      adds.push(`#c${i} :c${i}`);
    });
    if (people.length) {
      names['#people'] = TEAM_PERSON;
      values[':people'] = new Set(people);
      adds.push('#people :people');
    }
    try {
      await dynamo.send(
        new UpdateCommand({
          TableName: tableName(),
          Key: teamDayKey(day, team),
          UpdateExpression: `SET fold = :fold, #kind = :kind${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
          ConditionExpression: FOLD_CONDITION,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  },

  async addSubjects(day, entries, fold) {
    const out: Record<string, Record<string, number>> = {};
    await parallel(entries, 32, async (e) => {
      const names: Record<string, string> = { '#kind': 'kind' };
      const values: Record<string, unknown> = {
        ':fold': fold,
        ':kind': 'analytics-subject',
        ':exp': expiresAfter(day, FIGURE_DAYS),
      };
      const adds = Object.entries(e.add).map(([team, n], i) => {
        names[`#t${i}`] = `t:${team}`;
        values[`:t${i}`] = n;
        return `#t${i} :t${i}`;
      });
      const sets = ['fold = :fold', '#kind = :kind', 'expiresAt = :exp'];
      if (e.label) {
        values[':label'] = e.label;
        sets.push('label = if_not_exists(label, :label)');
      }
      try {
        const { Attributes } = await dynamo.send(
          new UpdateCommand({
            TableName: tableName(),
            Key: subjectDayKey(day, e.key),
            UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
            ConditionExpression: FOLD_CONDITION,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        );
        out[e.key] = teamsOfSubject(Attributes ?? {});
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
        // Added by this roll-up before it stopped: its counts now.
        const { Item } = await dynamo.send(
          new GetCommand({ TableName: tableName(), Key: subjectDayKey(day, e.key), ConsistentRead: true }),
        );
        out[e.key] = teamsOfSubject(Item ?? {});
      }
    });
    return out;
  },

  async getTop(day, team) {
    const { Item } = await dynamo.send(
      new GetCommand({ TableName: tableName(), Key: topKey(day, team), ConsistentRead: true }),
    );
    return Item ? { top: (Item.top as TopList) ?? [], fold: Number(Item.fold ?? 0) } : undefined;
  },

  async putTop(day, team, top, fold) {
    await writeOneIf({
      put: {
        TableName: tableName(),
        Item: topItem(day, team, top, fold),
        ConditionExpression: FOLD_CONDITION,
        ExpressionAttributeValues: { ':fold': fold },
      },
    });
  },

  async readChain(chain, from) {
    const { pk } = runningKey(chain, from);
    const [before, after] = await Promise.all([
      dynamo.send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk AND sk < :from',
          ExpressionAttributeValues: { ':pk': pk, ':from': from },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
      queryAll<Record<string, unknown>>({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND sk >= :from',
        ExpressionAttributeValues: { ':pk': pk, ':from': from },
        ConsistentRead: true,
      }),
    ]);
    const base = before.Items?.[0];
    return { ...(base ? { base: snapshotOf(base) } : {}), existing: after.map(snapshotOf) };
  },

  async putSnapshots(chain, snapshots) {
    for (const s of snapshots)
      await writeOneIf({
        put: {
          TableName: tableName(),
          Item: snapshotItem(chain, s),
          ConditionExpression: FOLD_CONDITION,
          ExpressionAttributeValues: { ':fold': s.fold },
        },
      });
  },

  async readDays(days) {
    const teamDays: TeamDayItem[] = [];
    const tops: { day: string; team: string; top: TopList }[] = [];
    await parallel(days, 16, async (day) => {
      // A day holds two items per team: bounded by the desk's configuration.
      const items = await queryAll<Record<string, unknown>>({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `${PARTITIONS.analyticsDay}${day}` },
      });
      for (const item of items) {
        const sk = item.sk as string;
        if (sk.startsWith('TEAM#')) teamDays.push(teamDayOf(item));
        else if (sk.startsWith('TOP#'))
          tops.push({ day, team: sk.slice('TOP#'.length), top: (item.top as TopList) ?? [] });
      }
    });
    return { teamDays, tops };
  },

  async snapshotAt(chain, day) {
    const { Items } = await dynamo.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND sk <= :day',
        ExpressionAttributeValues: { ':pk': runningKey(chain, day).pk, ':day': day },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    return Items?.[0] ? snapshotOf(Items[0]) : undefined;
  },

  async readSubjects(days, keys) {
    const wanted = days.flatMap((day) => keys.map((key) => subjectDayKey(day, key)));
    const byKey = new Map<string, SubjectCounts>(keys.map((key) => [key, { key, counts: {} }]));
    for (const item of await batchGet(wanted, undefined, false)) {
      const s = byKey.get(item.sk as string);
      if (!s) continue;
      const day = (item.pk as string).slice(PARTITIONS.analyticsSubject.length).replace(/#\d+$/, '');
      s.counts[day] = teamsOfSubject(item);
      if (!s.label && item.label) s.label = item.label as string;
    }
    return [...byKey.values()];
  },
};

// ---- Bulk reads and writes

async function parallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function batchGet(
  keys: readonly { pk: string; sk: string }[],
  attributes: readonly string[] | undefined,
  consistent: boolean,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const unique = [...new Map(keys.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
  const chunks: { pk: string; sk: string }[][] = [];
  for (let i = 0; i < unique.length; i += 100) chunks.push(unique.slice(i, i + 100));
  const names = attributes && Object.fromEntries(['pk', 'sk', ...attributes].map((a, i) => [`#a${i}`, a]));
  await parallel(chunks, 8, async (chunk) => {
    let request: Record<string, Record<string, unknown>> | undefined = {
      [tableName()]: {
        Keys: chunk,
        ...(names ? { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names } : {}),
        ConsistentRead: consistent,
      },
    };
    for (let attempt = 0; request && Object.keys(request).length; attempt++) {
      if (attempt > 10) throw new Error('the table kept refusing a batch read');
      const page = await dynamo.send(new BatchGetCommand({ RequestItems: request as never }));
      out.push(...(page.Responses?.[tableName()] ?? []));
      request = page.UnprocessedKeys as typeof request;
      if (request && Object.keys(request).length)
        await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
    }
  });
  return out;
}

async function batchWrite(requests: Record<string, unknown>[]): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < requests.length; i += 25) chunks.push(requests.slice(i, i + 25));
  await parallel(chunks, 8, async (chunk) => {
    let pending: Record<string, unknown>[] | undefined = chunk;
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt > 10) throw new Error('the table kept refusing a batch write');
      const result = await dynamo.send(new BatchWriteCommand({ RequestItems: { [tableName()]: pending as never } }));
      pending = result.UnprocessedItems?.[tableName()] as Record<string, unknown>[] | undefined;
      if (pending?.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  });
}

// ---- The rebuild

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

const FIGURE_PARTITIONS = [
  PARTITIONS.analyticsDay,
  PARTITIONS.analyticsSubject,
  PARTITIONS.analyticsRunning,
  PARTITIONS.analyticsBatch,
];

/**
 * Replaces every figure with those of `figures` (computed from the history up to `through`):
 * the old figures and the batches still waiting are deleted, the new ones written as roll-up
 * `fold`, and the stream told to leave out events up to `through`.
 */
export async function replaceFigures(figures: MemoryFigureStore, fold: number, through: string): Promise<number> {
  await dynamo.send(
    new PutCommand({ TableName: tableName(), Item: { ...cutoffKey(), kind: 'analytics-cutoff', through } }),
  );
  const old: { pk: string; sk: string }[] = [];
  let start: ScanCommandInput['ExclusiveStartKey'];
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: tableName(),
        ProjectionExpression: 'pk, sk',
        FilterExpression: FIGURE_PARTITIONS.map((_, i) => `begins_with(pk, :p${i})`).join(' OR '),
        ExpressionAttributeValues: Object.fromEntries(FIGURE_PARTITIONS.map((p, i) => [`:p${i}`, p])),
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) old.push({ pk: item.pk as string, sk: item.sk as string });
    start = page.LastEvaluatedKey;
  } while (start);
  await batchWrite(old.map((Key) => ({ DeleteRequest: { Key } })));
  const items: Record<string, unknown>[] = [
    ...[...figures.teamDays.values()].map((t) => teamDayItem(t, fold)),
    ...[...figures.tops.values()].map((t) => topItem(t.day, t.team, t.top, fold)),
    ...[...figures.subjects.values()].map((s) => subjectItem(s.day, s.key, s.teams, s.label, fold)),
    ...[...figures.chains.entries()].flatMap(([key, snapshots]) =>
      [...snapshots.values()].map((s) => snapshotItem(chainOf(key), { ...s, fold })),
    ),
  ];
  await batchWrite(items.map((Item) => ({ PutRequest: { Item } })));
  return items.length;
}

const chainOf = (key: string): Chain => {
  const [kind, team, ...email] = key.split('|');
  return kind === 'times' ? { kind: 'times', team: team! } : { kind: 'person', team: team!, email: email.join('|') };
};

/** Sets the roll-up's count (the rebuild, holding the lease, writes its figures as the next). */
export async function setFold(holder: string, fold: number): Promise<void> {
  await endFold(holder, fold);
}

// ---- Other reads of the page

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
