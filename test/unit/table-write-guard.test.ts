import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/catalog';
import {
  appliedKey,
  batchKey,
  rollUpKey,
  runningKey,
  subjectDayKey,
  teamDayKey,
} from '../../functions/store/analytics';
import { banKey } from '../../functions/store/bans';
import { complaintKey } from '../../functions/store/complaint-key';
import { eventKey } from '../../functions/store/events';
import { heldFilingKey } from '../../functions/store/held-filings';
import { idempotencyKey } from '../../functions/store/idempotency';
import { inboundMailKey, senderRateKey } from '../../functions/store/inbound-mails';
import { numberKey } from '../../functions/store/numbers';
import { filingRateKey } from '../../functions/store/rate-windows';
import { PARTITIONS, partitionKeyPattern, type PartitionName } from '../../functions/store/schema';
import { rateKey, sessionKey, signInLinkKey } from '../../functions/store/staff-sessions';
import { subjectPointerKey } from '../../functions/store/subject-pointers';
import { suppressionKey } from '../../functions/store/suppressions';
import { taskLinkKey } from '../../functions/store/task-links';
import { uploadSlotKey } from '../../functions/store/upload-slots';
import { itemWritesOf, matchesStringLike, tableWriteRefusal } from '../../infra/local/table-write-guard';

const spec = (id: string) => FUNCTIONS.find((f) => f.id === id)!;

describe('the local table-write guard: what IAM would decide', () => {
  it('matches keys as IAM StringLike does', () => {
    expect(matchesStringLike('COMPLAINT#*', 'COMPLAINT#01J')).toBe(true);
    expect(matchesStringLike('COMPLAINT#*', 'COMPLAINT#')).toBe(true);
    expect(matchesStringLike('COMPLAINT#*', 'XCOMPLAINT#01J')).toBe(false);
    expect(matchesStringLike('COMPLAINT#*', 'COMPLAINTS#01J')).toBe(false);
    expect(matchesStringLike('ANALYTICS', 'ANALYTICS')).toBe(true);
    expect(matchesStringLike('ANALYTICS', 'ANALYTICS#APPLIED#01J')).toBe(false);
    expect(matchesStringLike('A?C', 'ABC')).toBe(true);
    expect(matchesStringLike('A.C*', 'ABC')).toBe(false);
    expect(matchesStringLike('TASK#*', 'TASK#line\nbreak')).toBe(true);
  });

  it('reads every written key of a call, marshalled or not, and none of a read', () => {
    expect(itemWritesOf('PutItemCommand', { Item: { pk: { S: 'NUMBER#R-1' }, sk: { S: 'META' } } })).toEqual([
      { action: 'dynamodb:PutItem', partitionKey: 'NUMBER#R-1' },
    ]);
    expect(itemWritesOf('UpdateItemCommand', { Key: { pk: 'TASK#a', sk: 'META' } })).toEqual([
      { action: 'dynamodb:UpdateItem', partitionKey: 'TASK#a' },
    ]);
    expect(
      itemWritesOf('TransactWriteItemsCommand', {
        TransactItems: [
          { Put: { Item: { pk: { S: 'COMPLAINT#1' } } } },
          { Delete: { Key: { pk: { S: 'HELD#x' } } } },
          { ConditionCheck: { Key: { pk: { S: 'COMPLAINT#2' } } } },
        ],
      }),
    ).toEqual([
      { action: 'dynamodb:PutItem', partitionKey: 'COMPLAINT#1' },
      { action: 'dynamodb:DeleteItem', partitionKey: 'HELD#x' },
      { action: 'dynamodb:ConditionCheckItem', partitionKey: 'COMPLAINT#2' },
    ]);
    expect(
      itemWritesOf('BatchWriteItemCommand', {
        RequestItems: {
          Complaints: [
            { PutRequest: { Item: { pk: { S: 'ANALYTICS' } } } },
            { DeleteRequest: { Key: { pk: { S: 'ANALYTICS#APPLIED#1' } } } },
          ],
        },
      }).map((w) => w.partitionKey),
    ).toEqual(['ANALYTICS', 'ANALYTICS#APPLIED#1']);
    for (const read of ['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand'])
      expect(itemWritesOf(read, { Key: { pk: { S: 'COMPLAINT#1' } } }), read).toEqual([]);
  });

  it('puts the key of every key builder in exactly one partition, the one its builder names', () => {
    const built: [PartitionName, string][] = [
      ['complaint', complaintKey('01J').pk],
      ['complaint', eventKey('01J', '2026-01-01T00:00:00.000Z', 0).pk],
      ['complaint', uploadSlotKey('01J', 'slot').pk],
      ['number', numberKey('R-2026-000001').pk],
      ['taskLink', taskLinkKey('abc').pk],
      ['complainant', banKey('abc').pk],
      ['complainant', subjectPointerKey('abc', 'def').pk],
      ['idempotency', idempotencyKey('abc').pk],
      ['suppression', suppressionKey('abc').pk],
      ['staffSignInLink', signInLinkKey('abc').pk],
      ['staffSession', sessionKey('abc').pk],
      ['staffSignInRate', rateKey('abc', '2026-01-01T00').pk],
      ['filingRate', filingRateKey('abc', '2026-01-01T00').pk],
      ['heldFiling', heldFilingKey('abc').pk],
      ['inboundMail', inboundMailKey('abc').pk],
      ['senderRate', senderRateKey('abc', '2026-01-01T00').pk],
      ['analytics', rollUpKey().pk],
      ['analyticsApplied', appliedKey('4421584500000000017450439091').pk],
      ['analyticsDay', teamDayKey('2026-01-01', 'trust').pk],
      ['analyticsSubject', subjectDayKey('2026-01-01', 'abc').pk],
      ['analyticsRunning', runningKey({ kind: 'person', team: 'trust', email: 'a@example.org' }, '2026-01-01').pk],
      ['analyticsBatch', batchKey('4421584500000000017450439091').pk],
    ];
    for (const [partition, pk] of built) {
      const matching = (Object.keys(PARTITIONS) as PartitionName[]).filter((name) =>
        matchesStringLike(partitionKeyPattern(name), pk),
      );
      expect(matching, pk).toEqual([partition]);
    }
  });

  it('refuses a write outside the writer’s partitions, a batch write without the grant, and any write of a reader', () => {
    const put = (pk: string) => ({ Item: { pk: { S: pk }, sk: { S: 'META' } } });
    expect(tableWriteRefusal(spec('RecordMailEvent'), 'PutItemCommand', put('SUPPRESSED#a'))).toBeUndefined();
    expect(tableWriteRefusal(spec('RecordMailEvent'), 'PutItemCommand', put('NUMBER#a'))?.name).toBe(
      'AccessDeniedException',
    );
    expect(
      tableWriteRefusal(spec('RecordMailEvent'), 'GetItemCommand', { Key: { pk: { S: 'COMPLAINT#a' } } }),
    ).toBeUndefined();
    expect(tableWriteRefusal(spec('TrackComplaint'), 'PutItemCommand', put('COMPLAINT#a'))?.message).toContain(
      'names no partitions it writes',
    );
    const batch = { RequestItems: { Complaints: [{ PutRequest: put('ANALYTICS') }] } };
    expect(tableWriteRefusal(spec('AggregateAnalytics'), 'BatchWriteItemCommand', batch)).toBeUndefined();
    expect(tableWriteRefusal(spec('SendWeeklyReport'), 'BatchWriteItemCommand', batch)?.message).toContain(
      'grants no batch writes',
    );
  });
});
