import { describe, expect, it } from 'vitest';
import { defang } from '../../functions/domain/defang';

describe('third-party text as staff read it (defang)', () => {
  it('turns every URL into text with its host visible', () => {
    expect(defang('https://redress-desk-login.evil.example/staff/sign-in/abc')).toBe(
      'hxxps://redress-desk-login[.]evil[.]example/staff/sign-in/abc',
    );
    expect(defang('see HTTP://Evil.Example:8080/x?y=1.2 now')).toBe('see HxxP://Evil[.]Example:8080/x?y=1.2 now');
    expect(defang('https://desk.example.org@evil.example/login')).toBe(
      'hxxps://desk[.]example[.]org@evil[.]example/login',
    );
    expect(defang('ftp://files.evil.example/a')).toBe('ftp[:]//files[.]evil[.]example/a');
    expect(defang('two: http://a.example and https://b.example.')).toBe(
      'two: hxxp://a[.]example and hxxps://b[.]example[.]',
    );
  });

  it('also breaks hosts that mail clients link without a scheme', () => {
    expect(defang('go to www.evil.example today')).toBe('go to www[.]evil[.]example today');
    expect(defang('open evil.example/reset or evil.example:443/x')).toBe(
      'open evil[.]example/reset or evil[.]example:443/x',
    );
    expect(defang('全角 www．evil．example')).toBe('全角 www[.]evil[.]example');
  });

  it('leaves ordinary text alone: sentences, decimals, times, addresses without a path', () => {
    for (const text of [
      '我的账号在11月20日 21:05 被盗，损失 2000.50 元。',
      'Version 1.2.3 broke it. Then it worked.',
      'Write to li.na@example.com please',
      '',
    ])
      expect(defang(text)).toBe(text);
  });
});
