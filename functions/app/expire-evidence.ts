import type { DynamoDBStreamEvent } from 'aws-lambda';
import { log } from '../lib/log';
import { purgeCaseItems } from '../store/case-purge';
import { complaintIdOfKey } from '../store/complaint-key';
import { purgeComplaintEvidence } from '../store/evidence-objects';
import { purgeCaseMail } from '../store/inbound-objects';

type StreamRecord = DynamoDBStreamEvent['Records'][number];
const text = (image: NonNullable<StreamRecord['dynamodb']>['OldImage'], name: string) => image?.[name]?.S;

/**
 * When DynamoDB's TTL deletes a closed complaint's record (at least `retentionDays` after it
 * closed), the whole case goes with it: every other item of the case (history, upload slots, its
 * number, the complainant's pointer on the matter), its evidence, recorded and quarantined, and
 * the raw mails that landed on it.
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
    items += await purgeCaseItems({
      complaintId,
      number: text(old, 'number'),
      complainantKey: text(old, 'complainantKey'),
      subjectKey: text(old, 'subjectKey'),
    });
    const deleted = (await purgeComplaintEvidence(complaintId)) + (await purgeCaseMail(complaintId));
    log.info('case expired with its record', { complaintId, deleted });
    purged += deleted;
  }
  return { purged, items };
}
