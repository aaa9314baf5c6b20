import { describe, expect, it } from 'vitest';
import { isOverload } from '../../functions/lib/overload';
import { parseFaults } from '../../infra/local/fault-injection';

const awsError = (name: string, status: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status }, ...extra });

describe('isOverload', () => {
  it('takes throttles, server faults, timeouts and dropped connections of a dependency as overload', () => {
    expect(isOverload(awsError('ProvisionedThroughputExceededException', 400))).toBe(true);
    expect(isOverload(awsError('ThrottlingException', 400))).toBe(true);
    expect(isOverload(awsError('SomethingNew', 503))).toBe(true);
    expect(isOverload(awsError('InternalServerError', 500))).toBe(true);
    expect(isOverload(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isOverload(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))).toBe(true);
    expect(isOverload(new Error('wrapped', { cause: awsError('Throttling', 400) }))).toBe(true);
  });

  it('takes a transaction cancelled for a conflict or throttle as overload, but not one whose condition failed', () => {
    const cancelled = (...codes: string[]) =>
      awsError('TransactionCanceledException', 400, { CancellationReasons: codes.map((Code) => ({ Code })) });
    expect(isOverload(cancelled('None', 'TransactionConflict'))).toBe(true);
    expect(isOverload(cancelled('ThrottlingError', 'None'))).toBe(true);
    expect(isOverload(cancelled('ConditionalCheckFailed', 'TransactionConflict'))).toBe(false);
    expect(isOverload(cancelled('ConditionalCheckFailed'))).toBe(false);
  });

  it('leaves a fault in the request or in the code alone (a 500 that is logged)', () => {
    expect(isOverload(new TypeError('x is undefined'))).toBe(false);
    expect(isOverload(awsError('ValidationException', 400))).toBe(false);
    expect(isOverload(awsError('ConditionalCheckFailedException', 400))).toBe(false);
    expect(isOverload(undefined)).toBe(false);
  });
});

describe('REDRESS_FAULT dynamodb-throttled', () => {
  it('reads a rate, and refuses a bad one naming it', () => {
    expect(parseFaults('dynamodb-throttled:40')).toEqual({ dynamoDbThrottledPerSecond: 40 });
    expect(() => parseFaults('dynamodb-throttled:x')).toThrow(/dynamodb-throttled.*requests per second/);
  });
});

describe('a refused workflow start', () => {
  it('is throttled or at the open-execution quota, and waits for the reconciler; anything else is not a refusal', async () => {
    const { isStartRefused, startRefusalReason } = await import('../../functions/app/shared/workflow');
    expect(isStartRefused(awsError('ExecutionLimitExceeded', 400))).toBe(true);
    expect(startRefusalReason(awsError('ExecutionLimitExceeded', 400))).toBe('execution-limit');
    expect(startRefusalReason(awsError('ThrottlingException', 400))).toBe('throttled');
    expect(isStartRefused(awsError('StateMachineDoesNotExist', 400))).toBe(false);
  });
});
