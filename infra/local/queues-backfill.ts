import './node-version';
import { runBackfill } from './local-table';

/**
 * `npm run queues:backfill`: once, on a table written before the work queues, gives every case its
 * team partition and every case on a staff step its queue position (app/backfill-work-queues.ts).
 * Locally it opens the data directory's table (stop `npm start` first), or the one at
 * AWS_ENDPOINT_URL_DYNAMODB. On a deployed table: `npm run queues:backfill -- --table <TableName>`
 * (it scans the table: run it once, after the byTeam index is deployed, and again if it reports
 * cases changed meanwhile).
 */
await runBackfill('work queues', async () =>
  (await import('../../functions/app/backfill-work-queues')).backfillWorkQueues(),
);
