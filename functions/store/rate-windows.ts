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

/**
 * The hour's cap on acknowledgements to addresses that have not shown they are real
 * (engaged-addresses.ts), split over shards so that no one key takes the writes of a busy hour:
 * each shard counts its share, at most ACKNOWLEDGEMENTS_PER_SHARD of them (so at most that many
 * writes a second reach one key), up to MAX_ACKNOWLEDGEMENT_SHARDS shards. Shares differ by one
 * at most and add up to the cap.
 */
export const ACKNOWLEDGEMENTS_PER_SHARD = 100;
export const MAX_ACKNOWLEDGEMENT_SHARDS = 64;

export function acknowledgementShards(perHour: number): { shards: number; capOf: (shard: number) => number } {
  const shards = Math.min(MAX_ACKNOWLEDGEMENT_SHARDS, Math.max(1, Math.ceil(perHour / ACKNOWLEDGEMENTS_PER_SHARD)));
  const base = Math.floor(perHour / shards);
  return { shards, capOf: (shard) => base + (shard < perHour % shards ? 1 : 0) };
}

/** One shard of an hour's acknowledgements to unproven addresses (a case always counts in the same one). */
export function newAddressAcknowledgementKey(hour: string, complaintId: string, shards: number) {
  return {
    shard: shardIndex(complaintId, shards),
    key: {
      pk: `${PARTITIONS.acknowledgementRate}new-address#${shardIndex(complaintId, shards)}`,
      sk: `WINDOW#${hour}`,
    },
  };
}

function shardIndex(id: string, shards: number): number {
  let h = 0;
  for (const char of id) h = (Math.imul(h, 31) + char.charCodeAt(0)) >>> 0;
  return h % shards;
}
