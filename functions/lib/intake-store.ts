import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ComplaintRecord } from '../domain/complaint';
import type { ComplaintEvent } from '../domain/history';
import type { Ban, BanState, EarlierComplaint } from '../domain/intake-rules';
import { isOpen } from '../domain/lifecycle';
import { dynamo } from './aws-clients';
import { getComplaint, putEvent } from './complaint-store';
import { settings } from './settings';
import { keys, TABLE_INDEXES } from './table-schema';
import { queryAll, writeIf, type TransactItems } from './table-ops';

/**
 * What intake reads and writes beyond the complaint itself: Idempotency-Key records, the
 * per-complainant "latest complaint on this matter" pointer that finds duplicates, and bans.
 * Every write that files or links a complaint is one transaction with the idempotency record,
 * so a retried request can never make a second record, workflow or acknowledgement.
 */

type TransactItem = TransactItems[number];

const table = () => settings().tableName;
const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

// ---- Idempotency-Key

export interface StoredResponse {
  statusCode: number;
  body: string;
  headers?: Record<string, string>;
  /** For a filing: the tracking link is derived again on replay, never stored. */
  complaintId?: string;
  trackingSalt?: string;
}

export interface IdempotencyRecord {
  bodyHash: string;
  response: StoredResponse;
  createdAt: string;
  expiresAt: number;
}

export interface IdempotencyClaim {
  keyHash: string;
  bodyHash: string;
  hours: number;
}

/** The first response given for this key, while it is remembered. */
export async function findIdempotencyRecord(keyHash: string, now: Date): Promise<IdempotencyRecord | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table(), Key: keys.idempotency(keyHash), ConsistentRead: true }));
  // TTL deletes lazily (up to days late): an expired record is as good as gone.
  if (!Item || (Item.expiresAt as number) < epochSeconds(now)) return undefined;
  return { bodyHash: Item.bodyHash, response: Item.response, createdAt: Item.createdAt, expiresAt: Item.expiresAt };
}

function idempotencyPut(claim: IdempotencyClaim, response: StoredResponse, now: Date): TransactItem {
  return {
    Put: {
      TableName: table(),
      Item: { ...keys.idempotency(claim.keyHash), bodyHash: claim.bodyHash, response, createdAt: now.toISOString(), expiresAt: epochSeconds(now) + claim.hours * 3600 },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :nowEpoch',
      ExpressionAttributeValues: { ':nowEpoch': epochSeconds(now) },
    },
  };
}

// ---- Writes that can lose a race, and what lost

/** A concurrent request won: the same Idempotency-Key, or the same complainant on the same matter. */
export class IntakeRaceLostError extends Error {
  constructor(readonly lost: 'idempotency' | 'subject' | 'number' | 'complaint') {
    super(`intake write lost a race on ${lost}`);
    this.name = 'IntakeRaceLostError';
  }
}

async function transact(items: { item: TransactItem; tag?: IntakeRaceLostError['lost'] }[]): Promise<void> {
  let lost: IntakeRaceLostError['lost'][] = [];
  const written = await writeIf(
    items.map((i) => i.item),
    (failed) => {
      lost = failed.flatMap((index) => (items[index]?.tag ? [items[index]!.tag!] : []));
      return lost.length > 0;
    },
  );
  // A repeated Idempotency-Key outranks everything else it collided with: the answer is a replay.
  if (!written) throw new IntakeRaceLostError(lost.includes('idempotency') ? 'idempotency' : lost[0]!);
}

// ---- Latest complaint by one complainant on one matter

/** The complainant's latest complaint on this matter, if the pointer is still within its window. */
export async function findLatestOnSubject(complainantKey: string, subjectKey: string, now: Date): Promise<{ complaintId: string; complaint?: ComplaintRecord } | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table(), Key: keys.latestOnSubject(complainantKey, subjectKey), ConsistentRead: true }));
  if (!Item || (Item.expiresAt as number) < epochSeconds(now)) return undefined;
  return { complaintId: Item.complaintId, complaint: await getComplaint(Item.complaintId) };
}

export function asEarlier(complaint: ComplaintRecord): EarlierComplaint {
  return { id: complaint.id, number: complaint.number, receivedAt: complaint.receivedAt, open: isOpen(complaint.status), ...(complaint.finalRulingAt ? { finalRulingAt: complaint.finalRulingAt } : {}) };
}

/** Earlier complaints by this complainant on this matter (bySubject index). */
export async function listOwnComplaintsOnSubject(subjectKey: string, complainantKey: string): Promise<EarlierComplaint[]> {
  const items = await queryAll<ComplaintRecord>(
    {
      TableName: table(),
      IndexName: 'bySubject',
      KeyConditionExpression: '#s = :s',
      FilterExpression: '#c = :c',
      ExpressionAttributeNames: { '#s': TABLE_INDEXES.bySubject.partitionKey, '#c': 'complainantKey' },
      ExpressionAttributeValues: { ':s': subjectKey, ':c': complainantKey },
    },
    100,
  );
  return items.map(asEarlier);
}

// ---- Filing and linking

