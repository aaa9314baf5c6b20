import { describe, expect, it } from 'vitest';
import { newComplaintRecord, validateComplaintIntake } from '../../functions/domain/complaint';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { fixtures } from '../support/fixtures';

const valid = () => structuredClone(fixtures[0]!.body);

describe('validateComplaintIntake', () => {
  it('accepts every fixture complaint', () => {
    for (const fixture of fixtures) {
      const result = validateComplaintIntake(fixture.body, DEFAULT_DESK_CONFIG);
      expect(result.ok, `${fixture.name}: ${JSON.stringify(!result.ok && result.errors)}`).toBe(true);
    }
  });

  it('names each bad field once, with a path a form can mark', () => {
    const body = {
      ...valid(),
      channel: 'fax',
      extra: 1,
      complainant: { name: '', email: 'x@', language: 'en' },
      subject: { type: 'post', ref: 'javascript:alert(1)' },
    };
    const result = validateComplaintIntake(body, DEFAULT_DESK_CONFIG);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.language).toBe('en');
    expect(Object.fromEntries(result.errors.map((e) => [e.path, e.message]))).toEqual({
      channel: 'must be one of: web, api',
      extra: 'unknown field; remove it',
      'complainant.name': 'must not be empty',
      'complainant.email': 'is not a valid email address',
    });
  });

  it('refuses a non-http link to a post once the shape is right', () => {
    const result = validateComplaintIntake(
      { ...valid(), subject: { type: 'post', ref: 'javascript:alert(1)' } },
      DEFAULT_DESK_CONFIG,
    );
    expect(!result.ok && result.errors).toEqual([
      { path: 'subject.ref', message: '链接必须是以 http:// 或 https:// 开头的有效网址' },
    ]);
  });

  it('says what is missing, in Chinese by default', () => {
    const result = validateComplaintIntake({}, DEFAULT_DESK_CONFIG);
    expect(!result.ok && result.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'channel: 必填，可选：web、api',
      'complainant: 必填',
      'category: 必填',
      'subject: 必填',
      'description: 必填',
    ]);
  });

  it('limits the length of the description', () => {
    const result = validateComplaintIntake({ ...valid(), description: 'x'.repeat(5001) }, DEFAULT_DESK_CONFIG);
    expect(!result.ok && result.errors).toEqual([{ path: 'description', message: '最多 5000 个字符' }]);
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, [], 'text', 42]) {
      const result = validateComplaintIntake(body, DEFAULT_DESK_CONFIG);
      expect(!result.ok && result.errors[0]!.path).toBe('(body)');
    }
  });

  it('refuses a category the desk does not have', () => {
    const result = validateComplaintIntake({ ...valid(), category: 'weather' }, DEFAULT_DESK_CONFIG);
    expect(!result.ok && result.errors[0]!.path).toBe('category');
  });
});

describe('newComplaintRecord', () => {
  it('starts received, with the acceptance deadline 24 h after receipt, shrunk by the clock scale', () => {
    const now = new Date('2026-11-21T10:00:00Z');
    const result = validateComplaintIntake(valid(), DEFAULT_DESK_CONFIG);
    if (!result.ok) throw new Error('fixture invalid');
    const base = {
      intake: result.intake,
      language: result.language,
      id: 'X',
      number: 'TS-20261121-AAAAAA',
      trackingSalt: 's',
      workflowPendingShard: 'PENDING#1',
      now,
      config: DEFAULT_DESK_CONFIG,
    };
    expect(newComplaintRecord({ ...base, clockScale: 1 })).toMatchObject({
      status: 'received',
      receivedAt: now.toISOString(),
      acceptanceDeadlineAt: '2026-11-22T10:00:00.000Z',
      workflowPending: 'PENDING#1',
    });
    expect(newComplaintRecord({ ...base, clockScale: 3600 }).acceptanceDeadlineAt).toBe('2026-11-21T10:00:24.000Z');
  });
});
