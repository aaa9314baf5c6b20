import type { ComplaintStatus } from '../domain/lifecycle';
import { index } from './schema';
import { queryAll, tableName, withoutKeys } from './table';

/** A case as the related-cases lists show it: what the indexes carry, nothing more. */
export interface RelatedCase {
  id: string;
  number: string;
  status: ComplaintStatus;
  receivedAt: string;
  category?: string;
}

/**
 * The newest cases about one matter (bySubject: its key, newest first), open ones only. One
 * query of at most `limit` index entries: on a matter many complain about, the newest of them.
 */
export async function openCasesOnSubject(subjectKey: string, limit = 20): Promise<RelatedCase[]> {
  const bySubject = index('bySubject');
  const items = await queryAll<Record<string, unknown>>(
    {
      TableName: tableName(),
      IndexName: bySubject.IndexName,
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': bySubject.partitionKey },
      ExpressionAttributeValues: { ':s': subjectKey },
      ScanIndexForward: false,
      Limit: limit,
    },
    limit,
  );
  return items.map((item) => withoutKeys<RelatedCase>(item)).filter((c) => c.status !== 'closed');
}
