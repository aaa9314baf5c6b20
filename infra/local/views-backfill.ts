import './node-version';
import { runBackfill } from './local-table';

/**
 * `npm run views:backfill`: once, on a table written before the case views, gives every case its
 * view partition and fields and its number's parts (app/backfill-case-views.ts). Locally it opens
 * the data directory's table (stop `npm start` first), or the one at AWS_ENDPOINT_URL_DYNAMODB. On
 * a deployed table: `npm run views:backfill -- --table <TableName>` (it scans the table: run it
 * once, after the byView* and byName indexes are deployed, and again if it reports cases changed
 * meanwhile).
 */
await runBackfill('case views', async () =>
  (await import('../../functions/app/backfill-case-views')).backfillCaseViews(),
);
