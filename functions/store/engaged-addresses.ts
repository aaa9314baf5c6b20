import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../lib/clients/dynamo';
import { PARTITIONS } from './schema';
import { tableName, writeOneIf } from './table';

/**
 * An address that has shown it is real: its owner acted on a link that only reached them by
 * mail (a task of theirs, a held filing's confirmation), or wrote in from it.
 * `COMPLAINANT#<complainantKey>` / `ENGAGED`, written once, kept as long as the complainant's
 * other items are (it holds only the hash of the address and a time).
 */
export function engagedKey(complainantKey: string) {
  return { pk: `${PARTITIONS.complainant}${complainantKey}`, sk: 'ENGAGED' };
}

export async function hasEngaged(complainantKey: string): Promise<boolean> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: engagedKey(complainantKey), ProjectionExpression: 'pk' }),
  );
  return !!Item;
}

/** Records that the address proved real (the first time only). */
export async function markEngaged(complainantKey: string, at: string): Promise<void> {
  await writeOneIf({
    put: {
      TableName: tableName(),
      Item: { ...engagedKey(complainantKey), engagedAt: at },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
}

/** Forgets that the address proved real: with the complainant's last kept case (domain/erasure.ts complainantItemsToForget). */
export async function forgetEngaged(complainantKey: string): Promise<void> {
  await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: engagedKey(complainantKey) }));
}
