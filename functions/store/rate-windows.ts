import { epochSeconds, TTL_ATTRIBUTE, PARTITIONS } from './schema';
import { tableName, writeOneIf } from './table';

/**
 * Counts one request against a fixed window (its own item, e.g. `FILINGRATE#<sha256>` /
 * `WINDOW#<start>`); false once `limit` were counted in it. The conditional write makes
 * concurrent requests count exactly; the item expires an hour after its window.
 */
export function countInWindow(key: { pk: string; sk: string }, windowEnd: Date, limit: number): Promise<boolean> {
  return writeOneIf({
    update: {
      TableName: tableName(),
      Key: key,
      UpdateExpression: 'ADD #count :one SET #ttl = if_not_exists(#ttl, :ttl)',
      ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
      ExpressionAttributeNames: { '#count': 'count', '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':ttl': epochSeconds(windowEnd) + 3600 },
    },
  });
}

/** The clock hour (UTC) a time falls in, as a window: its name (`2026-12-02T06`) and its last moment. */
export function clockHourOf(now: Date): { hour: string; end: Date } {
  const hour = now.toISOString().slice(0, 13);
  return { hour, end: new Date(`${hour}:59:59.999Z`) };
}

/** The filings of one complainant address in one clock hour (`complainantKey` is already a hash). */
export function filingRateKey(complainantKey: string, hour: string) {
  return { pk: `${PARTITIONS.filingRate}${complainantKey}`, sk: `WINDOW#${hour}` };
}

/** Acknowledgements emailed in one clock hour to addresses that have not shown they are real (engaged-addresses.ts). */
export function newAddressAcknowledgementKey(hour: string) {
  return { pk: `${PARTITIONS.acknowledgementRate}new-address`, sk: `WINDOW#${hour}` };
}
