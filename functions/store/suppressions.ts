import { createHash } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../lib/clients/dynamo';
import { log } from '../lib/log';
import { settings } from '../lib/settings';
import { TTL_ATTRIBUTE, PARTITIONS } from './schema';
import { tableName } from './table';

/**
 * Addresses Redress must stop mailing: SES reported a permanent bounce or a complaint (marked as
 * spam) through the configuration set's event destination (functions/mail/record-mail-event.ts).
 * Items are keyed by a hash of the lowercased address, so the table holds no address in a key,
 * and expire with the desk's retention like every other personal record.
 */
/** `SUPPRESSED#<sha256 of the lowercased address>` / `META`. */
export function suppressionKey(addressHash: string) {
  return { pk: `${PARTITIONS.suppression}${addressHash}`, sk: 'META' };
}

export type SuppressionReason = 'bounce' | 'complaint';

export function suppressionKeyOf(email: string): string {
  return createHash('sha256').update(`suppressed:${email.trim().toLowerCase()}`).digest('hex');
}

export async function isSuppressed(email: string): Promise<boolean> {
  try {
    const { Item } = await dynamo.send(
      new GetCommand({
        TableName: tableName(),
        Key: suppressionKey(suppressionKeyOf(email)),
        ProjectionExpression: 'pk',
      }),
    );
    return !!Item;
  } catch (error) {
    // Fail open: an undelivered acknowledgement or task link costs more than one extra bounce.
    log.warn('suppression check failed; sending anyway', { error });
    return false;
  }
}

export async function suppressAddress(
  email: string,
  reason: SuppressionReason,
  at: Date,
  detail?: string,
): Promise<void> {
  const expiresAt = Math.floor(at.getTime() / 1000) + settings().desk.retentionDays * 86400;
  await dynamo.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...suppressionKey(suppressionKeyOf(email)),
        reason,
        suppressedAt: at.toISOString(),
        ...(detail ? { detail } : {}),
        [TTL_ATTRIBUTE]: expiresAt,
      },
    }),
  );
}

/**
 * Forgets that an address was suppressed, by the address or by its hash (an address the case left
 * is recorded by its hash alone): with the last kept case of that address (domain/erasure.ts
 * complainantItemsToForget).
 */
export async function forgetSuppression(address: { email: string } | { hash: string }): Promise<void> {
  const hash = 'hash' in address ? address.hash : suppressionKeyOf(address.email);
  await dynamo.send(new DeleteCommand({ TableName: tableName(), Key: suppressionKey(hash) }));
}
