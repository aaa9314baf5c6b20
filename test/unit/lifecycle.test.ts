import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG, parseDeskConfig } from '../../functions/domain/config';
import { serviceLevelsFor } from '../../functions/domain/desk';
import { complainantHistory } from '../../functions/domain/history';
import { languageFromAcceptHeader } from '../../functions/domain/language';
import type { ComplaintRecord } from '../../functions/domain/complaint';
import { applyDecision } from '../../functions/domain/decisions';
import { escalationAt, escalationChain, reviewerFor } from '../../functions/domain/escalation';
import { parseStepDecision, stageAfter, stageAfterLapse } from '../../functions/domain/steps';
import { deadlineAfter, secondsUntil } from '../../functions/domain/deadlines';
import { handlerFor } from '../../functions/domain/assignment';
import { escapeHtml, html } from '../../functions/pages/layout';

describe('step decisions', () => {
  it('accept needs nothing more; reject needs one of the refusal reasons; request-info a question', () => {
    expect(parseStepDecision('acceptance', { decision: 'accept' }, 'en')).toEqual({
      ok: true,
      decision: { step: 'acceptance', decision: 'accept' },
    });
    expect(parseStepDecision('acceptance', { decision: 'reject', reason: 'malicious' }, 'en')).toMatchObject({
      ok: true,
      decision: { decision: 'reject', reason: 'malicious' },
    });
    expect(parseStepDecision('acceptance', { decision: 'reject' }, 'en')).toMatchObject({
      ok: false,
      errors: [{ path: 'reason' }],
    });
    expect(parseStepDecision('acceptance', { decision: 'request-info' }, 'zh-CN')).toEqual({
      ok: false,
      errors: [{ path: 'question', message: '必填' }],
    });
    expect(parseStepDecision('acceptance', { decision: 'maybe' }, 'zh-CN')).toMatchObject({
      ok: false,
      errors: [{ path: 'decision' }],
    });
  });

  it('reads findings with any of the investigation actions, repeated or comma-separated', () => {
    const parsed = parseStepDecision(
      'investigation',
      { decision: 'record-findings', findings: '属实', actions: ['remove-content-and-warn', 'other,privacy-measures'] },
      'en',
    );
    expect(parsed).toEqual({
      ok: true,
      decision: {
        step: 'investigation',
        decision: 'record-findings',
        findings: '属实',
        actions: ['remove-content-and-warn', 'other', 'privacy-measures'],
      },
    });
    expect(
      parseStepDecision('investigation', { decision: 'record-findings', findings: 'x', actions: 'ban-forever' }, 'en'),
    ).toMatchObject({ ok: false, errors: [{ path: 'actions' }] });
    expect(
      parseStepDecision(
        'investigation',
        { decision: 'request-statement', respondentEmail: 'nope', question: 'why?' },
        'en',
      ),
    ).toMatchObject({ ok: false, errors: [{ path: 'respondentEmail' }] });
  });

  it('takes a rating from 1 to 5 and nothing else', () => {
    expect(parseStepDecision('survey', { rating: '5', comment: '谢谢' }, 'zh-CN')).toEqual({
      ok: true,
      decision: { step: 'survey', decision: 'rate', rating: 5, comment: '谢谢' },
    });
    for (const rating of ['0', '6', '3.5', '', 'five'])
      expect(parseStepDecision('survey', { rating }, 'en')).toMatchObject({ ok: false, errors: [{ path: 'rating' }] });
  });

  it('needs a new reply to overturn on review', () => {
    expect(parseStepDecision('review', { decision: 'overturn', reason: '事实认定有误' }, 'zh-CN')).toMatchObject({
      ok: false,
      errors: [{ path: 'reply' }],
    });
    expect(parseStepDecision('review', { decision: 'uphold', reason: '维持' }, 'zh-CN')).toMatchObject({ ok: true });
  });

  it('route the case: accept → investigation, reject → closed, findings → reply, survey → closed or review', () => {
    expect(stageAfter({ step: 'acceptance', decision: 'accept' })).toEqual({ next: 'investigation' });
    expect(stageAfter({ step: 'acceptance', decision: 'reject', reason: 'duplicate' })).toEqual({
      next: 'closed',
      outcome: 'rejected',
    });
    expect(stageAfter({ step: 'acceptance', decision: 'request-info', question: '?' })).toEqual({
      next: 'information',
    });
    expect(
      stageAfter({ step: 'investigation', decision: 'request-statement', respondentEmail: 'r@x.org', question: '?' }),
    ).toEqual({ next: 'statement' });
    expect(stageAfter({ step: 'statement', decision: 'submit-statement', statement: 's' })).toEqual({
      next: 'investigation',
    });
    expect(stageAfter({ step: 'survey', decision: 'request-review', reason: 'r' })).toEqual({ next: 'review' });
    expect(stageAfter({ step: 'review', decision: 'uphold', reason: 'r' })).toEqual({
      next: 'closed',
      outcome: 'resolved',
    });
    expect(stageAfterLapse('statement')).toEqual({ next: 'investigation' });
    expect(stageAfterLapse('survey')).toEqual({ next: 'closed', outcome: 'resolved' });
    expect(stageAfterLapse('information')).toEqual({ next: 'closed', outcome: 'abandoned' });
  });
});

