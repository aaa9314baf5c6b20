import { describe, expect, it } from 'vitest';
import { assigneeFor } from '../../functions/domain/assignment';
import { DEFAULT_DESK_CONFIG, parseDeskConfig } from '../../functions/domain/config';
import {
  mayHoldTaskLink,
  deadlineState,
  intakeFromForm,
  mayActOnTask,
  mayReassign,
  maySeeCase,
  queueFiltersOf,
  queueScope,
  staffMember,
} from '../../functions/domain/staff';

const desk = parseDeskConfig({ ...DEFAULT_DESK_CONFIG, admins: ['ops.admin@example.org'] });

describe('staff identity', () => {
  it('takes the highest place an address holds, case-insensitively; others are not staff', () => {
    expect(staffMember(desk, 'Trust.Handler@example.org')).toMatchObject({
      email: 'trust.handler@example.org',
      role: 'handler',
      teams: { trust: 'handler' },
    });
    expect(staffMember(desk, 'trust.supervisor@example.org')?.role).toBe('supervisor');
    expect(staffMember(desk, 'desk.manager@example.org')).toMatchObject({
      role: 'manager',
      teams: { trust: 'manager', privacy: 'manager', operations: 'manager' },
    });
    expect(staffMember(desk, 'ops.admin@example.org')).toMatchObject({ role: 'admin', teams: {} });
    expect(staffMember(desk, 'someone@example.com')).toBeUndefined();
    expect(parseDeskConfig(DEFAULT_DESK_CONFIG).admins).toEqual([]);
  });

  it('a handler in two teams is handler of both; removing an address from the config ends its membership', () => {
    const twoTeams = parseDeskConfig({
      ...DEFAULT_DESK_CONFIG,
      teams: {
        ...DEFAULT_DESK_CONFIG.teams,
        privacy: { ...DEFAULT_DESK_CONFIG.teams.privacy!, handlers: ['trust.handler@example.org'] },
      },
    });
    expect(staffMember(twoTeams, 'trust.handler@example.org')?.teams).toEqual({ trust: 'handler', privacy: 'handler' });
    expect(staffMember(twoTeams, 'privacy.handler@example.org')).toBeUndefined();
  });

  it('lets handlers and supervisors see their teams’ cases, managers and operators all', () => {
    const handler = staffMember(desk, 'ops.handler@example.org')!;
    expect(maySeeCase(handler, desk, 'performance')).toBe(true);
    expect(maySeeCase(handler, desk, 'account')).toBe(false);
    expect(maySeeCase(staffMember(desk, 'desk.manager@example.org')!, desk, 'account')).toBe(true);
    expect(maySeeCase(staffMember(desk, 'ops.admin@example.org')!, desk, 'privacy')).toBe(true);
  });

  it('lets the holder act, and those above the holder; only supervisors and up reassign', () => {
    const handler = staffMember(desk, 'trust.handler@example.org')!;
    const supervisor = staffMember(desk, 'trust.supervisor@example.org')!;
    const otherSupervisor = staffMember(desk, 'ops.supervisor@example.org')!;
    expect(mayActOnTask(handler, desk, 'account', 'trust.handler@example.org')).toBe(true);
    expect(mayActOnTask(handler, desk, 'account', 'trust.supervisor@example.org')).toBe(false);
    expect(mayActOnTask(supervisor, desk, 'account', 'trust.handler@example.org')).toBe(true);
    expect(mayActOnTask(otherSupervisor, desk, 'account', 'trust.handler@example.org')).toBe(false);
    expect(mayReassign(handler, desk, 'account')).toBe(false);
    expect(mayReassign(supervisor, desk, 'account')).toBe(true);
    expect(mayReassign(otherSupervisor, desk, 'account')).toBe(false);
  });

  it('scopes a queue: mine; a supervisor’s team (its categories); everyone for a manager', () => {
    expect(queueScope(staffMember(desk, 'trust.handler@example.org')!, desk)).toEqual({
      assignees: ['trust.handler@example.org'],
    });
    expect(queueScope(staffMember(desk, 'trust.supervisor@example.org')!, desk)).toEqual({
      assignees: ['trust.supervisor@example.org', 'trust.handler@example.org', 'desk.manager@example.org'],
      categories: ['content', 'account', 'other'],
    });
    const all = queueScope(staffMember(desk, 'desk.manager@example.org')!, desk);
    expect(all.categories).toBeUndefined();
    expect(all.assignees).toContain('privacy.handler@example.org');
    expect(queueScope(staffMember(desk, 'desk.manager@example.org')!, desk, 'operations')).toEqual({
      assignees: ['ops.handler@example.org', 'ops.supervisor@example.org', 'desk.manager@example.org'],
      categories: ['service-outage', 'performance', 'data-loss'],
    });
  });
});

