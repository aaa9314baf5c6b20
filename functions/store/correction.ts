import type { PendingEmail } from '../domain/correction';
import type { FormerAddress } from '../domain/erasure';
import type { ComplaintEvent } from '../domain/history';
import { complaintKey } from './complaint-key';
import { putEvent } from './events';
import { tableName, type TransactItems, writeIf } from './table';

/**
 * A complainant's corrections on the case record (domain/correction.ts): a name at once, an
 * address first as pending (the code's hash, until confirmed), then as the address in use with the
 * index key that follows from it. Each with the event that records it.
 */
export function recordCorrection(
  id: string,
  changes: { name?: string; pendingEmail?: PendingEmail },
  at: string,
  event: ComplaintEvent | undefined,
  extra: TransactItems,
): Promise<boolean> {
  const sets = [
    'updatedAt = :at',
    ...(changes.name ? ['complainant.#name = :name'] : []),
    ...(changes.pendingEmail ? ['pendingEmail = :pending'] : []),
  ];
  return writeIf(
    [
      {
        Update: {
          TableName: tableName(),
          Key: complaintKey(id),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ...(changes.name ? { ExpressionAttributeNames: { '#name': 'name' } } : {}),
          ExpressionAttributeValues: {
            ':at': at,
            ...(changes.name ? { ':name': changes.name } : {}),
            ...(changes.pendingEmail ? { ':pending': changes.pendingEmail } : {}),
          },
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(erasureRequestedAt)',
        },
      },
      ...(event ? [putEvent(id, event)] : []),
      ...extra,
    ],
    (failed) => failed.includes(0),
  );
}

/**
 * Puts a confirmed address in use: only while the code's hash is the one pending and unexpired,
 * and the key replaced is the one read (`left`: the address left, recorded among the former ones
 * in the same write, so the purge finds what is kept under it). False otherwise.
 */
export function confirmEmail(
  id: string,
  pending: PendingEmail,
  complainantKey: string,
  left: { complainantKey?: string; formerAddresses: FormerAddress[] },
  at: string,
  event: ComplaintEvent,
  extra: TransactItems,
): Promise<boolean> {
  return writeIf(
    [
      {
        Update: {
          TableName: tableName(),
          Key: complaintKey(id),
          UpdateExpression:
            'SET complainant.email = :email, complainantKey = :key, formerAddresses = :former, updatedAt = :at REMOVE pendingEmail',
          ConditionExpression: `attribute_exists(pk) AND pendingEmail.codeHash = :hash AND pendingEmail.expiresAt > :at AND attribute_not_exists(erasureRequestedAt) AND ${
            left.complainantKey ? 'complainantKey = :leftKey' : 'attribute_not_exists(complainantKey)'
          }`,
          ExpressionAttributeValues: {
            ':email': pending.address,
            ':key': complainantKey,
            ':former': left.formerAddresses,
            ':at': at,
            ':hash': pending.codeHash,
            ...(left.complainantKey ? { ':leftKey': left.complainantKey } : {}),
          },
        },
      },
      putEvent(id, event),
      ...extra,
    ],
    (failed) => failed.includes(0),
  );
}
