import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AnalyticsRange } from '../domain/analytics';
import { dynamo } from '../lib/clients/dynamo';
import { epochSeconds, PARTITIONS, shardOf, TTL_ATTRIBUTE } from './schema';
import { tableName, updateOneIf, writeOneIf } from './table';
import { listDueKeys } from './due-index';

/**
 * One recipient's weekly report of one run: `REPORT#<run>#<sha256 of the address>` / `META`. A
 * week's scheduled run is `<week's Monday>`; an operator's "send now" is a run of its own
 * (`<Monday>@<epoch ms>`). The run writes it once (a rerun writes nothing: the claim), one sender
 * at a time takes it (a lease: while taken, it is due again only when the lease runs out), and it
 * stays once sent, so it is never sent again; it expires after REPORT_TTL_DAYS. Until sent (or
 * given up) it sits in the byMailDue index under `REPORTDUE#<n>` (keys only), by when it is due;
 * the outbox's emails are under `MAILDUE#<n>` in the same index and never meet it.
 */
export const REPORT_DUE_SHARDS = 8;
export const REPORT_DUE_PREFIX = 'REPORTDUE#';
const REPORT_TTL_DAYS = 35;

export type ReportKey = { pk: string; sk: string };

export interface ReportClaim {
  run: string;
  week: AnalyticsRange;
  to: string;
  teams: string[];
  state: 'due' | 'sending' | 'sent' | 'failed';
  attempts: number;
  plannedAt: string;
  dueAt: string;
  /** The sender holding it now (its token), while `sending`. */
  lease?: string;
  sentAt?: string;
  lastError?: string;
}

export type ReportItem = ReportClaim & ReportKey;

export function reportKey(run: string, to: string): ReportKey {
  const hash = createHash('sha256').update(`report:${to.trim().toLowerCase()}`).digest('hex');
  return { pk: `${PARTITIONS.report}${run}#${hash}`, sk: 'META' };
}

/** Writes a recipient's report of a run, due at once, unless the run has it already: true when written. */
export async function planReport(
  claim: Pick<ReportClaim, 'run' | 'week' | 'to' | 'teams' | 'plannedAt'>,
): Promise<boolean> {
  const key = reportKey(claim.run, claim.to);
  return writeOneIf({
    put: {
      TableName: tableName(),
      Item: {
        ...key,
        kind: 'weekly-report',
        ...claim,
        state: 'due',
        attempts: 0,
        dueAt: claim.plannedAt,
        mailDue: shardOf(REPORT_DUE_PREFIX, key.pk, REPORT_DUE_SHARDS),
        [TTL_ATTRIBUTE]: epochSeconds(new Date(claim.plannedAt)) + REPORT_TTL_DAYS * 86400,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });
}

/** Up to `limit` reports due by `now` (their keys), soonest first in each shard. */
export async function listDueReports(now: string, limit: number): Promise<ReportKey[]> {
  return listDueKeys(REPORT_DUE_PREFIX, REPORT_DUE_SHARDS, now, limit);
}

export async function getReport(key: ReportKey): Promise<ReportItem | undefined> {
  const { Item } = await dynamo.send(new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }));
  return Item as ReportItem | undefined;
}

/**
 * Takes a due report for one sender (`lease`, until `leaseUntil`): one taker wins; the report is
 * due again when the lease runs out, should its sender die before it says how the send went.
 * Undefined when it is not due (taken by another sender, sent, or given up meanwhile).
 */
export async function takeReport(
  key: ReportKey,
  now: string,
  lease: string,
  leaseUntil: string,
): Promise<ReportItem | undefined> {
  return (await updateOneIf({
    TableName: tableName(),
    Key: key,
    UpdateExpression: 'SET #state = :sending, lease = :lease, dueAt = :until ADD attempts :one',
    ConditionExpression: 'attribute_exists(mailDue) AND dueAt <= :now',
    ExpressionAttributeNames: { '#state': 'state' },
    ExpressionAttributeValues: { ':sending': 'sending', ':lease': lease, ':until': leaseUntil, ':now': now, ':one': 1 },
    ReturnValues: 'ALL_NEW',
  })) as ReportItem | undefined;
}

/** How a taken report's send went, written only while its sender still holds it. */
export async function settleReport(
  key: ReportKey,
  lease: string,
  outcome: { sent: string } | { retryAt: string; error: string } | { failed: string; error: string },
): Promise<boolean> {
  const [update, values]: [string, Record<string, unknown>] =
    'sent' in outcome
      ? ['SET #state = :sent, sentAt = :at REMOVE mailDue, lease', { ':sent': 'sent', ':at': outcome.sent }]
      : 'retryAt' in outcome
        ? [
            'SET #state = :due, dueAt = :at, lastError = :error REMOVE lease',
            { ':due': 'due', ':at': outcome.retryAt, ':error': outcome.error },
          ]
        : [
            'SET #state = :failed, lastError = :error, failedAt = :at REMOVE mailDue, lease',
            { ':failed': 'failed', ':error': outcome.error, ':at': outcome.failed },
          ];
  return writeOneIf({
    update: {
      TableName: tableName(),
      Key: key,
      UpdateExpression: update,
      ConditionExpression: 'lease = :lease',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ...values, ':lease': lease },
    },
  });
}
