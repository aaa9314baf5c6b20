import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { complaintKey } from '../../functions/store/complaint-key';
import { stack } from './stack-client';

/** Direct reads of the local stack's table, to check what was (and was not) written. */
export const TABLE = 'Complaints';

let client: DynamoDBDocumentClient | undefined;
export function table(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack().dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    {
      marshallOptions: { removeUndefinedValues: true },
    },
  );
  return client;
}

export function rawDynamoDb(): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: stack().dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

export async function complaintRecord(id: string): Promise<Record<string, any> | undefined> {
  return (await table().send(new GetCommand({ TableName: TABLE, Key: complaintKey(id), ConsistentRead: true }))).Item;
}

export async function setOnComplaint(id: string, fields: Record<string, unknown>): Promise<void> {
  const names = Object.fromEntries(Object.keys(fields).map((k) => [`#${k}`, k]));
  const values = Object.fromEntries(Object.entries(fields).map(([k, v]) => [`:${k}`, v]));
  await table().send(
    new UpdateCommand({
      TableName: TABLE,
      Key: complaintKey(id),
      UpdateExpression: `SET ${Object.keys(fields)
        .map((k) => `#${k} = :${k}`)
        .join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
}

/** Every item of the table (small tables only: the test stack's). */
export async function scanAll(): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let startKey: Record<string, any> | undefined;
  do {
    const page = await table().send(
      new ScanCommand({ TableName: TABLE, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** META items of complaints filed by this email address. */
export async function complaintsBy(email: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let startKey: Record<string, any> | undefined;
  do {
    const page = await table().send(
      new ScanCommand({
        TableName: TABLE,
        FilterExpression: 'sk = :meta AND complainant.email = :e',
        ExpressionAttributeValues: { ':meta': 'META', ':e': email },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

export async function eventsOf(id: string): Promise<Record<string, any>[]> {
  const { Items } = await table().send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
      ExpressionAttributeValues: { ':pk': `COMPLAINT#${id}`, ':e': 'EVENT#' },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

/** The emails of a case still waiting in its outbox (recorded with a change, not yet sent). */
export async function queuedMailOf(id: string): Promise<Record<string, any>[]> {
  const { Items } = await table().send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :o)',
      ExpressionAttributeValues: { ':pk': `COMPLAINT#${id}`, ':o': 'OUTBOX#' },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}
