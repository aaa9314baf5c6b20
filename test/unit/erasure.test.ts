import { describe, expect, it } from 'vitest';
import type { ComplaintRecord } from '../../functions/domain/complaint';
import {
  complainantItemsToForget,
  dayPurgeDueKeys,
  erasedRecord,
  erasureBlocker,
  erasureDeadline,
  formerAddressesAfter,
  MAX_FORMER_ADDRESSES,
  nextPurgeDay,
  PURGE_DUE_SHARDS,
  purgeDueFields,
  purgeDueKeys,
} from '../../functions/domain/erasure';

const now = new Date('2026-12-07T08:00:00.000Z');

describe('erasure rules', () => {
  it('is due 15 days (the desk’s period) after the request, in the index under a shard sorted by that time', () => {
    const due = erasureDeadline(now, 15);
    expect(due.toISOString()).toBe('2026-12-22T08:00:00.000Z');
    const fields = purgeDueFields('01JABCDEFGHJKMNPQRSTVWXYZ0', due);
    expect(fields.purgeDueAt).toBe(due.toISOString());
    expect(fields.purgeDue).toMatch(new RegExp(`^PURGE#[0-${PURGE_DUE_SHARDS - 1}]$`));
    expect(purgeDueKeys()).toEqual(['PURGE#0', 'PURGE#1', 'PURGE#2', 'PURGE#3']);
    // The day-keyed index of tables written before: a key per day and shard.
    expect(dayPurgeDueKeys('2026-12-31')).toEqual([
      'PURGE#2026-12-31#0',
      'PURGE#2026-12-31#1',
      'PURGE#2026-12-31#2',
      'PURGE#2026-12-31#3',
    ]);
    expect(nextPurgeDay('2026-12-31')).toBe('2027-01-01');
  });

  it('waits while not asked, not due, held, or already erased', () => {
    const asked = { erasureRequestedAt: now.toISOString(), erasureDueAt: '2026-12-22T08:00:00.000Z' };
    expect(erasureBlocker({}, now)).toBe('not-requested');
    expect(erasureBlocker(asked, now)).toBe('not-due');
    expect(erasureBlocker(asked, new Date('2026-12-22T08:00:00.000Z'))).toBeUndefined();
    expect(erasureBlocker({ ...asked, legalHold: { reason: 'court', by: 's', at: 'x' } }, new Date('2027-01-01'))).toBe(
      'held',
    );
    expect(erasureBlocker({ ...asked, erasedAt: 'x' }, new Date('2027-01-01'))).toBe('erased');
  });

  it('leaves a record that says the case existed and was erased, and nothing of the person', () => {
    const c = {
      id: 'c1',
      number: 'C-1',
      status: 'closed',
      outcome: 'withdrawn',
      language: 'en',
      channel: 'web',
      category: 'account',
      receivedAt: 'r',
      closedAt: 'c',
      updatedAt: 'u',
      acceptanceDeadlineAt: 'a',
      trackingSalt: 'salt',
      complainant: { name: 'Li Na', email: 'li@example.com', phone: '+86 139 0000 0001' },
      subject: { type: 'user', ref: 'uid-1', name: 'Someone' },
      description: 'private text',
      desiredOutcome: 'private wish',
      contactHistory: 'private contact',
      complainantKey: 'k',
      subjectKey: 's',
      reply: { reply: 'the reply', grounds: 'the grounds' },
      erasureRequestedAt: 'q',
      respondentEmail: 'resp@example.net',
    } as unknown as ComplaintRecord;
    const left = erasedRecord(c, 'now');
    const text = JSON.stringify(left);
    for (const gone of [
      'Li Na',
      'li@example.com',
      '139',
      'uid-1',
      'Someone',
      'private',
      'salt',
      'resp@',
      '"k"',
      '"s"',
      'the reply',
      'the grounds',
    ])
      expect(text, gone).not.toContain(gone);
    expect(left).toMatchObject({
      id: 'c1',
      number: 'C-1',
      erasedAt: 'now',
      erasureRequestedAt: 'q',
      outcome: 'withdrawn',
    });
  });

  it('forgets the number and the address with the case unless another kept case still needs them', () => {
    const phone = '+8613800138000';
    const purged = { id: 'c1', phone, complainantKey: 'k1' };
    expect(complainantItemsToForget(purged, [])).toEqual({ phone, complainantKey: 'k1' });
    // The case itself, and cases already erased, keep nothing.
    expect(
      complainantItemsToForget(purged, [
        { id: 'c1', phone, complainantKey: 'k1' },
        { id: 'c0', phone, complainantKey: 'k1', erasedAt: 'x' },
      ]),
    ).toEqual({ phone, complainantKey: 'k1' });
    // Another kept case on the same number (theirs, or entered by staff under the number alone):
    // its opt-out goes on stopping that case's texts.
    expect(complainantItemsToForget(purged, [{ id: 'c2', phone, complainantKey: 'k1' }])).toEqual({});
    expect(complainantItemsToForget(purged, [{ id: 'c3', phone, complainantKey: 'k-phone' }])).toEqual({
      complainantKey: 'k1',
    });
    // Another kept case of theirs without the number: the number goes, the address stays.
    expect(complainantItemsToForget(purged, [{ id: 'c2', complainantKey: 'k1' }])).toEqual({ phone });
    expect(complainantItemsToForget({ id: 'c1' }, [])).toEqual({});
  });

  it('forgets the addresses the case left with it, each unless another kept case still uses it', () => {
    const purged = {
      id: 'c1',
      complainantKey: 'k-now',
      formerAddresses: [
        { complainantKey: 'k-old', suppressionHash: 'h-old' },
        { complainantKey: 'k-shared', suppressionHash: 'h-shared' },
        { complainantKey: 'k-phone' },
        // Back to an address it had before: the current address's rule decides for it.
        { complainantKey: 'k-now', suppressionHash: 'h-now' },
      ],
    };
    expect(
      complainantItemsToForget(purged, [
        { id: 'c2', complainantKey: 'k-shared' },
        { id: 'c3', complainantKey: 'k-old', erasedAt: 'x' },
      ]),
    ).toEqual({
      complainantKey: 'k-now',
      formerAddresses: [{ complainantKey: 'k-old', suppressionHash: 'h-old' }, { complainantKey: 'k-phone' }],
    });
    // Another kept case on the current address keeps it; the former ones still go.
    expect(complainantItemsToForget(purged, [{ id: 'c2', complainantKey: 'k-now' }])).toMatchObject({
      formerAddresses: [
        { complainantKey: 'k-old', suppressionHash: 'h-old' },
        { complainantKey: 'k-shared', suppressionHash: 'h-shared' },
        { complainantKey: 'k-phone' },
      ],
    });
    expect(complainantItemsToForget(purged, [{ id: 'c2', complainantKey: 'k-now' }])).not.toHaveProperty(
      'complainantKey',
    );
  });

  it('records each address a case leaves once, up to a bound per case', () => {
    const a = { complainantKey: 'ka', suppressionHash: 'ha' };
    const b = { complainantKey: 'kb' };
    expect(formerAddressesAfter(undefined, a)).toEqual([a]);
    expect(formerAddressesAfter([a], b)).toEqual([a, b]);
    // Back and forth between two addresses: still two entries.
    expect(formerAddressesAfter([a, b], a)).toEqual([a, b]);
    const full = Array.from({ length: MAX_FORMER_ADDRESSES }, (_, i) => ({ complainantKey: `k${i}` }));
    expect(formerAddressesAfter(full, { complainantKey: 'k-new' })).toBeUndefined();
    expect(formerAddressesAfter(full, { complainantKey: 'k0' })).toEqual(full);
  });
});
