import { describe, expect, it } from 'vitest';
import { hourBefore, isLogHour } from '../../functions/domain/webhook-log';

/** The webhook delivery log is read by clock hour (UTC): which hours are valid, and the one before. */
describe('the delivery log’s hours', () => {
  it('takes a real UTC clock hour written as 2026-12-07T13, nothing else', () => {
    expect(isLogHour('2026-12-07T13')).toBe(true);
    expect(isLogHour('2026-12-07T00')).toBe(true);
    for (const bad of ['yesterday', '2026-12-07', '2026-12-07T24', '2026-02-30T10', '2026-12-07T13:00', ''])
      expect(isLogHour(bad), bad).toBe(false);
  });

  it('steps back an hour across a day and a year', () => {
    expect(hourBefore('2026-12-07T13')).toBe('2026-12-07T12');
    expect(hourBefore('2026-12-07T00')).toBe('2026-12-06T23');
    expect(hourBefore('2027-01-01T00')).toBe('2026-12-31T23');
  });
});
