import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG, parseDeskConfig } from '../../functions/domain/config';
import { escalationLevelName, teamName } from '../../functions/domain/desk';
import type { ComplaintEvent } from '../../functions/domain/history';
import { staffMember } from '../../functions/domain/staff';
import { complaintDetails, staffHistory } from '../../functions/pages/complaint-view';
import { ownEvidenceList } from '../../functions/pages/self-service';
import { newComplaintPage, queuePageHtml } from '../../functions/pages/staff-pages';

const desk = DEFAULT_DESK_CONFIG;
const handler = staffMember(desk, desk.teams.trust!.handlers[0]!)!;
const queue = (language: 'en' | 'zh-CN') =>
  queuePageHtml({
    member: handler,
    queue: {
      items: [
        {
          id: 'c1',
          number: 'TS-20261201-AAAAAA',
          category: 'content',
          team: 'trust',
          status: 'acceptance-review',
          step: 'acceptance',
          level: 2,
          assignee: 'desk.manager@example.org',
          deadlineAt: '2026-12-01T00:00:00.000Z',
          deadlineState: 'late',
          flagged: false,
        },
      ],
    },
    filters: { limit: 25 },
    language,
    nonce: 'n',
    config: desk,
  });

describe('the desk’s wording', () => {
  it('says whom a case waits on in staff words, not the complainant’s', () => {
    const page = queue('en');
    expect(page).toContain('Waiting on the complainant');
    expect(page).not.toContain('from you');
    expect(page).toContain('Late since');
    expect(page).toContain('Escalated to the manager');
  });

  it('names teams and escalation levels in both languages, from the config with defaults', () => {
    expect(teamName(desk, 'trust', 'en')).toBe('Trust & safety');
    expect(teamName(desk, 'trust', 'zh-CN')).toBe('信任与安全');
    expect(queue('en')).toContain('>Trust &amp; safety</option>');
    const bare = parseDeskConfig({
      teams: { t: { handlers: ['h@x.org'], supervisor: 's@x.org', manager: 'm@x.org' } },
      categories: [{ id: 'other', name: { 'zh-CN': '其他', en: 'Other' }, team: 't' }],
      serviceLevels: desk.serviceLevels,
      inbound: { defaultCategory: 'other' },
    });
    expect(teamName(bare, 't', 'en')).toBe('t');
    expect(escalationLevelName(bare, 1, 'zh-CN')).toBe('已上报主管');
    expect(escalationLevelName(bare, 7, 'en')).toMatch(/^Breached/);
  });

  it('says in the history who decided and why in words, with the language’s colon', () => {
    const events: ComplaintEvent[] = [
      {
        at: '2026-12-01T00:00:00.000Z',
        actor: 'complainant',
        action: 'decision.recorded',
        details: { step: 'evidence', decision: 'evidence-received', decidedBy: 'complainant' },
      },
      {
        at: '2026-12-01T01:00:00.000Z',
        actor: 'system',
        action: 'task.reissued',
        details: { step: 'acceptance', assignee: 'h@x.org', reason: 'reminder' },
      },
    ] as ComplaintEvent[];
    const zh = staffHistory(events, 'zh-CN', desk.timeZone).value;
    expect(zh).not.toMatch(/决定人.{0,2}complainant/);
    expect(zh).toContain('决定人：投诉人');
    expect(zh).toContain('理由：投诉人催办');
    const en = staffHistory(events, 'en', desk.timeZone).value;
    expect(en).toContain('Decided by: Complainant');
    expect(en).toContain('Reason: The complainant sent a reminder');
    expect(en).not.toContain('：');
  });

  it('uses ASCII colons on English pages and channel names on the hotline form', () => {
    const details = complaintDetails(
      {
        id: 'c1',
        number: 'N',
        category: 'content',
        channel: 'hotline',
        status: 'investigation',
        subject: { type: 'post', name: 'A post' },
        description: 'd',
        complainant: { name: 'A', email: 'a@example.com', language: 'en' },
        receivedAt: '2026-12-01T00:00:00.000Z',
      } as any,
      'en',
      desk,
      true,
    ).value;
    expect(details).not.toContain('：');
    const form = newComplaintPage({ member: handler, language: 'en', nonce: 'n', config: desk });
    expect(form).toContain('>Hotline</option>');
    expect(form).not.toContain('>hotline</option>');
    expect(form).not.toContain('：');
  });

  it('never says a file is uploaded while saying no evidence is uploaded', () => {
    expect(ownEvidenceList([], 'en', desk.timeZone).value).not.toMatch(/uploaded/i);
  });

  it('says a search found no match, rather than that there is nothing to do', () => {
    const page = (filters: Parameters<typeof queuePageHtml>[0]['filters'], language: 'en' | 'zh-CN' = 'en') =>
      queuePageHtml({ member: handler, queue: { items: [] }, filters, language, nonce: 'n', config: desk });
    expect(page({ q: '49N5JM', limit: 25 })).toContain('No complaint matches “49N5JM”');
    expect(page({ q: '49N5JM', limit: 25 })).not.toContain('Nothing to do');
    expect(page({ q: '49N5JM', limit: 25 }, 'zh-CN')).toContain('没有与“49N5JM”匹配的投诉');
    expect(page({ status: 'closed', limit: 25 })).toContain('No open task matches these filters');
    expect(page({ limit: 25 })).toContain('Nothing to do');
  });
});