describe('deadline state', () => {
  const now = new Date('2026-12-01T08:00:00Z');
  it('is on time, due within 4 h, or late; an escalated task is late', () => {
    expect(deadlineState('2026-12-01T12:00:01Z', now)).toBe('on-time');
    expect(deadlineState('2026-12-01T12:00:00Z', now)).toBe('due-soon');
    expect(deadlineState('2026-12-01T08:00:00Z', now)).toBe('late');
    expect(deadlineState('2026-12-02T08:00:00Z', now, 1)).toBe('late');
  });
});

describe('queue filters and the staff entry form', () => {
  it('reads filters with a bounded page size', () => {
    expect(queueFiltersOf({ late: '1', limit: '500', assignee: ' A@B.org ', q: 'TS-20261201-ABCDEF' })).toMatchObject({
      late: true,
      limit: 25,
      assignee: 'a@b.org',
      q: 'TS-20261201-ABCDEF',
    });
    expect(queueFiltersOf(null)).toEqual({
      late: false,
      limit: 25,
      status: undefined,
      category: undefined,
      team: undefined,
      assignee: undefined,
      q: undefined,
      cursor: undefined,
    });
  });

  it('turns the flat form into the body the JSON route takes, leaving empty fields out', () => {
    expect(
      intakeFromForm({
        channel: 'social',
        'complainant.name': 'Li',
        'complainant.email': 'li@example.com',
        'complainant.phone': '',
        category: 'account',
        'subject.type': 'user',
        description: 'text',
      }),
    ).toEqual({
      channel: 'social',
      complainant: { name: 'Li', email: 'li@example.com' },
      category: 'account',
      subject: { type: 'user' },
      description: 'text',
    });
  });
});

describe('who a staff task link still acts for', () => {
  const config = DEFAULT_DESK_CONFIG;
  const trust = config.teams.trust!;
  it('its holder while still staff at the task’s place or above; nobody taken out of the config or off the team', () => {
    expect(mayHoldTaskLink(config, 'account', trust.handlers[0]!, 'handler')).toBe(true);
    expect(mayHoldTaskLink(config, 'account', trust.supervisor, 'handler')).toBe(true);
    expect(mayHoldTaskLink(config, 'account', trust.supervisor, 'supervisor')).toBe(true);
    expect(mayHoldTaskLink(config, 'account', trust.manager, 'supervisor')).toBe(true);
    // A handler holding a supervisor's task (e.g. demoted since): no longer.
    expect(mayHoldTaskLink(config, 'account', trust.handlers[0]!, 'supervisor')).toBe(false);
    // Off the case's team, or out of the config.
    expect(mayHoldTaskLink(config, 'account', config.teams.privacy!.handlers[0]!, 'handler')).toBe(false);
    expect(mayHoldTaskLink(config, 'account', 'gone.handler@example.org', 'handler')).toBe(false);
  });

  it('an accepted case’s investigation goes to its handler while on the team, else to a handler who is', () => {
    const facts = {
      team: config.teams.trust!,
      complaintId: '01TESTCOMPLAINT',
      complainantEmail: 'c@example.com',
      deciders: [],
    };
    expect(assigneeFor('investigation', { ...facts, handler: config.teams.trust!.handlers[0]! })).toBe(
      config.teams.trust!.handlers[0],
    );
    expect(assigneeFor('reply', { ...facts, handler: 'gone.handler@example.org' })).toBe(
      config.teams.trust!.handlers[0],
    );
  });
});
