import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ComplaintEvent } from '../domain/history';
import type { Ban, BanState } from '../domain/intake-rules';
import { dynamo } from '../lib/clients/dynamo';
import { putEvent } from './events';
import { tableName, writeIf } from './table';
import { PARTITIONS } from './schema';

/**
 * A complainant's bans: `COMPLAINANT#<complainantKey>` / `BAN`: how many, until when (or for
 * good), and each with its reason and the ruled complaint it disregarded.
 */
export function banKey(complainantKey: string) {
  return { pk: `${PARTITIONS.complainant}${complainantKey}`, sk: 'BAN' };
}

export async function getBanState(complainantKey: string): Promise<BanState | undefined> {
  const { Item } = await dynamo.send(
    new GetCommand({ TableName: tableName(), Key: banKey(complainantKey), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  return {
    banCount: Item.banCount ?? 0,
    ...(Item.bannedUntil ? { bannedUntil: Item.bannedUntil } : {}),
    ...(Item.permanent ? { permanent: true } : {}),
  };
}

/**
 * Records a ban: the complainant's ban item (the next rung, with its reason, guarded against a
 * concurrent ban by the count it was computed from) and a `complainant.banned` event on the
 * complaint whose final ruling was disregarded, so staff see it in that case's history. False
 * when a concurrent ban was recorded first.
 */
export async function recordBan(input: {
  complainantKey: string;
  previous: BanState | undefined;
  ban: Ban;
  reason: string;
  ruledComplaintId: string;
  event: ComplaintEvent;
}): Promise<boolean> {
  const { ban } = input;
  const entry = {
    at: input.event.at,
    level: ban.level,
    ...(ban.permanent ? { permanent: true } : { until: ban.until }),
    reason: input.reason,
    complaintId: input.ruledComplaintId,
  };
  return writeIf(
    [
      {
        Update: {
          TableName: tableName(),
          Key: banKey(input.complainantKey),
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
    // A concurrent ban (or another write to the complainant's item) wins: false, and the caller
    // reads the ban again and answers with it.
    (failed) => failed.length === 0 || failed.includes(0),
  );
}
