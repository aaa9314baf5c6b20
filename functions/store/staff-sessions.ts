import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../lib/clients/dynamo';
import { countInWindow } from './rate-windows';
import { epochSeconds, TTL_ATTRIBUTE, PARTITIONS } from './schema';
import { tableName, withoutKeys, writeIf } from './table';

/**
 * The staff desk's sign-in: emailed sign-in links (`STAFFLINK#<sha256 of the link id>`), sessions
 * (`STAFFSESSION#<sha256 of the cookie's secret>`) and sign-in request counters
 * (`STAFFRATE#<sha256 of address or client>` / `WINDOW#<start>`). Only hashes of the secrets are
 * stored; each item expires by TTL. In no index.
 */
export function signInLinkKey(linkIdHash: string) {
  return { pk: `${PARTITIONS.staffSignInLink}${linkIdHash}`, sk: 'META' };
}

export function sessionKey(sessionHash: string) {
  return { pk: `${PARTITIONS.staffSession}${sessionHash}`, sk: 'META' };
}

export function rateKey(subjectHash: string, windowStart: string) {
  return { pk: `${PARTITIONS.staffSignInRate}${subjectHash}`, sk: `WINDOW#${windowStart}` };
}

export interface SignInLinkRecord {
  email: string;
  /** Posted back by the link page's button: a GET (a mail scanner) signs nobody in. */
  nonce: string;
  createdAt: string;
  validUntil: string;
  usedAt?: string;
}

export interface StaffSessionRecord {
  email: string;
  /** The page nonce every state-changing staff POST carries. */
  nonce: string;
  createdAt: string;
  validUntil: string;
  revokedAt?: string;
}

const ttl = (until: string, extraSeconds = 86400) => ({
  [TTL_ATTRIBUTE]: epochSeconds(new Date(until)) + extraSeconds,
});

export async function putSignInLink(linkIdHash: string, link: SignInLinkRecord): Promise<void> {
  await dynamo.send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...signInLinkKey(linkIdHash), ...link, ...ttl(link.validUntil) },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getSignInLink(linkIdHash: string): Promise<SignInLinkRecord | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: signInLinkKey(linkIdHash), ConsistentRead: true }),
  );
  return Item ? withoutKeys<SignInLinkRecord>(Item) : undefined;
}

/**
 * Uses a sign-in link once and opens its session, in one transaction: the link must be unused,
 * in time, and posted with its nonce. False when it was not (used, late, wrong nonce).
 */
export async function consumeSignInLink(
  linkIdHash: string,
  nonce: string,
  now: string,
  sessionHash: string,
  session: StaffSessionRecord,
): Promise<boolean> {
  return writeIf([
    {
      Update: {
        TableName: tableName(),
        Key: signInLinkKey(linkIdHash),
        UpdateExpression: 'SET usedAt = :now',
        ConditionExpression:
          'attribute_exists(pk) AND attribute_not_exists(usedAt) AND validUntil > :now AND nonce = :nonce',
        ExpressionAttributeValues: { ':now': now, ':nonce': nonce },
      },
    },
    {
      Put: {
        TableName: tableName(),
        Item: { ...sessionKey(sessionHash), ...session, ...ttl(session.validUntil) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ]);
}

export async function getSession(sessionHash: string): Promise<StaffSessionRecord | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: sessionKey(sessionHash), ConsistentRead: true }),
  );
  return Item ? withoutKeys<StaffSessionRecord>(Item) : undefined;
}

/** Ends a session server-side: its cookie opens nothing from now on. */
export async function revokeSession(sessionHash: string, now: string): Promise<void> {
  await dynamo
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: sessionKey(sessionHash),
        UpdateExpression: 'SET revokedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: { ':now': now },
      }),
    )
    .catch((error) => {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    });
}

/**
 * Counts one request against a fixed window; false once `limit` requests were counted in it
 * (the conditional write makes concurrent requests count exactly).
 */
export function countRequest(
  subjectHash: string,
  windowStart: string,
  windowEnd: string,
  limit: number,
): Promise<boolean> {
  return countInWindow(rateKey(subjectHash, windowStart), new Date(windowEnd), limit);
}
