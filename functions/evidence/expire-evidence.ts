import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { purgeComplaintEvidence } from '../lib/evidence-store';
import { log, logContext } from '../lib/log';

/**
 * When DynamoDB's TTL deletes a closed complaint's record (at least `retentionDays` after it
 * closed), its evidence goes too. Only TTL deletions count: a record removed by a person or a
 * restore is not a reason to delete evidence. Throws on failure, so the stream retries the batch
 * and, failing that, parks it in the dead-letter queue.
 */
async function expireEvidence(event: DynamoDBStreamEvent): Promise<{ purged: number }> {
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

export const handler = middy<DynamoDBStreamEvent, { purged: number }>().use(logContext()).handler(expireEvidence);
