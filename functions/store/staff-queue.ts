import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ComplaintRecord } from '../domain/complaint';
import { lateBound, pageOf, queuePosition } from '../domain/queue';
import type { ComplaintEvent } from '../domain/history';
import { dynamo } from '../lib/clients/dynamo';
import { putEvent } from './events';
import { numberKey, type NumberItem } from './numbers';
import { index, PARTITIONS } from './schema';
import { queryAll, tableName, withoutKeys } from './table';

/**
 * What the staff desk reads: open work from the work queues (byTeam per team partition, sorted by
 * queue position; byAssignee per holder, by deadline: each query bounded by the page size, merged
 * by queue position), a case by its number (NUMBER#…) or by complainant (byComplainant). No
 * scans. Also the staff-only events the desk appends (views, notes).
 */
export type QueueSource =
  | { teamKey: string; categories?: readonly string[]; heldBy?: string }
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
  /** The position of the last item read, while more may follow. */
  frontier?: string;
  done: boolean;
}

type Found = { position: string; record: ComplaintRecord };

/**
 * One page of open work out of several queues, in queue order: each queue is read with `Limit`
 * = the page size from where the page starts, so a page costs one query per queue however much
 * work waits. A filter (status, categories, holder) may leave a read short: only the queues that
 * could still hold part of the page are read again, for at most ROUNDS rounds; a page still short
 * then ends where every queue was read to, and `next` goes on from there.
 */
export async function queryWork(input: WorkQuery): Promise<{ items: ComplaintRecord[]; next?: string }> {
  const upper = input.lateAt ? lateBound(input.lateAt) : undefined;
  if (input.sources.length === 0 || (upper && input.after && input.after >= upper)) return { items: [] };
  const states: SourceState[] = input.sources.map((source) => ({ source, done: false }));
  const found = new Map<string, Found>();
  let page: { items: Found[]; next?: string; settled: boolean } = { items: [], settled: true };
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

/**
 * The key range of one read. A team queue is sorted by position itself. A holder's (byAssignee)
 * is sorted by deadline, which is position order for the work a holder's read is used for (no
 * escalated task: queue.ts queueReads), so its range is the deadlines of the positions; BETWEEN
 * and >= take their ends in, and what is not after the page's start is dropped when read.
 */
function keyRange(
  team: boolean,
  after: string | undefined,
  upper: string | undefined,
): { condition: string; values: Record<string, unknown> } {
  const deadlineOf = (position: string) => position.slice(2, position.lastIndexOf('#'));
  const from = after === undefined ? undefined : team ? after : after.startsWith('1#') ? deadlineOf(after) : undefined;
  const to = upper === undefined ? undefined : team ? upper : deadlineOf(upper.replace(/\$$/, '#'));
  const values: Record<string, unknown> = {};
  if (from !== undefined) values[':from'] = from;
  if (to !== undefined) values[':to'] = to;
  const condition =
    from !== undefined && to !== undefined
      ? ' AND #q BETWEEN :from AND :to'
      : from !== undefined
        ? ` AND #q ${team ? '>' : '>='} :from`
        : to !== undefined
          ? ` AND #q ${team ? '<' : '<='} :to`
          : '';
  return { condition, values };
}

async function readMore(
  state: SourceState,
  input: WorkQuery,
  upper: string | undefined,
  found: Map<string, Found>,
): Promise<void> {
  const { source } = state;
  const team = 'teamKey' in source;
  const queue = index(team ? 'byTeam' : 'byAssignee');
  // A later round goes on from where this queue stopped.
  const range = keyRange(team, state.startKey ? undefined : input.after, upper);
  const names: Record<string, string> = {
    '#p': queue.partitionKey,
    ...(range.condition ? { '#q': queue.sortKey } : {}),
  };
  const values: Record<string, unknown> = { ':p': team ? source.teamKey : source.holder, ...range.values };
  const filters: string[] = [];
  if (source.categories) {
    names['#c'] = 'category';
    filters.push(`#c IN (${source.categories.map((c, i) => ((values[`:c${i}`] = c), `:c${i}`)).join(', ')})`);
  }
  if (team && source.heldBy) {
    names['#h'] = 'assignee';
    values[':h'] = source.heldBy;
    filters.push('#h = :h');
  }
  if (input.status) {
    names['#s'] = 'status';
    values[':s'] = input.status;
    filters.push('#s = :s');
  }
  const page = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: queue.IndexName,
      KeyConditionExpression: `#p = :p${range.condition}`,
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      Limit: input.limit + (range.condition.includes('BETWEEN') || range.condition.includes('>=') ? 1 : 0),
      ...(state.startKey ? { ExclusiveStartKey: state.startKey } : {}),
    }),
  );
  for (const item of page.Items ?? []) {
    const record = withoutKeys<ComplaintRecord>(item);
    // byAssignee also lists what a holder waits on others for (no position): not staff work.
    const position = team ? (item[queue.sortKey] as string) : queuePosition(record);
    if (!position || (input.after !== undefined && position <= input.after)) continue;
    if (upper !== undefined && position >= upper) continue;
    if (!found.has(record.id)) found.set(record.id, { position, record });
  }
  const last = page.LastEvaluatedKey;
  state.startKey = last;
  state.done = !last;
  state.frontier = !last
    ? undefined
    : team
      ? (last[queue.sortKey] as string)
      : `1#${last[queue.sortKey] as string}#${(last.pk as string).slice(PARTITIONS.complaint.length)}`;
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

/** Work escalated away from a person, still open (byEscalatedFrom), oldest deadline first: one bounded query. */
export async function escalatedFrom(email: string, limit = 20): Promise<ComplaintRecord[]> {
  const byEscalatedFrom = index('byEscalatedFrom');
  const { Items } = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: byEscalatedFrom.IndexName,
      KeyConditionExpression: '#k = :k',
      ExpressionAttributeNames: { '#k': byEscalatedFrom.partitionKey },
      ExpressionAttributeValues: { ':k': email },
      Limit: limit,
    }),
  );
  return (Items ?? []).map((item) => withoutKeys<ComplaintRecord>(item));
}

/** Appends a staff-only event (a view, a note) to an existing complaint. */
export async function appendStaffEvent(complaintId: string, event: ComplaintEvent): Promise<void> {
  const { Put } = putEvent(complaintId, event);
  await dynamo.send(new PutCommand({ ...Put, ConditionExpression: 'attribute_not_exists(pk)' }));
}
