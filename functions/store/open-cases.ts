import { BatchGetCommand, ScanCommand, type BatchGetCommandOutput, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ComplaintRecord } from '../domain/complaint';
import { dynamo } from '../lib/clients/dynamo';
import { COMPLAINT_PREFIX, complaintIdOfKey, complaintKey } from './complaints';
import { index } from './schema';
import { tableName, withoutKeys } from './table';

/**
 * Open cases, for the sweeper (app/sweep-stalled-cases.ts). Two ways to find them:
 *
 * - `openTaskHolders`: a scan of the byAssignee index. It is sparse (a complaint is in it from its
 *   first task until it closes: BeginStep keeps the last assignee, closing removes it) and carries
 *   a few small fields, so the scan reads open cases only, never the history. What it misses is a
 *   case between a confirmed start and its first task (seconds, in an execution that runs).
 * - `everyOpenComplaint`: a filtered scan of the whole table (history included), for a small
 *   table only: the local stack's start, where every execution was lost at once.
 */

/** What the stalled rule reads of a complaint record, and what a re-drive needs. */
export const SWEEP_FIELDS = [
  'id',
  'status',
  'updatedAt',
  'workflowPending',
  'deadlineAt',
  'currentTaskLinkHash',
  'executionArn',
  'workflowResumeAt',
  'currentStep',
] as const;
export type SweptComplaint = Pick<ComplaintRecord, 'id' | 'status' | 'updatedAt'> &
  Partial<Pick<ComplaintRecord, (typeof SWEEP_FIELDS)[number]>>;

async function scanIds(input: Omit<ScanCommandInput, 'ExclusiveStartKey'>, limit: number): Promise<string[]> {
  const ids = new Set<string>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ ...input, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) {
      const id = complaintIdOfKey(item as { pk?: string; sk?: string });
      if (id) ids.add(id);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey && ids.size < limit);
  return [...ids].slice(0, limit);
}

/** Ids of complaints holding a task (the byAssignee index), at most `limit`. */
export function openTaskHolders(limit = Infinity): Promise<string[]> {
  return scanIds(
    { TableName: tableName(), IndexName: index('byAssignee').IndexName, ProjectionExpression: 'pk, sk' },
    limit,
  );
}

/** Ids of every complaint record not closed (a whole-table scan: small tables only). */
export function everyOpenComplaint(limit = Infinity): Promise<string[]> {
  return scanIds(
    {
      TableName: tableName(),
      FilterExpression: 'sk = :meta AND begins_with(pk, :prefix) AND #status <> :closed',
      ProjectionExpression: 'pk, sk',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':meta': 'META', ':prefix': COMPLAINT_PREFIX, ':closed': 'closed' },
    },
    limit,
  );
}

/** The sweep fields of these complaints (consistent reads, 100 a request); ids not found are left out. */
export async function sweptComplaints(ids: readonly string[]): Promise<SweptComplaint[]> {
  const found: SweptComplaint[] = [];
  const names = Object.fromEntries(SWEEP_FIELDS.map((field, i) => [`#f${i}`, field]));
  for (let i = 0; i < ids.length; i += 100) {
    let keys: Record<string, unknown>[] | undefined = ids.slice(i, i + 100).map(complaintKey);
    for (let attempt = 0; keys?.length && attempt < 8; attempt++) {
      const page: BatchGetCommandOutput = await dynamo.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName()]: {
              Keys: keys,
              ConsistentRead: true,
              ProjectionExpression: Object.keys(names).join(', '),
              ExpressionAttributeNames: names,
            },
          },
        }),
      );
      found.push(...(page.Responses?.[tableName()] ?? []).map((item) => withoutKeys<SweptComplaint>(item)));
      keys = page.UnprocessedKeys?.[tableName()]?.Keys;
      if (keys?.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
  return found;
}
