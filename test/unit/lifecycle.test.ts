import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG, parseDeskConfig } from '../../functions/domain/config';
import { complainantHistory } from '../../functions/domain/history';
import { languageFromAcceptHeader } from '../../functions/domain/language';
import { parseStepDecision, statusAfterDecision } from '../../functions/domain/lifecycle';
import { deadlineAfter, secondsUntil } from '../../functions/domain/service-levels';
import { assigneeFor } from '../../functions/domain/assignment';
import { escapeHtml, html } from '../../functions/pages/layout';

describe('acceptance decisions', () => {
  it('accept needs nothing more; reject needs one of the seed 003 reasons', () => {
    expect(parseStepDecision('acceptance', { decision: 'accept' }, 'en')).toEqual({ ok: true, decision: { decision: 'accept', note: undefined } });
    expect(parseStepDecision('acceptance', { decision: 'reject', reason: 'malicious' }, 'en')).toMatchObject({ ok: true, decision: { decision: 'reject', reason: 'malicious' } });
    expect(parseStepDecision('acceptance', { decision: 'reject' }, 'en')).toMatchObject({ ok: false, errors: [{ path: 'reason' }] });
    expect(parseStepDecision('acceptance', { decision: 'maybe' }, 'zh-CN')).toMatchObject({ ok: false, errors: [{ path: 'decision' }] });
  });

  it('lead to accepted or rejected', () => {
    expect(statusAfterDecision({ decision: 'accept' })).toBe('accepted');
    expect(statusAfterDecision({ decision: 'reject', reason: 'duplicate' })).toBe('rejected');
  });
});

describe('service levels', () => {
  it('count deadlines in scaled time and never ask Step Functions for less than a second', () => {
    const start = new Date('2026-11-21T00:00:00Z');
    expect(deadlineAfter(start, 86400).toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(deadlineAfter(start, 86400, 7200).toISOString()).toBe('2026-11-21T00:00:12.000Z');
    expect(secondsUntil(new Date('2026-11-21T00:00:10.200Z'), start)).toBe(11);
    expect(secondsUntil(new Date('2026-11-20T00:00:00Z'), start)).toBe(1);
    expect(() => deadlineAfter(start, 1, 0)).toThrow(/positive/);
  });
});

describe('the complainant’s history', () => {
  it('leaves out staff-only events and details', () => {
    const entries = complainantHistory(
      [
        { at: 't1', actor: 'complainant', action: 'complaint.received' },
        { at: 't2', actor: 'system', action: 'workflow.started', details: { executionArn: 'arn' } },
        { at: 't3', actor: 'system', action: 'task.assigned', details: { assignee: 'h@example.org' } },
        { at: 't4', actor: 'handler', action: 'decision.recorded', details: { note: 'internal', complainantNote: { 'zh-CN': '理由', en: 'Reason' } } },
      ],
      'en',
    );
    expect(entries).toEqual([
      { at: 't1', action: 'complaint.received', label: 'Complaint filed' },
      { at: 't3', action: 'task.assigned', label: 'Assigned to a handler' },
      { at: 't4', action: 'decision.recorded', label: 'Decision made', detail: 'Reason' },
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/internal|h@example/);
  });
});

describe('desk configuration', () => {
  it('has the seven seed categories, each with a team', () => {
    expect(DEFAULT_DESK_CONFIG.categories.map((c) => c.id)).toEqual(['content', 'account', 'privacy', 'service-outage', 'performance', 'data-loss', 'other']);
  });

  it('refuses retention under a year, unknown teams and duplicate categories, naming each', () => {
    const bad = structuredClone(DEFAULT_DESK_CONFIG) as any;
    bad.retentionDays = 30;
    bad.categories.push({ ...bad.categories[0], team: 'nobody' });
    expect(() => parseDeskConfig(bad)).toThrow(/retentionDays: records are kept at least 365 days[\s\S]*categories\.7\.id: duplicate category id "content"[\s\S]*categories\.7\.team: no team named "nobody"/);
  });

  it('spreads acceptance over the team’s handlers, stably per complaint', () => {
    const team = { handlers: ['a@x.org', 'b@x.org', 'c@x.org'], supervisor: 's@x.org', manager: 'm@x.org', language: 'zh-CN' as const };
    const ids = Array.from({ length: 60 }, (_, i) => `01M80AJZCYZ8FCH3TCHF65Z${String(i).padStart(3, '0')}`);
    const chosen = new Set(ids.map((id) => assigneeFor('acceptance', team, id)));
    expect(chosen.size).toBe(3);
    expect(assigneeFor('acceptance', team, ids[0]!)).toBe(assigneeFor('acceptance', team, ids[0]!));
  });
});

describe('reader language', () => {
  it('follows Accept-Language, Chinese unless English is preferred', () => {
    expect(languageFromAcceptHeader('en-GB,en;q=0.9,zh;q=0.5')).toBe('en');
    expect(languageFromAcceptHeader('zh-TW,en;q=0.5')).toBe('zh-CN');
    expect(languageFromAcceptHeader('fr')).toBe('zh-CN');
    expect(languageFromAcceptHeader(undefined, 'en')).toBe('en');
  });
});

describe('pages', () => {
  it('escape whatever a complainant wrote', () => {
    expect(escapeHtml('<script>"x"&\'</script>')).toBe('&lt;script&gt;&quot;x&quot;&amp;&#39;&lt;/script&gt;');
    expect(html`<p>${'<b>'}</p>`.value).toBe('<p>&lt;b&gt;</p>');
  });
});
