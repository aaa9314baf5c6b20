import path from 'node:path';
import { LocalDynamoDb } from './dynamodb-local';
import { freeQuietPort } from './prerequisites';

/** The local stack's data directory (REDRESS_DATA_DIR, else `.redress`). */
export const localDataDir = (rootDir: string) => path.resolve(rootDir, process.env.REDRESS_DATA_DIR || '.redress');

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
      dataDir: path.join(localDataDir(rootDir), 'dynamodb'),
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

/** What a backfill reports: cases read, placed, and changed while it ran (to run it again for). */
export interface BackfillResult {
  cases: number;
  placed: number;
  changed: number;
}

/**
 * Runs a one-off backfill (`queues:backfill`, `views:backfill`, `sweep:backfill`) on the local table, or on a
 * deployed one with `-- --table <TableName>` and the operator's AWS credentials and region, with
 * the desk config loaded as the functions load it; prints one line and sets the exit code.
 */
export async function runBackfill(what: string, backfill: () => Promise<BackfillResult>): Promise<void> {
  const { loadDeploymentConfig } = await import('../deploy-config');
  const rootDir = path.resolve(import.meta.dirname, '../..');
  const config = loadDeploymentConfig(
    process.env.REDRESS_CONFIG_FILE ? path.resolve(process.env.REDRESS_CONFIG_FILE) : undefined,
  );
  const tableFlag = process.argv.indexOf('--table');
  const cloudTable = tableFlag >= 0 ? process.argv[tableFlag + 1] : undefined;
  let table: { stop: () => Promise<void> } | undefined;
  try {
    if (cloudTable) Object.assign(process.env, { TABLE_NAME: cloudTable });
    else table = await openLocalTable(rootDir);
    Object.assign(process.env, {
      REDRESS_CONFIG: JSON.stringify(config.desk),
      REDRESS_LOG_LEVEL: process.env.REDRESS_LOG_LEVEL ?? 'warn',
    });
    const started = Date.now();
    const result = await backfill();
    console.log(
      `${what} backfilled: ${result.cases} cases read, ${result.placed} placed, ${result.changed} changed meanwhile${result.changed ? ' (run again for those)' : ''}, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } catch (error) {
    if ((error as { name?: string })?.name === 'ResourceNotFoundException')
      console.error(
        cloudTable
          ? `${what} backfill: 找不到表 ${cloudTable}（检查 --table 与 AWS 区域）/ no table ${cloudTable} in this account and region (check --table and AWS_REGION)`
          : `${what} backfill: 本地数据目录中还没有表（先运行一次 npm start）/ the local data directory has no table yet (run npm start once first): ${localDataDir(rootDir)}`,
      );
    else console.error(`${what} backfill failed:`, error);
    process.exitCode = 1;
  } finally {
    await table?.stop();
  }
}
