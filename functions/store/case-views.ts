import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  isOpenStatusFilter,
  mergeViewPages,
  numberFragments,
  STATUS_OUTCOME,
  statusesOf,
  VIEW_SORTS,
  type CaseViewFilters,
  type ViewRead,
  type ViewSort,
} from '../domain/case-views';
import type { ComplaintRecord } from '../domain/complaint';
import { dynamo } from '../lib/clients/dynamo';
import { complaintKey } from './complaint-key';
import { index, PARTITIONS } from './schema';
import { tableName, withoutKeys } from './table';

/**
 * What a case view reads (domain/case-views.ts): one page per view partition of the byView*
 * index of its order, merged; the numbers that hold a part (`NUMBER#~<part>` / `<number>`,
 * written at intake); a search's records by key. No scans.
 */

/** A view's index entry: the case's id and the value it sorts on (the rest of its row is read by key). */
export interface ViewEntry {
  id: string;
  sortValue: string;
}

/** Where each partition stands: the id and sort value of the last item shown, or done. */
type Positions = Record<string, [string, string] | 0>;

interface Cursor {
  s: ViewSort;
  a: boolean;
  p: Positions;
}

export const encodeViewCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
function decodeViewCursor(text: string | undefined, sort: ViewSort, asc: boolean): Positions {
  if (!text) return {};
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    // A cursor of another order starts the view again.
    return cursor.s === sort && cursor.a === asc && cursor.p && typeof cursor.p === 'object' ? cursor.p : {};
  } catch {
    return {};
  }
}

/** The filter expression of a view's filters that are not its partition. */
function filterOf(filters: CaseViewFilters, now: Date, onDueIndex: boolean) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts: string[] = [];
  const name = (field: string) => ((names[`#${field}`] = field), `#${field}`);
  const value = (key: string, v: unknown) => ((values[`:${key}`] = v), `:${key}`);
  const statuses = statusesOf(filters.status);
  if (statuses) parts.push(`${name('status')} IN (${statuses.map((s, i) => value(`st${i}`, s)).join(', ')})`);
  const outcome = filters.status ? STATUS_OUTCOME[filters.status] : undefined;
  if (outcome) parts.push(`${name('outcome')} = ${value('outcome', outcome)}`);
  if (filters.category) parts.push(`${name('category')} = ${value('category', filters.category)}`);
  if (filters.holder) parts.push(`${name('assignee')} = ${value('holder', filters.holder)}`);
  if (filters.escalatedFrom)
    parts.push(
      `${name('level')} > ${value('zero', 0)} AND ${name('handler')} = ${value('from', filters.escalatedFrom)}`,
    );
  if (filters.channel) parts.push(`${name('channel')} = ${value('channel', filters.channel)}`);
  if (filters.priority) parts.push(`${name('priority')} = ${value('priority', filters.priority)}`);
  if (filters.breached) parts.push(`${name('breached')} = ${value('true', true)}`);
  // Late: its deadline has passed (an escalation's grace deadline counts as its deadline). On the
  // due index, whose key the deadline is, both are a key range instead.
  const dueBy = filters.dueWithinHours
    ? new Date(now.getTime() + filters.dueWithinHours * 3600_000).toISOString()
    : undefined;
  if (!onDueIndex) {
    if (filters.late) parts.push(`${name('deadlineAt')} <= ${value('now', now.toISOString())}`);
    if (dueBy)
      parts.push(
        `${name('deadlineAt')} > ${value('now', now.toISOString())} AND ${name('deadlineAt')} <= ${value('dueBy', dueBy)}`,
      );
  }
  const keyRange =
    onDueIndex && (filters.late || dueBy)
      ? filters.late && dueBy
        ? // Late and due soon at once: nothing is both.
          { condition: ' AND #sort BETWEEN :from AND :to', values: { ':from': '~', ':to': '~' } }
        : filters.late
          ? { condition: ' AND #sort <= :to', values: { ':to': now.toISOString() } }
          : {
              condition: ' AND #sort BETWEEN :from AND :to',
              values: { ':from': `${now.toISOString()}\u0001`, ':to': dueBy! },
            }
      : undefined;
  return { names, values, expression: parts.join(' AND '), keyRange };
}

/**
 * One page of a view: one Query per partition (Limit = the page size, from where the cursor left
 * that partition), merged in the view's order. A filter may leave a partition's read short of a
 * page: the page then ends where that partition's read ended, and the cursor goes on from there.
 * So a request reads at most one page of items per partition, whatever the desk holds.
 */
