import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ComplaintRecord } from '../domain/complaint';
import { lateBound, pageOf } from '../domain/queue';
import type { ComplaintEvent } from '../domain/history';
import { dynamo } from '../lib/clients/dynamo';
import { putEvent } from './events';
import { numberKey, type NumberItem } from './numbers';
import { index } from './schema';
import { queryAll, tableName, withoutKeys } from './table';

/**
 * What the staff desk reads: open work from the work queues (byTeam per team partition, byHolder
 * per holder: each query bounded by the page size, merged by queue position), a case by its
 * number (NUMBER#…) or by complainant (byComplainant). No scans. Also the staff-only events the
 * desk appends (views, notes).
 */
export type QueueSource =
  | { teamKey: string; categories?: readonly string[] }
  | { holder: string; categories?: readonly string[] };

export interface WorkQuery {
  sources: readonly QueueSource[];
  status?: string;
  /** Only work late at this instant (a range of positions: queue.ts lateBound). */
  lateAt?: string;
  /** Resume after this position (the last one of the page before). */
  after?: string;
  limit: number;
}

/** A filtered page may come back short; its reads go on at most this many rounds to fill it. */
const ROUNDS = 3;

interface SourceState {
  source: QueueSource;
  startKey?: Record<string, unknown>;
  /** The last position read, while more may follow. */
  frontier?: string;
  done: boolean;
}

/**
 * One page of open work out of several queues, in queue order: each queue is read with `Limit`
 * = the page size from where the page starts, so a page costs one query per queue however much
 * work waits. A filter (status, categories) may leave a read short: only the queues that could
 * still hold part of the page are read again, for at most ROUNDS rounds; a page still short then
 * ends where every queue was read to, and `next` goes on from there.
 */
export async function queryWork(input: WorkQuery): Promise<{ items: ComplaintRecord[]; next?: string }> {
  const upper = input.lateAt ? lateBound(input.lateAt) : undefined;
  if (input.sources.length === 0 || (upper && input.after && input.after >= upper)) return { items: [] };
  const states: SourceState[] = input.sources.map((source) => ({ source, done: false }));
  const found = new Map<string, { position: string; record: ComplaintRecord }>();
  let page: ReturnType<typeof pageOf<{ position: string; record: ComplaintRecord }>> = { items: [], settled: true };
  for (let round = 0; round < ROUNDS; round++) {
    // After the first round, only a queue whose last position read is before the page's last
    // candidate can still add to the page.
    const candidates = [...found.values()].map((f) => f.position).sort();
    const reach = candidates.length >= input.limit ? candidates[input.limit - 1] : undefined;
    const reading = states.filter((s) => !s.done && (round === 0 || reach === undefined || s.frontier! < reach));
    await Promise.all(reading.map((state) => readMore(state, input, upper, found)));
    page = pageOf(
      [...found.values()],
      states.filter((s) => !s.done).map((s) => s.frontier!),
      input.limit,
    );
    if (page.settled) break;
  }
  return { items: page.items.map((f) => f.record), ...(page.next ? { next: page.next } : {}) };
}

async function readMore(
  state: SourceState,
  input: WorkQuery,
  upper: string | undefined,
  found: Map<string, { position: string; record: ComplaintRecord }>,
): Promise<void> {
  const { source } = state;
  const queue = index('teamKey' in source ? 'byTeam' : 'byHolder');
  const names: Record<string, string> = { '#p': queue.partitionKey };
  const values: Record<string, unknown> = { ':p': 'teamKey' in source ? source.teamKey : source.holder };
  // The key range: after the page's start (a later round goes on from where this queue stopped),
  // and before the late bound. BETWEEN takes its ends in, so the start itself is read and dropped.
  const after = state.startKey ? undefined : input.after;
  let range = '';
  if (after !== undefined || upper !== undefined) {
    names['#q'] = queue.sortKey;
    if (after !== undefined) values[':after'] = after;
    if (upper !== undefined) values[':upper'] = upper;
    range =
      after !== undefined && upper !== undefined
        ? ' AND #q BETWEEN :after AND :upper'
        : after !== undefined
          ? ' AND #q > :after'
          : ' AND #q < :upper';
  }
  const filters: string[] = [];
  if (source.categories) {
    names['#c'] = 'category';
    filters.push(`#c IN (${source.categories.map((c, i) => ((values[`:c${i}`] = c), `:c${i}`)).join(', ')})`);
  }
  if (input.status) {
    names['#s'] = 'status';
    values[':s'] = input.status;
    filters.push('#s = :s');
  }
  const inclusiveStart = after !== undefined && upper !== undefined;
  const page = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: queue.IndexName,
      KeyConditionExpression: `#p = :p${range}`,
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      Limit: input.limit + (inclusiveStart ? 1 : 0),
      ...(state.startKey ? { ExclusiveStartKey: state.startKey } : {}),
    }),
  );
  for (const item of page.Items ?? []) {
    const position = item[queue.sortKey] as string;
    if (input.after !== undefined && position <= input.after) continue;
    const record = withoutKeys<ComplaintRecord>(item);
    if (!found.has(record.id)) found.set(record.id, { position, record });
  }
  state.startKey = page.LastEvaluatedKey;
  state.done = !page.LastEvaluatedKey;
  state.frontier = page.LastEvaluatedKey ? (page.LastEvaluatedKey[queue.sortKey] as string) : undefined;
}

/** The complaint a number names, if any. */
export async function complaintIdOfNumber(number: string): Promise<string | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName(), Key: numberKey(number) }));
  return (Item as NumberItem | undefined)?.complaintId;
}

/** A complainant's complaints (byComplainant), newest first. */
export async function complaintsOfComplainant(complainantKey: string, limit = 50): Promise<ComplaintRecord[]> {
  const byComplainant = index('byComplainant');
  const items = await queryAll<Record<string, unknown>>(
    {
      TableName: tableName(),
      IndexName: byComplainant.IndexName,
      KeyConditionExpression: '#k = :k',
      ExpressionAttributeNames: { '#k': byComplainant.partitionKey },
      ExpressionAttributeValues: { ':k': complainantKey },
      ScanIndexForward: false,
      Limit: limit,
    },
    limit,
  );
  return items.map((item) => withoutKeys<ComplaintRecord>(item));
}

/** Appends a staff-only event (a view, a note) to an existing complaint. */
export async function appendStaffEvent(complaintId: string, event: ComplaintEvent): Promise<void> {
  const { Put } = putEvent(complaintId, event);
  await dynamo.send(new PutCommand({ ...Put, ConditionExpression: 'attribute_not_exists(pk)' }));
}
