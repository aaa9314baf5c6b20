import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { FormerAddress } from '../domain/erasure';
import { complaintIdOfKey } from '../store/complaint-key';
import { purgeCase } from './shared/purge-case';

type StreamRecord = DynamoDBStreamEvent['Records'][number];
const text = (image: NonNullable<StreamRecord['dynamodb']>['OldImage'], name: string) => image?.[name]?.S;

/** The record's former addresses (domain/erasure.ts FormerAddress) as the stream's image holds them. */
function formerAddressesOf(image: NonNullable<StreamRecord['dynamodb']>['OldImage']): FormerAddress[] {
  return (image?.formerAddresses?.L ?? []).flatMap((entry) => {
    const complainantKey = entry.M?.complainantKey?.S;
    const suppressionHash = entry.M?.suppressionHash?.S;
    return complainantKey ? [{ complainantKey, ...(suppressionHash ? { suppressionHash } : {}) }] : [];
  });
}

/**
 * When DynamoDB's TTL deletes a closed complaint's record (at least `retentionDays` after it
 * closed), the whole case goes with it, by the purge an erasure uses too (purge-case.ts).
 * Only TTL deletions count: a record removed by a person or a restore is not a reason to delete
 * anything. Throws on failure, so the stream retries the batch and, failing that, parks it in the
 * dead-letter queue.
 */
export async function expireCase(event: DynamoDBStreamEvent): Promise<{ purged: number; items: number }> {
  let purged = 0;
  let items = 0;
  for (const record of event.Records) {
    const byTtl =
      record.eventName === 'REMOVE' &&
      record.userIdentity?.type === 'Service' &&
      record.userIdentity?.principalId === 'dynamodb.amazonaws.com';
    const complaintId = complaintIdOfKey({ pk: record.dynamodb?.Keys?.pk?.S, sk: record.dynamodb?.Keys?.sk?.S });
    if (!byTtl || !complaintId) continue;
    const old = record.dynamodb?.OldImage;
    const deleted = await purgeCase(
      {
        complaintId,
        number: text(old, 'number'),
        complainantKey: text(old, 'complainantKey'),
        subjectKey: text(old, 'subjectKey'),
        phone: old?.complainant?.M?.phone?.S,
        email: old?.complainant?.M?.email?.S,
        formerAddresses: formerAddressesOf(old),
        pendingEmail: old?.pendingEmail?.M?.address?.S,
      },
      'expired',
    );
    items += deleted.items;
    purged += deleted.objects;
  }
  return { purged, items };
}
