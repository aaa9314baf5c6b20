import type { FunctionSpec } from '../../functions/catalog';
import { partitionKeyPattern, TABLE_KEYS } from '../../functions/store/schema';

/**
 * What IAM holds a function to in AWS, and DynamoDB Local never checks: a function writes only the
 * partitions its catalog entry names (`tableWrites`), as the CDK stack grants them (the write
 * actions under `ForAllValues:StringLike` on `dynamodb:LeadingKeys`). The local stack puts this
 * guard on the table client its handlers share, so every local run, the tests included, refuses
 * what AWS would refuse. Local only: no deployed bundle imports this file.
 */

/** One item a request writes, with the IAM action that authorises it. */
export interface ItemWrite {
  action:
    | 'dynamodb:PutItem'
    | 'dynamodb:UpdateItem'
    | 'dynamodb:DeleteItem'
    | 'dynamodb:ConditionCheckItem'
    | 'dynamodb:BatchWriteItem';
  partitionKey: string;
}

type AttributeMap = Record<string, unknown> | undefined;

/** A key attribute as the client sends it ({ S: '…' } once marshalled), or as written in code. */
function partitionKeyOf(item: AttributeMap): string {
  const value = item?.[TABLE_KEYS.partitionKey];
  if (typeof value === 'string') return value;
  return String((value as { S?: string } | undefined)?.S ?? '');
}

/**
 * The items a table call writes, by its operation (the SDK command name): a transaction's items
 * each under their own action (ConditionCheck included, as IAM authorises them), a batch write's
 * under BatchWriteItem. Reads write nothing.
 */
export function itemWritesOf(commandName: string, input: Record<string, any>): ItemWrite[] {
  switch (commandName.replace(/Command$/, '')) {
    case 'PutItem':
      return [{ action: 'dynamodb:PutItem', partitionKey: partitionKeyOf(input.Item) }];
    case 'UpdateItem':
      return [{ action: 'dynamodb:UpdateItem', partitionKey: partitionKeyOf(input.Key) }];
    case 'DeleteItem':
      return [{ action: 'dynamodb:DeleteItem', partitionKey: partitionKeyOf(input.Key) }];
    case 'TransactWriteItems':
      return (input.TransactItems as Record<string, any>[]).map((item): ItemWrite => {
        if (item.Put) return { action: 'dynamodb:PutItem', partitionKey: partitionKeyOf(item.Put.Item) };
        if (item.Update) return { action: 'dynamodb:UpdateItem', partitionKey: partitionKeyOf(item.Update.Key) };
        if (item.Delete) return { action: 'dynamodb:DeleteItem', partitionKey: partitionKeyOf(item.Delete.Key) };
        return { action: 'dynamodb:ConditionCheckItem', partitionKey: partitionKeyOf(item.ConditionCheck?.Key) };
      });
    case 'BatchWriteItem':
      return Object.values(input.RequestItems as Record<string, Record<string, any>[]>).flatMap((requests) =>
        requests.map(
          (request): ItemWrite => ({
            action: 'dynamodb:BatchWriteItem',
            partitionKey: partitionKeyOf(request.PutRequest?.Item ?? request.DeleteRequest?.Key),
          }),
        ),
      );
    default:
      return [];
  }
}

/** IAM's `StringLike`: `*` matches any run of characters, `?` any one character, the rest itself. */
export function matchesStringLike(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** Refused as IAM refuses: the error's name is the one AWS answers with, its message says who, what and which key. */
export class TableWriteDenied extends Error {
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 400 };
  constructor(functionId: string, write: ItemWrite, why: string) {
    super(
      `${functionId} is not authorized to perform: ${write.action} on the item with partition key "${write.partitionKey}": ${why}`,
    );
    this.name = 'AccessDeniedException';
  }
}

/** What the function may not write of this call, as the CDK stack's grant would decide: undefined when all of it is allowed. */
export function tableWriteRefusal(
  spec: FunctionSpec,
  commandName: string,
  input: Record<string, any>,
): TableWriteDenied | undefined {
  const writes = itemWritesOf(commandName, input);
  if (!writes.length) return undefined;
  const patterns = spec.table === 'write' ? (spec.tableWrites ?? []).map(partitionKeyPattern) : [];
  const batchWrites = spec.table === 'write' && (spec.tableBulk ?? []).includes('batchWrite');
  // A batch write needs its own grant; then, ForAllValues: every key of the request must match.
  const unbatched = batchWrites ? undefined : writes.find((write) => write.action === 'dynamodb:BatchWriteItem');
  if (unbatched)
    return new TableWriteDenied(
      spec.id,
      unbatched,
      'its catalog entry grants no batch writes (tableBulk in functions/catalog.ts)',
    );
  const outside = writes.find((write) => !patterns.some((pattern) => matchesStringLike(pattern, write.partitionKey)));
  if (!outside) return undefined;
  return new TableWriteDenied(
    spec.id,
    outside,
    `${patterns.length ? `its catalog entry writes only ${patterns.join(', ')}` : 'its catalog entry names no partitions it writes'} (tableWrites in functions/catalog.ts)`,
  );
}

/** The part of an SDK client this needs: its middleware stack. */
interface GuardedClient {
  middlewareStack: { add(middleware: any, options: { step: 'build'; name: string; priority: 'high' }): void };
}

/**
 * Puts the guard on a client: a call made while `running()` names a function is checked against
 * that function's grant before it is sent (not retried: it is refused before the retry step);
 * calls outside any function (the local stack's own bootstrap and redrive) pass. Refusals are
 * also logged, so one that a handler catches still shows.
 */
export function guardTableWrites(client: GuardedClient, running: () => FunctionSpec | undefined): void {
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
      async (args: { input: Record<string, any> }) => {
        const spec = running();
        const refusal =
          spec && context.commandName ? tableWriteRefusal(spec, context.commandName, args.input) : undefined;
        if (refusal) {
          console.error(
            JSON.stringify({
              level: 'ERROR',
              message: 'table write refused',
              function: spec!.id,
              error: refusal.message,
            }),
          );
          throw refusal;
        }
        return next(args);
      },
    { step: 'build', name: 'localTableWriteGuard', priority: 'high' },
  );
}
