import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../lib/clients/dynamo';
import { currentTime } from '../lib/clock';
import { complaintKey } from './complaint-key';
import { epochSeconds, PARTITIONS, TTL_ATTRIBUTE } from './schema';
import { tableName } from './table';

/**
 * Short links for texts: `SHORT#<code>` / `LINK` holds the link a text stands for (a tracking or
 * task link). The code is 10 random base62 characters (59 bits): it is as much a secret as the
 * link it stands for only to the extent that nobody can guess one, and a guess would have to hit
 * one of the live codes among 8·10^17. The target still checks its own token; the item expires
 * when the desk stops keeping the case. A link made for a case's text is noted on the case
 * (`COMPLAINT#<id>` / `SHORT#<code>`, before the link is written), so the case's purge deletes it
 * with the case (case-purge.ts) rather than leaving it to its expiry.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const SHORT_CODE = /^[0-9A-Za-z]{10}$/;

function newCode(): string {
  // 248 = 4·62: bytes at or above it are dropped so every character is equally likely.
  let code = '';
  while (code.length < 10)
    for (const byte of randomBytes(16)) if (byte < 248 && code.length < 10) code += ALPHABET[byte % 62];
  return code;
}

export const shortKey = (code: string) => ({ pk: `${PARTITIONS.shortLink}${code}`, sk: 'LINK' });

/** The note on a case of a short link made for it. */
export const SHORT_LINK_NOTE = 'SHORT#';
const noteKey = (complaintId: string, code: string) => ({
  pk: complaintKey(complaintId).pk,
  sk: `${SHORT_LINK_NOTE}${code}`,
});

export async function createShortLink(
  target: string,
  at: Date,
  keepDays: number,
  complaintId?: string,
): Promise<string> {
  const code = newCode();
  if (complaintId)
    await dynamo.send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...noteKey(complaintId, code), [TTL_ATTRIBUTE]: epochSeconds(at) + keepDays * 86400 },
      }),
    );
  await dynamo.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...shortKey(code),
        target,
        createdAt: at.toISOString(),
        [TTL_ATTRIBUTE]: epochSeconds(at) + keepDays * 86400,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return code;
}

export async function shortLinkTarget(code: string): Promise<string | undefined> {
  if (!SHORT_CODE.test(code)) return undefined;
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName(), Key: shortKey(code) }));
  // DynamoDB removes an expired item up to days later: past its time it is gone already.
  const expired = typeof Item?.[TTL_ATTRIBUTE] === 'number' && Item[TTL_ATTRIBUTE] * 1000 < currentTime().getTime();
  return typeof Item?.target === 'string' && !expired ? Item.target : undefined;
}
