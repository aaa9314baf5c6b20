import './node-version';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDeploymentConfig } from '../deploy-config';
import { openLocalTable } from './local-table';

/**
 * `npm run views:backfill`: once, on a table written before the case views, gives every case its
 * view partition and fields and its number's parts (app/backfill-case-views.ts).
 * Locally it opens the data directory's table (stop `npm start` first), or the one at
 * AWS_ENDPOINT_URL_DYNAMODB. On a deployed table: `npm run views:backfill -- --table <TableName>`
 * with the operator's AWS credentials and region (it scans the table: run it once, after the
 * byView* and byName indexes are deployed, and again if it reports cases changed meanwhile).
 */
const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
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
  const { backfillCaseViews } = await import('../../functions/app/backfill-case-views');
  const started = Date.now();
  const result = await backfillCaseViews();
  console.log(
    `case views backfilled: ${result.cases} cases read, ${result.placed} placed, ${result.changed} changed meanwhile${result.changed ? ' (run again for those)' : ''}, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} catch (error) {
  console.error('case view backfill failed:', error);
  process.exitCode = 1;
} finally {
  await table?.stop();
}
