import { describe, expect, it } from 'vitest';
import { channelsFor } from '../../functions/domain/notice';

describe('the channels a notice goes by', () => {
  const both = ['email', 'sms'] as const;
  it('goes every way the person gave when they named no preference, email first', () => {
    expect(channelsFor({ email: 'a@example.com', phone: '+8613800138000' }, both)).toEqual(['email', 'sms']);
    expect(channelsFor({ email: 'a@example.com' }, both)).toEqual(['email']);
    expect(channelsFor({ phone: '+8613800138000' }, both)).toEqual(['sms']);
  });
  it('follows the preference among the ways given', () => {
    const to = { email: 'a@example.com', phone: '+8613800138000' };
    expect(channelsFor({ ...to, prefer: 'sms' }, both)).toEqual(['sms']);
    expect(channelsFor({ ...to, prefer: 'email' }, both)).toEqual(['email']);
    expect(channelsFor({ ...to, prefer: 'both' }, both)).toEqual(['email', 'sms']);
  });
  it('falls back to a way that can say the notice rather than telling nothing', () => {
    expect(channelsFor({ email: 'a@example.com', phone: '+8613800138000', prefer: 'sms' }, ['email'])).toEqual([
      'email',
    ]);
    expect(channelsFor({ email: 'a@example.com', prefer: 'sms' }, both)).toEqual(['email']);
    expect(channelsFor({ phone: '+8613800138000' }, ['email'])).toEqual([]);
  });
});
