import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG, parseDeskConfig } from '../../functions/domain/config';
import {
  automatedMailReason,
  caseNumberIn,
  cleanSubject,
  evidenceNameOf,
  intakeFromMail,
  landingProblem,
  parseReplyAddress,
  replyLocalPart,
  stripQuotedHistory,
  verdictProblem,
} from '../../functions/domain/inbound-mail';

const base = {
  envelopeSender: 'li.na@example.com',
  from: 'li.na@example.com',
  headers: {},
  ownAddresses: ['complaints@example.org', 'complaints@in.example.org'],
  inboundDomain: 'in.example.org',
};

describe('email in rules', () => {
  it('has defaults: off in the cloud, category other, 25 MB, a per-sender hourly limit', () => {
    expect(DEFAULT_DESK_CONFIG.inbound).toEqual({
      enabled: false,
      address: 'complaints@in.example.org',
      defaultCategory: 'other',
      maxBytes: 25 * 1024 * 1024,
      perSenderPerHour: 20,
      unlandedRetentionDays: 30,
    });
    expect(() => parseDeskConfig({ ...DEFAULT_DESK_CONFIG, inbound: { perSenderPerHour: 0 } })).toThrow(
      /inbound\.perSenderPerHour/,
    );
  });

  it('refuses auto-replies, bulk mail, bounces and its own messages', () => {
    expect(automatedMailReason(base)).toBeUndefined();
    expect(automatedMailReason({ ...base, headers: { 'auto-submitted': 'no' } })).toBeUndefined();
    expect(automatedMailReason({ ...base, headers: { 'auto-submitted': 'auto-replied' } })).toBe('auto-submitted');
    expect(automatedMailReason({ ...base, headers: { 'auto-submitted': 'Auto-Generated; owner-email="x@y"' } })).toBe(
      'auto-submitted',
    );
    expect(automatedMailReason({ ...base, headers: { 'x-autoreply': 'yes' } })).toBe('auto-submitted');
    for (const precedence of ['bulk', 'junk', 'list', 'Bulk'])
      expect(automatedMailReason({ ...base, headers: { precedence } })).toBe('bulk');
    expect(automatedMailReason({ ...base, envelopeSender: '' })).toBe('null-sender');
    expect(automatedMailReason({ ...base, envelopeSender: '<>' })).toBe('null-sender');
    expect(automatedMailReason({ ...base, from: 'MAILER-DAEMON@example.com' })).toBe('mailer-daemon');
    expect(automatedMailReason({ ...base, from: 'complaints@example.org' })).toBe('own-message');
    expect(automatedMailReason({ ...base, from: 'reply+abc.def@in.example.org' })).toBe('own-message');
    expect(automatedMailReason({ ...base, from: undefined })).toBe('no-sender');
  });

  it('honours SES verdicts: virus, spam, a forged From (DMARC)', () => {
    expect(verdictProblem({ spam: 'PASS', virus: 'PASS', dmarc: 'PASS' })).toBeUndefined();
    expect(verdictProblem({ spam: 'GRAY', virus: 'GRAY' })).toBeUndefined();
    expect(verdictProblem({ virus: 'FAIL' })).toBe('virus');
    expect(verdictProblem({ spam: 'FAIL' })).toBe('spam');
    expect(verdictProblem({ dmarc: 'FAIL' })).toBe('spoofed');
  });

  it('lands mail on a case only with SPF or DKIM PASS, no DMARC FAIL, and both scans PASS (GRAY and PROCESSING_FAILED prove nothing)', () => {
    const clean = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };
    expect(landingProblem(clean)).toBeUndefined();
    expect(landingProblem({ ...clean, spf: 'FAIL' })).toBeUndefined();
    expect(landingProblem({ ...clean, dkim: 'FAIL' })).toBeUndefined();
    expect(landingProblem({ ...clean, dmarc: 'GRAY' })).toBeUndefined();
    expect(landingProblem({ ...clean, spf: 'FAIL', dkim: 'FAIL' })).toBe('unauthenticated');
    expect(landingProblem({ ...clean, spf: 'GRAY', dkim: 'PROCESSING_FAILED' })).toBe('unauthenticated');
    expect(landingProblem({ spam: 'PASS', virus: 'PASS', dmarc: 'PASS' })).toBe('unauthenticated');
    expect(landingProblem({ ...clean, dmarc: 'FAIL' })).toBe('spoofed');
    expect(landingProblem({ ...clean, spam: 'GRAY' })).toBe('spam');
    expect(landingProblem({ ...clean, spam: 'PROCESSING_FAILED' })).toBe('spam');
    expect(landingProblem({ ...clean, virus: 'GRAY' })).toBe('virus');
    expect(landingProblem({ ...clean, virus: undefined })).toBe('virus');
    expect(landingProblem({ ...clean, spf: 'pass', dkim: undefined })).toBeUndefined();
  });

  it('takes reply addresses apart only at the inbound domain and in their exact shape', () => {
    const id = '01M80ABCDEFGHJKMNPQRSTVWXY';
    const address = `${replyLocalPart(id, 'a'.repeat(24))}@in.example.org`;
    expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(parseReplyAddress(address, 'in.example.org')).toEqual({ complaintId: id, mac: 'a'.repeat(24) });
    expect(parseReplyAddress(address.toUpperCase(), 'in.example.org')).toEqual({
      complaintId: id,
      mac: 'a'.repeat(24),
    });
    expect(parseReplyAddress(address, 'other.example.org')).toBeUndefined();
    expect(parseReplyAddress(`reply+${id.toLowerCase()}@in.example.org`, 'in.example.org')).toBeUndefined();
    expect(parseReplyAddress(`reply+${id.toLowerCase()}.zz@in.example.org`, 'in.example.org')).toBeUndefined();
    expect(parseReplyAddress('complaints@in.example.org', 'in.example.org')).toBeUndefined();
  });

  it('finds the case number in a subject', () => {
    expect(caseNumberIn('Re: [TS-20261122-7KQ4XM] We have received your complaint')).toBe('TS-20261122-7KQ4XM');
    expect(caseNumberIn('回复：[ts-20261122-7kq4xm] 我们已收到您的投诉')).toBe('TS-20261122-7KQ4XM');
    expect(caseNumberIn('TS-20261122-7KQ4XM without brackets')).toBeUndefined();
    expect(cleanSubject('Re: Fwd: 回复：账号被盗')).toBe('账号被盗');
  });

  it('strips quoted history: “>” lines, “On … wrote:”, “在 … 写道：”, an Original Message separator', () => {
    expect(
      stripQuotedHistory('New detail.\n\nOn Mon, 23 Nov 2026 at 10:00, Redress <x@y> wrote:\n> old\n> older'),
    ).toBe('New detail.');
    expect(stripQuotedHistory('New detail.\nOn Mon, 23 Nov 2026 at 10:00, Redress\n<x@y> wrote:\n> old')).toBe(
      'New detail.',
    );
    expect(stripQuotedHistory('补充说明。\n\n在 2026年11月23日 10:00，Redress 写道：\n> 旧内容')).toBe('补充说明。');
    expect(stripQuotedHistory('Answer\n> quoted inline\nmore answer')).toBe('Answer\nmore answer');
    expect(stripQuotedHistory('Answer\n\n-----Original Message-----\nFrom: Redress')).toBe('Answer');
  });

  it('makes an intake body from a mail: From as complainant, subject and text as description, the default category', () => {
    const body = intakeFromMail({
      fromAddress: 'wang@example.com',
      fromName: '王芳',
      subject: 'Re: 账号被盗',
      text: '账号在异地登录。\r\n\r\n\r\n请冻结。',
      defaultCategory: 'other',
    });
    expect(body).toEqual({
      channel: 'email',
      complainant: { name: '王芳', email: 'wang@example.com', language: 'zh-CN' },
      category: 'other',
      subject: { type: 'other', name: '账号被盗' },
      description: '账号被盗\n\n账号在异地登录。\n\n请冻结。',
    });
    const english = intakeFromMail({
      fromAddress: 'sam@example.com',
      subject: '',
      text: 'x'.repeat(6000),
      defaultCategory: 'other',
    }) as any;
    expect(english.complainant).toEqual({ name: 'sam', email: 'sam@example.com', language: 'en' });
    expect(english.description.length).toBe(5000);
    expect(english.subject).toEqual({ type: 'other' });
  });

  it('names attachments safely', () => {
    expect(evidenceNameOf('../../etc/passwd', 0)).toBe('passwd');
    expect(evidenceNameOf('C:\\Users\\a\\截图.png', 0)).toBe('截图.png');
    expect(evidenceNameOf(undefined, 2)).toBe('attachment-3');
    expect(evidenceNameOf('a\u0000b.txt', 0)).toBe('ab.txt');
  });
});
