import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ComplaintRecord } from '../domain/complaint';
import { lateBound, pageOf, queuePosition } from '../domain/queue';
import type { ComplaintEvent } from '../domain/history';
import { dynamo } from '../lib/clients/dynamo';
import { putEvent } from './events';
import { numberKey, type NumberItem } from './numbers';
import { index } from './schema';
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
  /** A team queue's: where its next read goes on (a holder's reads go by deadline). */
  startKey?: Record<string, unknown>;
  /**
   * A holder's queue only (sorted by deadline, whose ties DynamoDB returns in no promised order):
   * where its next read starts, `>=` a deadline (`from`: its group is read again from the start)
   * or `>` one (`after`: that group is known whole); `group`: a deadline whose tasks filled a
   * whole read, read to its end next.
   */
  holderFrom?: { deadline: string; inclusive: boolean };
  group?: { deadline: string; startKey: Record<string, unknown> };
  /** The last position known complete up to, while more may follow. */
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

/** Every position of a deadline sorts after this one (`#` ends the deadline, an id follows). */
const groupStart = (deadline: string) => `1#${deadline}#`;
/** Every position of a deadline sorts before this one (ids are Crockford letters and digits). */
const groupEnd = (deadline: string) => `1#${deadline}#~`;
const deadlineOf = (position: string) => position.slice(2, position.lastIndexOf('#'));

/**
 * Where a holder's first read starts, from the page's start: a position past a whole deadline
 * group (`groupEnd`) starts after that deadline; any other starts at its deadline, whose tasks not
 * after the position are dropped when read.
 */
function holderStart(after: string | undefined): SourceState['holderFrom'] {
  if (after === undefined || !after.startsWith('1#')) return undefined;
  return { deadline: deadlineOf(after), inclusive: !after.endsWith('#~') };
}

/**
 * The key range of one read. A team queue is sorted by position itself, its range the positions'.
 * A holder's (byAssignee) is sorted by deadline, which is position order for the work a holder's
 * read is used for (no escalated task: queue.ts queueReads), so its range is deadlines.
 */
function keyRange(
  from: { value: string; inclusive: boolean } | undefined,
  to: string | undefined,
): { condition: string; values: Record<string, unknown> } {
  const values: Record<string, unknown> = {};
  if (from) values[':from'] = from.value;
  if (to !== undefined) values[':to'] = to;
  const condition =
    from && to !== undefined
      ? ' AND #q BETWEEN :from AND :to'
      : from
        ? ` AND #q ${from.inclusive ? '>=' : '>'} :from`
        : to !== undefined
          ? ' AND #q <= :to'
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
  // Where a holder's read starts: where its last read left it, or the page's start for its first.
  const from = team ? undefined : (state.holderFrom ?? holderStart(input.after));
  let range: { condition: string; values: Record<string, unknown> };
  let limit: number | undefined;
  if (team) {
    // A later round goes on from where this queue stopped. BETWEEN takes both ends in: what is
    // not after the page's start or not before its end is dropped when read.
    const after = state.startKey ? undefined : input.after;
    range = keyRange(after === undefined ? undefined : { value: after, inclusive: false }, upper);
    limit = input.limit + (range.condition.includes('BETWEEN') ? 1 : 0);
  } else if (state.group) {
    // Every task of this deadline, to the group's end: only then is any of it in order.
    range = { condition: ' AND #q = :d', values: { ':d': state.group.deadline } };
  } else {
    // One task more than the page (the last deadline read may be cut, and is not shown from this
    // read), and one more again when the read starts on the page's start's deadline.
    limit = input.limit + 1 + (from?.inclusive ? 1 : 0);
    // A strict start reads on past the end (no key condition takes both): what is late no more is dropped.
    const to = upper === undefined || (from && !from.inclusive) ? undefined : deadlineOf(upper.replace(/\$$/, '#'));
    range = keyRange(from && { value: from.deadline, inclusive: from.inclusive }, to);
  }
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
  // A holder's read starts from its key range, but for the rest of a group.
  let last = team ? state.startKey : state.group?.startKey;
  do {
    const read = await dynamo.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: queue.IndexName,
        KeyConditionExpression: `#p = :p${range.condition}`,
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ...(limit !== undefined ? { Limit: limit } : {}),
        ...(last ? { ExclusiveStartKey: last } : {}),
      }),
    );
    for (const item of read.Items ?? []) {
      const record = withoutKeys<ComplaintRecord>(item);
      // byAssignee also lists what a holder waits on others for (no position): not staff work.
      const position = team ? (item[queue.sortKey] as string) : queuePosition(record);
      if (!position || (input.after !== undefined && position <= input.after)) continue;
      if (upper !== undefined && position >= upper) continue;
      if (!found.has(record.id)) found.set(record.id, { position, record });
    }
    last = read.LastEvaluatedKey;
    // A whole group is read in one go (DynamoDB's own 1 MB pages); any other read once.
  } while (last && limit === undefined);

  if (team) {
    state.startKey = last;
    state.done = !last;
    state.frontier = last ? (last[queue.sortKey] as string) : undefined;
    return;
  }
  if (state.group) {
    // The group is whole: what follows starts after its deadline.
    state.holderFrom = { deadline: state.group.deadline, inclusive: false };
    state.frontier = groupEnd(state.group.deadline);
    state.group = undefined;
    state.done = upper !== undefined && state.frontier >= upper;
    return;
  }
  if (!last) {
    state.done = true;
    return;
  }
  // The last deadline read may have more tasks after this read, in no order: none of it is known
  // complete. Its group is read again from its start next time, or, when it filled the whole read
  // (nothing before it to show), read to its end.
  const deadline = last[queue.sortKey] as string;
  state.frontier = groupStart(deadline);
  state.done = upper !== undefined && state.frontier >= upper;
  if (from?.inclusive && from.deadline === deadline) state.group = { deadline, startKey: last };
  else state.holderFrom = { deadline, inclusive: true };
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
