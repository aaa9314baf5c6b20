import path from 'node:path';
import { LocalDynamoDb } from './dynamodb-local';
import { freeQuietPort } from './prerequisites';

/**
 * The local table for a one-off script (`analytics:rebuild`, `queues:backfill`): the one at
 * AWS_ENDPOINT_URL_DYNAMODB (a running `npm start`'s), else the data directory's, opened with a
 * DynamoDB Local of the script's own (stop `npm start` first). Sets the variables the functions
 * read to reach it; `stop` ends the DynamoDB Local it started, if any.
 */
export async function openLocalTable(rootDir: string): Promise<{ stop: () => Promise<void> }> {
  let endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  let dynamoDb: LocalDynamoDb | undefined;
  if (!endpoint) {
    dynamoDb = new LocalDynamoDb();
    endpoint = await dynamoDb.start({
      port: await freeQuietPort(),
      dataDir: path.join(path.resolve(rootDir, process.env.REDRESS_DATA_DIR || '.redress'), 'dynamodb'),
    });
  }
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    TABLE_NAME: 'Complaints',
  });
  return { stop: async () => dynamoDb?.stop() };
}
