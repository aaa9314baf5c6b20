import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { firstLookAt } from '../domain/mail-delivery';
import { dynamo } from '../lib/clients/dynamo';
import type { Channel, Notice } from '../domain/notice';
import type { EmailMessage } from '../lib/email-message';
import { complaintKey } from './complaint-key';
import { signInLinkKey } from './staff-sessions';
import { epochSeconds, shardOf, TTL_ATTRIBUTE } from './schema';
import { deferOutboxItem, removeOutboxItem } from './outbox-retry';
import { tableName, updateOneIf } from './table';
import { listDueKeys } from './due-index';

/**
 * The outbox: a notice to send because a case changed is written in the same transaction as the
 * change (`COMPLAINT#<id>` / `OUTBOX#<iso time>#<n>`), one item per channel it goes by, so the
 * change is never recorded without its notice. The item is deleted once it is sent or given up.
 * While it waits it sits in the sparse byMailDue index (keys only), by when it is next due; it
 * expires with a short TTL in any case, since it holds an address and a message.
 */
export const OUTBOX_PREFIX = 'OUTBOX#';
export const MAIL_DUE_PREFIX = 'MAILDUE#';
export const MAIL_DUE_SHARDS = 8;
/** An unsent email outlives its last try by at most this long. */
const OUTBOX_TTL_DAYS = 7;

export type OutboxKey = { pk: string; sk: string };

interface QueuedBase {
  complaintId: string;
  /** What the notice is, for logs and the case's record (never the address). */
  purpose: string;
  queuedAt: string;
  attempts: number;
  dueAt: string;
  lastError?: string;
}

/**
 * A notice waiting for one channel; rendered when it is sent. An item with no channel holds an
 * email rendered when it was queued (the outbox's first format, which may still wait after a
 * deploy): it is sent as it is.
 */
export type QueuedMail = QueuedBase &
  ({ channel: Channel; message: Notice } | { channel?: undefined; message: EmailMessage });

export type QueuedMailItem = QueuedMail & OutboxKey & { mailDue: string };

/** The message as stored: gzipped JSON, since every write is paid by the kilobyte. */
const packed = (message: Notice | EmailMessage) => gzipSync(JSON.stringify(message));
const unpacked = (stored: Uint8Array): unknown => JSON.parse(gunzipSync(stored).toString('utf8'));

/** The item of a notice recorded with a change at `at`, for one channel; `seq` tells apart notices of one change. */
export function queuedMailItem(
  complaintId: string,
  purpose: string,
  channel: Channel,
  message: Notice,
  at: string,
  seq = 0,
  dueAt = firstLookAt(new Date(at)).toISOString(),
): QueuedMailItem {
  const sk = `${OUTBOX_PREFIX}${at}#${String(seq).padStart(2, '0')}${randomBytes(3).toString('hex')}`;
  return {
    pk: complaintKey(complaintId).pk,
    sk,
    complaintId,
    purpose,
    channel,
    message,
    queuedAt: at,
    attempts: 0,
    dueAt,
    mailDue: shardOf(MAIL_DUE_PREFIX, complaintId, MAIL_DUE_SHARDS),
  };
}

/**
 * A staff sign-in mail, queued beside its link (`STAFFLINK#<hash>` / `OUTBOX#…`) and due at once:
 * the sign-in request answers without waiting for SES, and the outbox's scheduled sender mails it.
 * `message` undefined: a request that mails nothing (not staff, or past the address's allowance)
 * writes the same item without a message and outside the due index, so its answer costs the same
 * and nothing is sent; its TTL removes it.
 */
export function signInMailItem(
  linkIdHash: string,
  message: Notice | undefined,
  at: string,
):
  | QueuedMailItem
  | (Omit<QueuedBase & OutboxKey, 'mailDue'> & { channel?: undefined; message?: undefined; mailDue?: undefined }) {
  const item = {
    pk: signInLinkKey(linkIdHash).pk,
    sk: `${OUTBOX_PREFIX}${at}#00${randomBytes(3).toString('hex')}`,
    complaintId: '',
    purpose: 'staff.sign-in',
    queuedAt: at,
    attempts: 0,
    dueAt: at,
  };
  return message
    ? { ...item, channel: 'email' as const, message, mailDue: shardOf(MAIL_DUE_PREFIX, linkIdHash, MAIL_DUE_SHARDS) }
    : item;
}

/** Records a queued sign-in mail (or its stand-in that mails nothing): one Put. */
export async function recordSignInMail(item: ReturnType<typeof signInMailItem>): Promise<void> {
  await dynamo.send(
    new PutCommand({
      TableName: tableName(),
      Item: {
        ...item,
        ...(item.message ? { message: packed(item.message) } : {}),
        [TTL_ATTRIBUTE]: epochSeconds(new Date(item.queuedAt)) + OUTBOX_TTL_DAYS * 86400,
      },
    }),
  );
}

/** The Put that records an email in the transaction of its change. */
export function putQueuedMail(item: QueuedMailItem) {
  return {
    Put: {
      TableName: tableName(),
      Item: {
        ...item,
        message: packed(item.message),
        [TTL_ATTRIBUTE]: epochSeconds(new Date(item.queuedAt)) + OUTBOX_TTL_DAYS * 86400,
      },
    },
  };
}

/** Records an email whose change was written on its own: one Put, not a transaction of one (which costs twice the write units). */
export async function recordQueuedMail(item: QueuedMailItem): Promise<void> {
  await dynamo.send(new PutCommand(putQueuedMail(item).Put));
}

/**
 * Takes a listed email for one try, on condition it is still due: its due time moves on to
 * `until`, so another run of the sender that listed it too finds it not due and leaves it. The try
 * then removes it or sets its next due time; a run that dies mid-try leaves it due again at
 * `until`. Undefined when it is gone or not due (another run took it).
 */
export async function takeQueuedMail(key: OutboxKey, now: string, until: string): Promise<QueuedMailItem | undefined> {
  const item = await updateOneIf({
    TableName: tableName(),
    Key: { pk: key.pk, sk: key.sk },
    UpdateExpression: 'SET dueAt = :until',
    ConditionExpression: 'attribute_exists(mailDue) AND dueAt <= :now',
    ExpressionAttributeValues: { ':until': until, ':now': now },
    ReturnValues: 'ALL_OLD',
  });
  return item ? ({ ...item, message: unpacked(item.message as Uint8Array) } as QueuedMailItem) : undefined;
}

/** Sent, or given up: the item goes. */
export async function removeQueuedMail(key: OutboxKey): Promise<void> {
  await removeOutboxItem(key);
}

/** A try failed: count it and set when the next one is due (nothing, if the item is gone meanwhile); it expires later too. */
export async function deferQueuedMail(
  key: OutboxKey,
  attempts: number,
  dueAt: string,
  lastError: string,
): Promise<boolean> {
  const expiresAt = epochSeconds(new Date(dueAt)) + OUTBOX_TTL_DAYS * 86400;
  return deferOutboxItem(key, { attempts, dueAt, lastError, expiresAt });
}

/** Up to `limit` waiting emails due by `now`, soonest first in each shard (their keys). */
export async function listDueMail(now: string, limit = Infinity): Promise<OutboxKey[]> {
  return listDueKeys(MAIL_DUE_PREFIX, MAIL_DUE_SHARDS, now, limit);
}
