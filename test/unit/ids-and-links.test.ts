import { describe, expect, it } from 'vitest';
import {
  COMPLAINT_ID_PATTERN,
  COMPLAINT_NUMBER_PATTERN,
  hashSecret,
  newComplaintId,
  newComplaintNumber,
  newLinkId,
  randomCrockford,
} from '../../functions/domain/ids';

describe('complaint numbers', () => {
  it('read as TS-<date in the desk time zone>-<6 characters>', () => {
    const number = newComplaintNumber(new Date('2026-11-21T17:30:00Z'), 'Asia/Shanghai');
    expect(number).toMatch(COMPLAINT_NUMBER_PATTERN);
    expect(number.slice(0, 12)).toBe('TS-20261122-');
  });

  it('avoid letters that are misheard on the phone', () => {
    expect(randomCrockford(2000)).not.toMatch(/[ILOU]/);
  });
});

describe('complaint ids', () => {
  it('sort by time and are valid execution names', () => {
    const a = newComplaintId(new Date('2026-01-01T00:00:00Z'));
    const b = newComplaintId(new Date('2026-01-01T00:00:01Z'));
    expect(a < b).toBe(true);
    expect(a).toMatch(COMPLAINT_ID_PATTERN);
    expect(a).toMatch(/^[0-9A-Za-z_-]{1,80}$/);
  });
});

describe('link secrets', () => {
  it('carry at least 128 random bits and are stored only as a hash', () => {
    const id = newLinkId();
    expect(Buffer.from(id, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(hashSecret(id)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret(id)).not.toContain(id);
  });
});