export async function queryView(
  reads: readonly ViewRead[],
  filters: CaseViewFilters,
  now: Date,
  options: { count?: boolean } = {},
): Promise<{ items: ViewEntry[]; next?: string; count?: number; more?: boolean }> {
  const order = VIEW_SORTS[filters.sort];
  const ix = index(order.index);
  const positions = decodeViewCursor(filters.cursor, filters.sort, filters.asc);
  const filter = filterOf(filters, now, order.index === 'byViewDue');
  const live = reads.filter((read) => positions[read.viewKey] !== 0);
  const pages = await Promise.all(
    live.map(async (read) => {
      const at = positions[read.viewKey];
      const result = await dynamo.send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: ix.IndexName,
          KeyConditionExpression: `#view = :view${filter.keyRange?.condition ?? ''}`,
          ...(filter.expression ? { FilterExpression: filter.expression } : {}),
          ExpressionAttributeNames: {
            '#view': ix.partitionKey,
            ...(filter.keyRange ? { '#sort': ix.sortKey } : {}),
            ...filter.names,
          },
          ExpressionAttributeValues: { ':view': read.viewKey, ...filter.keyRange?.values, ...filter.values },
          ScanIndexForward: filters.asc,
          Limit: filters.limit,
          ...(options.count ? { Select: 'COUNT' } : {}),
          ...(at
            ? { ExclusiveStartKey: { ...complaintKey(at[0]), [ix.partitionKey]: read.viewKey, [ix.sortKey]: at[1] } }
            : {}),
        }),
      );
      return {
        read,
        count: result.Count ?? 0,
        items: (result.Items ?? []).map(
          (item): ViewEntry => ({
            id: (item.pk as string).slice(PARTITIONS.complaint.length),
            sortValue: String(item[ix.sortKey]),
          }),
        ),
        more: !!result.LastEvaluatedKey,
        lastKey: result.LastEvaluatedKey
          ? ([
              (result.LastEvaluatedKey.pk as string).slice(PARTITIONS.complaint.length),
              String(result.LastEvaluatedKey[ix.sortKey]),
            ] as [string, string])
          : undefined,
      };
    }),
  );
  if (options.count)
    return { items: [], count: pages.reduce((sum, page) => sum + page.count, 0), more: pages.some((p) => p.more) };
  const merged = mergeViewPages(
    pages.map((page) => ({ ...page, frontier: page.lastKey?.[1] })),
    (item) => item.sortValue,
    filters.asc,
    filters.limit,
  );
  if (merged.complete) return { items: merged.items };
  const next: Positions = Object.fromEntries(
    reads.filter((read) => positions[read.viewKey] === 0).map((read) => [read.viewKey, 0 as const]),
  );
  pages.forEach((page, p) => {
    const taken = merged.taken[p]!;
    const key = page.read.viewKey;
    if (taken === page.items.length)
      // Everything its read matched is shown: it goes on after what it read, or is done.
      next[key] = page.lastKey ?? 0;
    else if (taken > 0) {
      const last = page.items[taken - 1]!;
      next[key] = [last.id, last.sortValue];
    } else if (positions[key]) next[key] = positions[key]!;
  });
  return { items: merged.items, next: encodeViewCursor({ s: filters.sort, a: filters.asc, p: next }) };
}

/** Whether a filter applies to open cases only, so a closed-status filter cannot be combined with it. */
export const onlyOpen = (filters: CaseViewFilters) => !!filters.status && isOpenStatusFilter(filters.status);

// ---- Numbers by part

const FRAGMENT_PREFIX = `${PARTITIONS.number}~`;

/** The Puts that make a new number findable by each three-character part of its tail (written with the complaint). */
export function numberFragmentPuts(number: string, complaintId: string) {
  return numberFragments(number).map((fragment) => ({
    Put: {
      TableName: tableName(),
      Item: { pk: `${FRAGMENT_PREFIX}${fragment}`, sk: number, number, complaintId },
    },
  }));
}

/** The keys of a number's part items (the purge of its case deletes them). */
export function numberFragmentKeys(number: string): { pk: string; sk: string }[] {
  return numberFragments(number).map((fragment) => ({ pk: `${FRAGMENT_PREFIX}${fragment}`, sk: number }));
}

/** The complaints whose number holds a part, newest first: one bounded read of the part's partition. */
export async function complaintIdsByNumberPart(fragment: string, contains: string, limit: number): Promise<string[]> {
  const result = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      FilterExpression: 'contains(#number, :contains)',
      ExpressionAttributeNames: { '#number': 'number' },
      ExpressionAttributeValues: { ':pk': `${FRAGMENT_PREFIX}${fragment}`, ':contains': contains },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (result.Items ?? []).map((item) => item.complaintId as string);
}

/** The complaints of one index partition (byName, bySubject, byComplainant), newest first, at most `limit`. */
export async function complaintIdsIn(
  name: 'byName' | 'bySubject' | 'byComplainant',
  key: string,
  limit: number,
): Promise<string[]> {
  const ix = index(name);
  const result = await dynamo.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: ix.IndexName,
      KeyConditionExpression: '#k = :k',
      ExpressionAttributeNames: { '#k': ix.partitionKey },
      ExpressionAttributeValues: { ':k': key },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (result.Items ?? []).map((item) => (item.pk as string).slice(PARTITIONS.complaint.length));
}

/** The records of at most 100 cases, by key (a search's page): those that exist. */
export async function complaintsByIds(ids: readonly string[]): Promise<ComplaintRecord[]> {
  const unique = [...new Set(ids)].slice(0, 100);
  if (unique.length === 0) return [];
  const out: ComplaintRecord[] = [];
  let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
    [tableName()]: { Keys: unique.map((id) => complaintKey(id)) },
  };
  for (let attempt = 0; request && Object.keys(request).length; attempt++) {
    if (attempt > 8) throw new Error('the table kept refusing a batch read');
    const page = await dynamo.send(new BatchGetCommand({ RequestItems: request as never }));
    out.push(...(page.Responses?.[tableName()] ?? []).map((item) => withoutKeys<ComplaintRecord>(item)));
    request = page.UnprocessedKeys as typeof request;
    if (request && Object.keys(request).length) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
  }
  return out;
}
