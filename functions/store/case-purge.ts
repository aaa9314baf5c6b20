import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../lib/clients/dynamo';
import { complaintKey } from './complaint-key';
import { numberKey } from './numbers';
import { subjectPointerKey } from './subject-pointers';
import { queryAll, tableName } from './table';

/** What the expired complaint record said about where its other items are. */
export interface ExpiredCase {
  complaintId: string;
  number?: string;
  complainantKey?: string;
  subjectKey?: string;
}

/**
 * Deletes what is left of a case once its record expired: every item of its partition (history
 * events, upload slots), its number, and its complainant's pointer on the matter when it still
 * points at this case. Task links and idempotency records expire by their own TTL. Each delete is
 * idempotent, so a retried stream batch deletes nothing twice and fails nothing.
 */
export async function purgeCaseItems(expired: ExpiredCase): Promise<number> {
  const items = await queryAll<{ pk: string; sk: string }>({
    TableName: tableName(),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': complaintKey(expired.complaintId).pk },
    ProjectionExpression: 'pk, sk',
  });
  for (const item of items)
    await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: { pk: item.pk, sk: item.sk } }));
  if (expired.number)
    await dynamo.send(
      new DeleteCommand({
        TableName: tableName(),
        Key: numberKey(expired.number),
        ConditionExpression: 'attribute_not_exists(pk) OR complaintId = :id',
        ExpressionAttributeValues: { ':id': expired.complaintId },
      }),
    );
  if (expired.complainantKey && expired.subjectKey) {
    await dynamo
      .send(
        new DeleteCommand({
          TableName: tableName(),
          Key: subjectPointerKey(expired.complainantKey, expired.subjectKey),
          ConditionExpression: 'complaintId = :id',
          ExpressionAttributeValues: { ':id': expired.complaintId },
        }),
      )
      .catch((error) => {
        // The pointer moved on to a newer case on the same matter (or expired already): it stays.
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      });
  }
  return items.length + (expired.number ? 1 : 0);
}
