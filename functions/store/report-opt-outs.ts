import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../lib/clients/dynamo';
import { suppressionKey, suppressionKeyOf } from './suppressions';
import { tableName } from './table';

/**
 * Addresses that unsubscribed from the weekly report (its List-Unsubscribe link): beside the
 * address's bounce suppression, keyed by the same hash (`SUPPRESSED#<sha256>` / `REPORTS`), so
 * the table holds no address in a key. Kept until deleted (a staff member's own choice, not a
 * complainant's record); to send reports to it again, delete the item.
 */
const optOutKey = (address: string) => ({ pk: suppressionKey(suppressionKeyOf(address)).pk, sk: 'REPORTS' });

export async function optOutOfReports(address: string, at: Date): Promise<void> {
  await dynamo.send(
    new PutCommand({ TableName: tableName(), Item: { ...optOutKey(address), unsubscribedAt: at.toISOString() } }),
  );
}

export async function hasOptedOutOfReports(address: string): Promise<boolean> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: optOutKey(address), ProjectionExpression: 'pk' }),
  );
  return !!Item;
}