describe('escalation', () => {
  const team = { handlers: ['h@x.org'], supervisor: 's@x.org', manager: 'm@x.org', language: 'zh-CN' as const };
  it('goes handler → supervisor → manager → breached to the last resort, who is then reminded, never left unheld', () => {
    const chain = escalationChain('h@x.org', team);
    const levels = DEFAULT_DESK_CONFIG.serviceLevels;
    expect([0, 1, 2, 3, 4, 5].map((level) => escalationAt(level, chain, levels))).toEqual([
      { level: 0, assignee: 'h@x.org', breached: false, waitSeconds: levels.escalationGraceSeconds },
      { level: 1, assignee: 's@x.org', breached: false, waitSeconds: levels.escalationGraceSeconds },
      { level: 2, assignee: 'm@x.org', breached: false, waitSeconds: levels.escalationGraceSeconds },
      { level: 3, assignee: 'm@x.org', breached: true, waitSeconds: levels.breachedWaitSeconds },
      { level: 4, assignee: 'm@x.org', breached: true, waitSeconds: levels.overdueReminderSeconds },
      { level: 5, assignee: 'm@x.org', breached: true, waitSeconds: levels.overdueReminderSeconds },
    ]);
    expect(escalationAt(3, chain, levels, 'owner@x.org')).toMatchObject({ assignee: 'owner@x.org', breached: true });
  });

  it('counts the acceptance review from when the evidence arrived, not from receipt', () => {
    const levels = DEFAULT_DESK_CONFIG.serviceLevels;
    const complaint = { id: 'c1', acceptanceDeadlineAt: '2026-11-21T00:00:00.000Z' } as ComplaintRecord;
    const effect = applyDecision(
      complaint,
      {
        step: 'evidence',
        decision: 'evidence-received',
        decidedBy: 'complainant',
        decidedAt: '2026-11-26T00:00:00.000Z',
      },
      { team, levels, clockScale: 1, at: '2026-11-26T00:00:01.000Z' },
    );
    expect(effect.changes.acceptanceDeadlineAt).toBe('2026-11-27T00:00:01.000Z');
  });

  it('skips people already in the chain, so a review goes straight to the manager', () => {
    expect(escalationChain('s@x.org', team)).toEqual(['s@x.org', 'm@x.org']);
  });

  it('gives the review to a supervisor who did not decide the case', () => {
    expect(reviewerFor(team, ['h@x.org'])).toBe('s@x.org');
    expect(reviewerFor(team, ['h@x.org', 's@x.org'])).toBe('m@x.org');
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
        {
          at: 't3',
          actor: 'system',
          action: 'task.assigned',
          details: { step: 'acceptance', level: 0, assignee: 'h@example.org', role: 'handler' },
        },
        {
          at: 't4',
          actor: 'handler',
          action: 'decision.recorded',
          details: { note: 'internal', complainantNote: { 'zh-CN': '理由', en: 'Reason' } },
        },
      ],
      'en',
    );
    expect(entries).toEqual([
      { at: 't1', action: 'complaint.received', label: 'Complaint filed' },
      { at: 't3', action: 'task.assigned', label: 'Acceptance review: assigned to a handler' },
      { at: 't4', action: 'decision.recorded', label: 'Decision made', detail: 'Reason' },
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/internal|h@example/);
  });
});

