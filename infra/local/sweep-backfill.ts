import './node-version';
import { runBackfill } from './local-table';

/**
 * `npm run sweep:backfill`: once, on a table swept before the stalled-case index's shard key,
 * moves every open case still under an hour key to its shard and ends the sweep's walk of the
 * hours (app/backfill-sweep-due.ts). Locally it opens the data directory's table (stop `npm start`
 * first), or the one at AWS_ENDPOINT_URL_DYNAMODB. On a deployed table: `npm run sweep:backfill --
 * --table <TableName>` after the deploy (it scans the index's keys: run it again if it reports
 * cases changed meanwhile). Until it runs, the sweep walks the hours as before: nothing is missed.
 */
await runBackfill('stalled-case index', async () =>
  (await import('../../functions/app/backfill-sweep-due')).backfillSweepDue(),
);
