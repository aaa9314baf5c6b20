import { randomUUID } from 'node:crypto';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARTITIONS } from '../../functions/store/schema';
import { suppressionKey, suppressionKeyOf } from '../../functions/store/suppressions';
import { LocalLambdas } from '../../infra/local/lambda-local';
import { useStackSettingsInProcess } from '../support/stack-client';
import { TABLE, table } from '../support/table';

/**
 * DynamoDB Local checks no IAM, so the local stack holds each function to the partitions its
 * catalog entry names (tableWrites), as the CDK stack's dynamodb:LeadingKeys grant does in AWS.
 * Here the local functions run in this process, on the shared stack's table, as `npm start` runs
 * them: a write outside the function's partitions is refused before it is sent, and nothing of
 * it is written.
 */
describe('the local table-write guard', () => {
  let lambdas: LocalLambdas;
  let dynamo: DynamoDBDocumentClient;
  const id = randomUUID();
  const written: { pk: string; sk: string }[] = [];
  const stored = async (key: { pk: string; sk: string }) =>
    (await table().send(new GetCommand({ TableName: TABLE, Key: key, ConsistentRead: true }))).Item;

  beforeAll(async () => {
    useStackSettingsInProcess();
    lambdas = new LocalLambdas();
    await lambdas.load();
    ({ dynamo } = await import('../../functions/lib/clients/dynamo'));
  });
  afterAll(async () => {
    for (const key of written) await table().send(new DeleteCommand({ TableName: TABLE, Key: key }));
  });

  it('refuses a write outside the function’s partitions, naming the function and the key, and writes nothing', async () => {
    const key = { pk: `${PARTITIONS.number}${id}`, sk: 'META' };
    const refused = await lambdas
      .runAs('RecordMailEvent', () =>
        dynamo.send(new PutCommand({ TableName: TABLE, Item: { ...key, status: 'received' } })),
      )
      .catch((error: Error) => error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toBe('AccessDeniedException');
    expect((refused as Error).message).toContain('RecordMailEvent');
    expect((refused as Error).message).toContain(`dynamodb:PutItem on the item with partition key "${key.pk}"`);
    expect((refused as Error).message).toContain('SUPPRESSED#*');
    expect(await stored(key)).toBeUndefined();
  });

  it('lets the function write its own partitions, through a real invocation as through direct calls', async () => {
    const address = `bounced-${id}@redress.test`;
    expect(
      await lambdas.invoke('RecordMailEvent', {
        detail: {
          eventType: 'Bounce',
          bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: address }] },
        },
      }),
    ).toEqual({ suppressed: 1 });
    const key = suppressionKey(suppressionKeyOf(address));
    written.push(key);
    expect(await stored(key)).toMatchObject({ reason: 'bounce' });
  });

  it('refuses a whole transaction when one item, even a condition check, is outside the partitions', async () => {
    const link = { pk: `${PARTITIONS.taskLink}${id}`, sk: 'META' };
    const refused = await lambdas
      .runAs('TaskPage', () =>
        dynamo.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: TABLE, Item: { ...link, state: 'open' } } },
              {
                ConditionCheck: {
                  TableName: TABLE,
                  Key: { pk: `${PARTITIONS.number}${id}`, sk: 'META' },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        ),
      )
      .catch((error: Error) => error);
    expect((refused as Error).name).toBe('AccessDeniedException');
    expect((refused as Error).message).toContain(
      `TaskPage is not authorized to perform: dynamodb:ConditionCheckItem on the item with partition key "${PARTITIONS.number}${id}"`,
    );
    expect(await stored(link)).toBeUndefined();
  });

  it('refuses every write of a function that only reads the table', async () => {
    const refused = await lambdas
      .runAs('TrackComplaint', () =>
        dynamo.send(new PutCommand({ TableName: TABLE, Item: { pk: `${PARTITIONS.complaint}${id}`, sk: 'META' } })),
      )
      .catch((error: Error) => error);
    expect((refused as Error).message).toContain('TrackComplaint is not authorized to perform: dynamodb:PutItem');
    expect((refused as Error).message).toContain('names no partitions it writes');
  });

  it('holds batch writes to the batch-write grant and to the figures’ one whole key', async () => {
    const marker = { pk: `${PARTITIONS.analyticsApplied}${id}`, sk: 'EVENT#guard' };
    // The figures' function may batch-write its markers …
    await lambdas.runAs('AggregateAnalytics', () =>
      dynamo.send(
        new BatchWriteCommand({
          RequestItems: { [TABLE]: [{ PutRequest: { Item: { ...marker, kind: 'analytics-applied' } } }] },
        }),
      ),
    );
    written.push(marker);
    expect(await stored(marker)).toBeDefined();
    // … but not a key that only starts like its partition `ANALYTICS`,
    const lookalike = await lambdas
      .runAs('AggregateAnalytics', () =>
        dynamo.send(
          new BatchWriteCommand({
            RequestItems: {
              [TABLE]: [{ PutRequest: { Item: { pk: `${PARTITIONS.analytics}X${id}`, sk: 'DAY#guard' } } }],
            },
          }),
        ),
      )
      .catch((error: Error) => error);
    expect((lookalike as Error).message).toContain(
      `AggregateAnalytics is not authorized to perform: dynamodb:BatchWriteItem on the item with partition key "${PARTITIONS.analytics}X${id}"`,
    );
    // … and the desk's analytics page, which writes that partition one item at a time, may not batch-write it.
    const unbatched = await lambdas
      .runAs('StaffAnalytics', () =>
        dynamo.send(new BatchWriteCommand({ RequestItems: { [TABLE]: [{ DeleteRequest: { Key: marker } }] } })),
      )
      .catch((error: Error) => error);
    expect((unbatched as Error).message).toContain(
      'StaffAnalytics is not authorized to perform: dynamodb:BatchWriteItem',
    );
    expect((unbatched as Error).message).toContain('grants no batch writes');
    expect(await stored(marker)).toBeDefined();
  });

  it('leaves the local stack’s own calls, outside any function, unguarded', async () => {
    const key = { pk: `${PARTITIONS.idempotency}${id}`, sk: 'META' };
    await dynamo.send(new PutCommand({ TableName: TABLE, Item: key }));
    written.push(key);
    expect(await stored(key)).toBeDefined();
  });
});
