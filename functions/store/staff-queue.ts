import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ComplaintRecord } from '../domain/complaint';
import type { ComplaintEvent } from '../domain/history';
import { dynamo } from '../lib/clients/dynamo';
import { putEvent } from './events';
import { numberKey, type NumberItem } from './numbers';
import { index } from './schema';
import { queryAll, tableName, withoutKeys } from './table';

/**
 * What the staff desk reads: open work from the byAssignee index (one query per address in the
 * reader's scope, merged by deadline), a case by its number (NUMBER#…) or by complainant
 * (byComplainant). No scans. Also the staff-only events the desk appends (views, notes).
 */
export interface OpenWorkQuery {
  assignees: readonly string[];
  /** Only these categories (a shared manager address holds tasks of several teams). */
  categories?: readonly string[];
  status?: string;
  /** Only late work at this instant: its deadline passed, or it was escalated after a missed one (level > 0). */
  lateAt?: string;
  /** Resume after this (deadlineAt, id) of the last item shown. */
  after?: { deadlineAt: string; id: string };
  limit: number;
}

const order = (a: Pick<ComplaintRecord, 'deadlineAt' | 'id'>, b: Pick<ComplaintRecord, 'deadlineAt' | 'id'>) =>
  (a.deadlineAt ?? '').localeCompare(b.deadlineAt ?? '') || a.id.localeCompare(b.id);

/** Open tasks of these assignees, soonest deadline first: one page, and whether more follow. */
export async function queryOpenWork(input: OpenWorkQuery): Promise<{ items: ComplaintRecord[]; more: boolean }> {
  const byAssignee = index('byAssignee');
  const filters: string[] = [];
  const names: Record<string, string> = { '#a': byAssignee.partitionKey, '#d': byAssignee.sortKey };
  const values: Record<string, unknown> = {};
  if (input.categories?.length === 0 || input.assignees.length === 0) return { items: [], more: false };
  if (input.categories) {
    names['#c'] = 'category';
    filters.push(`#c IN (${input.categories.map((c, i) => ((values[`:c${i}`] = c), `:c${i}`)).join(', ')})`);
  }
  if (input.status) {
    names['#s'] = 'status';
    values[':s'] = input.status;
    filters.push('#s = :s');
  }
  if (input.after) values[':after'] = input.after.deadlineAt;
  const query = (
    assignee: string,
    extra: { key?: string; filter?: string; values?: Record<string, unknown>; names?: Record<string, string> } = {},
  ) => {
    const keyRange = [input.after ? '#d >= :after' : '', extra.key ?? ''].filter(Boolean);
    const filter = [...filters, extra.filter ?? ''].filter(Boolean);
    const allNames = { ...names, ...(extra.names ?? {}) };
    return queryAll<Record<string, unknown>>(
      {
        TableName: tableName(),
        IndexName: byAssignee.IndexName,
        KeyConditionExpression: `#a = :a${keyRange.length === 2 ? ' AND #d BETWEEN :after AND :late' : keyRange.length ? ` AND ${keyRange[0]}` : ''}`,
        ...(filter.length ? { FilterExpression: filter.join(' AND ') } : {}),
        // DynamoDB refuses names a query does not use.
        ExpressionAttributeNames: keyRange.length
          ? allNames
          : Object.fromEntries(Object.entries(allNames).filter(([k]) => k !== '#d')),
        ExpressionAttributeValues: { ...values, ...(extra.values ?? {}), ':a': assignee },
      },
      input.limit + 1,
    );
  };
  // Late work: its deadline passed (a key range), or it was escalated after a missed deadline,
  // which gave it a fresh one (a filter on its level: key attributes cannot be filtered).
  const pages = await Promise.all(
    [...new Set(input.assignees)].flatMap((assignee) =>
      input.lateAt
        ? [
            query(assignee, { key: '#d < :late', values: { ':late': input.lateAt } }),
            query(assignee, { filter: '#l > :zero', names: { '#l': 'level' }, values: { ':zero': 0 } }),
          ]
        : [query(assignee)],
    ),
  );
  const seen = new Set<string>();
  const merged = pages
    .flat()
    .map((item) => withoutKeys<ComplaintRecord>(item))
    .filter((c) => !input.after || order(c, input.after) > 0)
    .filter((c) => !input.lateAt || (c.level ?? 0) > 0 || (c.deadlineAt ?? '') < input.lateAt)
    .filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)))
    .sort(order);
  return { items: merged.slice(0, input.limit), more: merged.length > input.limit };
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
