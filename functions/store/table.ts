import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DeleteCommandInput,
  type PutCommandInput,
  type QueryCommandInput,
  type TransactWriteCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../lib/clients/dynamo';
import { settings } from '../lib/settings';

/** The ways the stores talk to the table beyond a single get: one each, used everywhere. */

/** The table's name, read once from the settings. */
export const tableName = () => settings().tableName;

/** An item as stored, without its key attributes. */
export function withoutKeys<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}

export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/**
 * The indexes of the items whose condition failed, when DynamoDB cancelled a transaction (empty
 * when it was cancelled for another reason, such as a conflict); undefined for any other error.
 */
export function failedConditionsOf(error: unknown): number[] | undefined {
  if (
    !(error instanceof TransactionCanceledException) &&
    (error as { name?: string })?.name !== 'TransactionCanceledException'
  )
    return undefined;
  return ((error as TransactionCanceledException).CancellationReasons ?? []).flatMap((reason, index) =>
    reason?.Code === 'ConditionalCheckFailed' ? [index] : [],
  );
}

/**
 * Writes all the items or none. When DynamoDB cancels the transaction and `lost` says that is a
 * race this write may lose (given the failed conditions), answers false; anything else is thrown.
 */
export async function writeIf(
  items: TransactItems,
  lost: (failedConditions: number[]) => boolean = (failed) => failed.length > 0,
): Promise<boolean> {
  try {
    await dynamo.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    const failed = failedConditionsOf(error);
    if (failed && lost(failed)) return false;
    throw error;
  }
}

/** A conditional write's answer, or undefined when its condition failed; anything else thrown. */
async function unlessConditionFailed<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if ((error as { name?: string })?.name === 'ConditionalCheckFailedException') return undefined;
    throw error;
  }
}

/** One conditional write (an Update, a Put or a Delete): false when its condition failed, anything else thrown. */
export async function writeOneIf(
  write: { update: UpdateCommandInput } | { put: PutCommandInput } | { delete: DeleteCommandInput },
): Promise<boolean> {
  const sent =
    'update' in write
      ? dynamo.send(new UpdateCommand(write.update))
      : 'put' in write
        ? dynamo.send(new PutCommand(write.put))
        : dynamo.send(new DeleteCommand(write.delete));
  return (await unlessConditionFailed<unknown>(sent)) !== undefined;
}

/**
 * One conditional Update that answers the item as its ReturnValues ask (`{}` when they ask for
 * nothing): undefined when its condition failed, anything else thrown.
 */
export async function updateOneIf(update: UpdateCommandInput): Promise<Record<string, unknown> | undefined> {
  const answer = await unlessConditionFailed(dynamo.send(new UpdateCommand(update)));
  return answer && (answer.Attributes ?? {});
}

/** Every item a query matches, page after page (at most `limit` when given). */
export async function queryAll<T = Record<string, unknown>>(input: QueryCommandInput, limit = Infinity): Promise<T[]> {
  const found: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    found.push(...((page.Items ?? []) as T[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey && found.length < limit);
  return found;
}

/** Builds `SET a = :a, … REMOVE b, …` from a change set; `undefined` values are removed. */
export function updateExpression(changes: Record<string, unknown>) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const removes: string[] = [];
  for (const [field, value] of Object.entries(changes)) {
    names[`#${field}`] = field;
    if (value === undefined) removes.push(`#${field}`);
    else {
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
  }
  const expression = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : '']
    .filter(Boolean)
    .join(' ');
  return {
    UpdateExpression: expression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
  };
}