describe('a step handed on, as the complainant reads it', () => {
  const assigned = (step: string, level = 0) => ({
    at: 't',
    actor: 'system',
    action: 'task.assigned' as const,
    details: { step, level, assignee: 'someone@example.org' },
  });
  it('says what is asked of them when the step is their own, and never calls it a handler', () => {
    const labels = complainantHistory([assigned('evidence'), assigned('survey')], 'zh-CN').map((e) => e.label);
    expect(labels).toEqual(['请您上传证据', '请您评价处理结果']);
  });
  it('leaves out the other party’s statement, information requests (they have their own line) and escalations', () => {
    expect(
      complainantHistory([assigned('statement'), assigned('information'), assigned('acceptance', 1)], 'en'),
    ).toEqual([]);
  });
});

describe('desk configuration', () => {
  it('has the seven seed categories, each with a team', () => {
    expect(DEFAULT_DESK_CONFIG.categories.map((c) => c.id)).toEqual([
      'content',
      'account',
      'privacy',
      'service-outage',
      'performance',
      'data-loss',
      'other',
    ]);
  });

  it('refuses retention under a year, unknown teams and duplicate categories, naming each', () => {
    const bad = structuredClone(DEFAULT_DESK_CONFIG) as any;
    bad.retentionDays = 30;
    bad.categories.push({ ...bad.categories[0], team: 'nobody' });
    expect(() => parseDeskConfig(bad)).toThrow(
      /retentionDays: records are kept at least 365 days[\s\S]*categories\.7\.id: duplicate category id "content"[\s\S]*categories\.7\.team: no team named "nobody"/,
    );
  });

  it('spreads acceptance over the team’s handlers, stably per complaint', () => {
    const team = {
      handlers: ['a@x.org', 'b@x.org', 'c@x.org'],
      supervisor: 's@x.org',
      manager: 'm@x.org',
      language: 'zh-CN' as const,
    };
    const ids = Array.from({ length: 60 }, (_, i) => `01M80AJZCYZ8FCH3TCHF65Z${String(i).padStart(3, '0')}`);
    const chosen = new Set(ids.map((id) => handlerFor(team, id)));
    expect(chosen.size).toBe(3);
    expect(handlerFor(team, ids[0]!)).toBe(handlerFor(team, ids[0]!));
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

describe('service levels by category and priority', () => {
  it('override only what they set: the most specific wins, and nothing else changes', () => {
    const config = parseDeskConfig({
      ...structuredClone(DEFAULT_DESK_CONFIG),
      categories: DEFAULT_DESK_CONFIG.categories.map((c) =>
        c.id === 'privacy' ? { ...c, serviceLevels: { investigationSeconds: 86400 } } : c,
      ),
      priorityServiceLevels: { '2': { acceptanceSeconds: 6 * 3600 } },
    });
    const desk = config.serviceLevels;
    expect(serviceLevelsFor(config, 'privacy', 2)).toEqual({
      ...desk,
      investigationSeconds: 86400,
      acceptanceSeconds: 6 * 3600,
    });
    expect(serviceLevelsFor(config, 'privacy')).toEqual({ ...desk, investigationSeconds: 86400 });
    expect(serviceLevelsFor(config, 'account', 4)).toEqual(desk);
  });

  it('review privacy complaints within 12 h by default (privacy & security first)', () => {
    expect(serviceLevelsFor(DEFAULT_DESK_CONFIG, 'privacy', 2).acceptanceSeconds).toBe(12 * 3600);
    expect(serviceLevelsFor(DEFAULT_DESK_CONFIG, 'account', 4).acceptanceSeconds).toBe(24 * 3600);
  });
});
