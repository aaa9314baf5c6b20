import { index } from './schema';
import { queryAll, tableName } from './table';

/**
 * Up to `limit` items due by `now` in the sparse byMailDue index, read from its shards
 * `<duePrefix>0` … `<duePrefix><shards - 1>`, soonest first in each shard (their keys only). Each
 * shard gets an even share of the limit, so a full shard cannot starve the others. The mail
 * outbox, the event outbox and the weekly reports each keep their own prefix in that index.
 */
export async function listDueKeys(
  duePrefix: string,
  shards: number,
  now: string,
  limit = Infinity,
): Promise<{ pk: string; sk: string }[]> {
  const byDue = index('byMailDue');
  const found: { pk: string; sk: string }[] = [];
  for (let shard = 0; shard < shards && found.length < limit; shard++) {
    const share = Math.min(limit - found.length, Math.ceil(limit / shards));
    const items = await queryAll<{ pk: string; sk: string }>(
      {
        TableName: tableName(),
        IndexName: byDue.IndexName,
        KeyConditionExpression: '#p = :p AND #d <= :now',
        ExpressionAttributeNames: { '#p': byDue.partitionKey, '#d': byDue.sortKey },
        ExpressionAttributeValues: { ':p': `${duePrefix}${shard}`, ':now': now },
        ...(Number.isFinite(share) ? { Limit: share } : {}),
      },
      share,
    );
    found.push(...items.map(({ pk, sk }) => ({ pk, sk })));
  }
  return found;
}
