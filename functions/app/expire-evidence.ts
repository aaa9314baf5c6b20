import type { DynamoDBStreamEvent } from 'aws-lambda';
import { log } from '../lib/log';
import { purgeComplaintEvidence } from '../store/evidence-objects';

/**
 * When DynamoDB's TTL deletes a closed complaint's record (at least `retentionDays` after it
 * closed), its evidence goes too. Only TTL deletions count: a record removed by a person or a
 * restore is not a reason to delete evidence. Throws on failure, so the stream retries the batch
 * and, failing that, parks it in the dead-letter queue.
 */
export async function expireEvidence(event: DynamoDBStreamEvent): Promise<{ purged: number }> {
  let purged = 0;
  for (const record of event.Records) {
    const byTtl = record.eventName === 'REMOVE' && record.userIdentity?.type === 'Service' && record.userIdentity?.principalId === 'dynamodb.amazonaws.com';
    const pk = record.dynamodb?.Keys?.pk?.S ?? '';
    if (!byTtl || record.dynamodb?.Keys?.sk?.S !== 'META' || !pk.startsWith('COMPLAINT#')) continue;
    const complaintId = pk.slice('COMPLAINT#'.length);
    const deleted = await purgeComplaintEvidence(complaintId);
    log.info('evidence expired with its record', { complaintId, deleted });
    purged += deleted;
  }
  return { purged };
}

