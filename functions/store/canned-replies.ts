import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { CANNED_LIMITS, type CannedReply } from '../domain/canned-replies';
import { dynamo } from '../lib/clients/dynamo';
import { PARTITIONS } from './schema';
import { queryAll, tableName, withoutKeys } from './table';

/**
 * Canned replies: `CANNED#<scope>` / `REPLY#<id>`, one partition per scope (the desk, or a team),
 * each at most CANNED_LIMITS.perScope replies, so a case page reads two small partitions.
 */
export function cannedReplyKey(scope: string, id: string) {
  return { pk: `${PARTITIONS.cannedReply}${scope}`, sk: `REPLY#${id}` };
}

export async function listCannedReplies(scope: string): Promise<CannedReply[]> {
  const items = await queryAll<Record<string, unknown>>(
    {
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :reply)',
      ExpressionAttributeValues: { ':pk': `${PARTITIONS.cannedReply}${scope}`, ':reply': 'REPLY#' },
    },
    CANNED_LIMITS.perScope,
  );
  return items.map((item) => withoutKeys<CannedReply>(item));
}

/** Writes a reply (a new one, or over the one with its id). */
export async function putCannedReply(reply: CannedReply): Promise<void> {
  await dynamo.send(
    new PutCommand({ TableName: tableName(), Item: { ...cannedReplyKey(reply.scope, reply.id), ...reply } }),
  );
}

export async function deleteCannedReply(scope: string, id: string): Promise<void> {
  await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: cannedReplyKey(scope, id) }));
}
