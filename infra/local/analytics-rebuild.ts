import './node-version';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDeploymentConfig } from '../deploy-config';
import { openLocalTable } from './local-table';

/**
 * `npm run analytics:rebuild`: recomputes every figure of the desk from the history of every case
 * in the local table (what `{"rebuild": true}` does to the AggregateAnalytics function in the
 * cloud). With `npm start` running, point it at that stack's DynamoDB (the `dynamodb` URL of its
 * ready line): `AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:<port> npm run analytics:rebuild`.
 * Without one, it opens the data directory's table itself (stop `npm start` first).
 */
const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const config = loadDeploymentConfig(
  process.env.REDRESS_CONFIG_FILE ? path.resolve(process.env.REDRESS_CONFIG_FILE) : undefined,
);
let table: { stop: () => Promise<void> } | undefined;
try {
  table = await openLocalTable(rootDir);
  Object.assign(process.env, {
    EVIDENCE_BUCKET: 'redress-evidence',
    STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:ComplaintHandling',
    PUBLIC_BASE_URL: 'http://127.0.0.1',
    MAIL_FROM: config.mailFrom,
    REDRESS_CONFIG: JSON.stringify(config.desk),
    REDRESS_LOG_LEVEL: process.env.REDRESS_LOG_LEVEL ?? 'warn',
  });
  const { rebuildAnalytics } = await import('../../functions/app/analytics');
  const started = Date.now();
  const result = await rebuildAnalytics();
  console.log(
    `analytics rebuilt from the history: ${result.cases} cases, ${result.events} events, ${result.items} items, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
} catch (error) {
  console.error('analytics rebuild failed:', error);
  process.exitCode = 1;
} finally {
  await table?.stop();
}