/**
 * Stores a new complaint in one transaction: the record, its number, its first events, the
 * pointer that makes the next filing on this matter a duplicate, and the Idempotency-Key's first
 * response. `previousOnSubject` is the pointer's complaint as read before: if another request
 * moved it since, this one lost the race and must look again.
 */
export async function insertFiledComplaint(input: {
  record: ComplaintRecord & { complainantKey: string; subjectKey: string };
  events: ComplaintEvent[];
  previousOnSubject?: string;
  duplicateDays: number;
  idempotency?: IdempotencyClaim;
  response: StoredResponse;
  now: Date;
}): Promise<void> {
  const { record, now } = input;
  const pointer: TransactItem = {
    Put: {
      TableName: table(),
      Item: { ...keys.latestOnSubject(record.complainantKey, record.subjectKey), complaintId: record.id, receivedAt: record.receivedAt, expiresAt: epochSeconds(now) + input.duplicateDays * 86400 },
      ConditionExpression: input.previousOnSubject ? 'attribute_not_exists(pk) OR complaintId = :prev OR expiresAt < :nowEpoch' : 'attribute_not_exists(pk) OR expiresAt < :nowEpoch',
      ExpressionAttributeValues: { ':nowEpoch': epochSeconds(now), ...(input.previousOnSubject ? { ':prev': input.previousOnSubject } : {}) },
    },
  };
  await transact([
    { item: { Put: { TableName: table(), Item: { ...keys.complaint(record.id), ...record }, ConditionExpression: 'attribute_not_exists(pk)' } }, tag: 'complaint' },
    { item: { Put: { TableName: table(), Item: { ...keys.number(record.number), complaintId: record.id }, ConditionExpression: 'attribute_not_exists(pk)' } }, tag: 'number' },
    ...input.events.map((event) => ({ item: putEvent(record.id, event) })),
    { item: pointer, tag: 'subject' },
    ...(input.idempotency ? [{ item: idempotencyPut(input.idempotency, input.response, now), tag: 'idempotency' as const }] : []),
  ]);
}

/**
 * Links a repeated filing to the open case it repeats: an event on that case (with what the
 * complainant added) and a count on its record, while it is still open. No new record, no
 * workflow.
 */
export async function linkDuplicate(input: { original: ComplaintRecord; event: ComplaintEvent; idempotency?: IdempotencyClaim; response: StoredResponse; now: Date }): Promise<void> {
  const { original, now } = input;
  await transact([
    {
      item: {
        Update: {
          TableName: table(),
          Key: keys.complaint(original.id),
          UpdateExpression: 'ADD duplicateCount :one SET updatedAt = :now',
          // Closed meanwhile: the caller files it as a new complaint instead.
          ConditionExpression: 'attribute_exists(pk) AND #status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':one': 1, ':now': input.event.at, ':status': original.status },
        },
      },
      tag: 'subject',
    },
    { item: putEvent(original.id, input.event) },
    ...(input.idempotency ? [{ item: idempotencyPut(input.idempotency, input.response, now), tag: 'idempotency' as const }] : []),
  ]);
}

// ---- Bans

export async function getBanState(complainantKey: string): Promise<BanState | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: table(), Key: keys.ban(complainantKey), ConsistentRead: true }));
  if (!Item) return undefined;
  return { banCount: Item.banCount ?? 0, ...(Item.bannedUntil ? { bannedUntil: Item.bannedUntil } : {}), ...(Item.permanent ? { permanent: true } : {}) };
}

/**
 * Records a ban: the complainant's ban item (the next rung, with its reason, guarded against a
 * concurrent ban by the count it was computed from) and a `complainant.banned` event on the
 * complaint whose final ruling was disregarded, so staff see it in that case's history.
 */
export async function recordBan(input: { complainantKey: string; previous: BanState | undefined; ban: Ban; reason: string; ruledComplaintId: string; event: ComplaintEvent }): Promise<void> {
  const { ban } = input;
  const entry = { at: input.event.at, level: ban.level, ...(ban.permanent ? { permanent: true } : { until: ban.until }), reason: input.reason, complaintId: input.ruledComplaintId };
  await writeIf(
    [
      {
        Update: {
          TableName: table(),
          Key: keys.ban(input.complainantKey),
          UpdateExpression: ban.permanent
            ? 'SET banCount = :level, permanent = :true, bans = list_append(if_not_exists(bans, :empty), :entry) REMOVE bannedUntil'
            : 'SET banCount = :level, bannedUntil = :until, bans = list_append(if_not_exists(bans, :empty), :entry)',
          ConditionExpression: input.previous ? 'banCount = :previous' : 'attribute_not_exists(pk)',
          ExpressionAttributeValues: {
            ':level': ban.level,
            ':empty': [],
            ':entry': [entry],
            ...(ban.permanent ? { ':true': true } : { ':until': ban.until }),
            ...(input.previous ? { ':previous': input.previous.banCount } : {}),
          },
        },
      },
      putEvent(input.ruledComplaintId, input.event),
    ],
    // A concurrent ban wins; the caller reads it again and answers with it.
    () => false,
  );
}
