import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG, parseDeskConfig } from '../../functions/domain/config';
import {
  idOfPosition,
  lateBound,
  pageOf,
  queuePosition,
  queueReads,
  teamKeyOf,
  teamQueueKeys,
} from '../../functions/domain/queue';
import { deadlineState, staffMember } from '../../functions/domain/staff';
import { withQueuePosition } from '../../functions/store/complaints';

const desk = parseDeskConfig({
  ...DEFAULT_DESK_CONFIG,
  admins: ['ops.admin@example.org'],
  teams: {
    ...DEFAULT_DESK_CONFIG.teams,
    // A supervisor of one team who handles in another; a team spread over three partitions.
    privacy: {
      ...DEFAULT_DESK_CONFIG.teams.privacy!,
      handlers: ['privacy.handler@example.org', 'ops.supervisor@example.org'],
    },
    operations: { ...DEFAULT_DESK_CONFIG.teams.operations!, queueShards: 3 },
  },
});
const member = (email: string) => staffMember(desk, email)!;
const ID = '01KBX4Q0000000000000000001';

describe('a case’s place in the work queues', () => {
  it('is held while staff hold its step: escalated work first, then by deadline; none on a complainant’s or respondent’s step', () => {
    const at = '2026-12-01T08:00:00.000Z';
    expect(queuePosition({ id: ID, currentStep: 'acceptance', level: 0, deadlineAt: at })).toBe(`1#${at}#${ID}`);
    expect(queuePosition({ id: ID, currentStep: 'acceptance', level: 2, deadlineAt: at })).toBe(`0#${at}#${ID}`);
    expect(queuePosition({ id: ID, currentStep: 'review', deadlineAt: at })).toBe(`1#${at}#${ID}`);
    for (const step of ['evidence', 'information', 'statement', 'survey'] as const)
      expect(queuePosition({ id: ID, currentStep: step, level: 0, deadlineAt: at })).toBeUndefined();
    expect(queuePosition({ id: ID, currentStep: 'reply', level: 0 })).toBeUndefined();
    expect(queuePosition({ id: ID })).toBeUndefined();
    expect(idOfPosition(`0#${at}#${ID}`)).toBe(ID);
  });

  it('puts exactly the late work before the late bound, as the deadline state judges it', () => {
    const now = new Date('2026-12-01T08:00:00.000Z');
    const cases = [
      { deadlineAt: '2026-12-01T07:59:59.999Z', level: 0 },
      { deadlineAt: '2026-12-01T08:00:00.000Z', level: 0 },
      { deadlineAt: '2026-12-01T08:00:00.001Z', level: 0 },
      { deadlineAt: '2026-12-03T08:00:00.000Z', level: 1 },
    ];
    for (const c of cases) {
      const position = queuePosition({ id: ID, currentStep: 'investigation', ...c })!;
      expect(position < lateBound(now.toISOString()), position).toBe(
        deadlineState(c.deadlineAt, now, c.level) === 'late',
      );
    }
  });

  it('is written with every change of step, level or deadline, which name all three; closing names them removed', () => {
    const at = '2026-12-01T08:00:00.000Z';
    expect(withQueuePosition(ID, { currentStep: 'reply', level: 1, deadlineAt: at })).toMatchObject({
      queuePosition: `0#${at}#${ID}`,
    });
    expect(withQueuePosition(ID, { currentStep: 'survey', level: 0, deadlineAt: at })).toHaveProperty(
      'queuePosition',
      undefined,
    );
    const closed = withQueuePosition(ID, { currentStep: undefined, level: undefined, deadlineAt: undefined });
    expect('queuePosition' in closed && closed.queuePosition === undefined).toBe(true);
    expect(withQueuePosition(ID, { evidenceCount: 2 })).toEqual({ evidenceCount: 2 });
    expect(() => withQueuePosition(ID, { level: 1, deadlineAt: at })).toThrow(/currentStep, level, deadlineAt/);
  });
});

describe('team queue partitions', () => {
  it('put a case in its category’s team, in one of the team’s shards, the same every time', () => {
    expect(teamKeyOf(desk, { id: ID, category: 'account' })).toBe('TEAM#trust#0');
    const shards = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const id = `01KBX4Q00000000000000${String(i).padStart(5, '0')}`;
      const key = teamKeyOf(desk, { id, category: 'performance' })!;
      expect(teamKeyOf(desk, { id, category: 'performance' })).toBe(key);
      shards.add(key);
    }
    expect([...shards].sort()).toEqual(teamQueueKeys(desk, 'operations'));
    expect(teamQueueKeys(desk, 'operations')).toEqual(['TEAM#operations#0', 'TEAM#operations#1', 'TEAM#operations#2']);
    expect(teamKeyOf(desk, { id: ID, category: 'no-such-category' })).toBeUndefined();
  });
});

describe('what a queue reads', () => {
  it('is one read per team in scope and the member’s own, never one per staff address', () => {
    expect(queueReads(member('trust.handler@example.org'), desk, {})).toEqual([
      { holder: 'trust.handler@example.org' },
    ]);
    expect(queueReads(member('trust.supervisor@example.org'), desk, {})).toEqual([{ team: 'trust' }]);
    // Supervises operations, handles in privacy: the team's queue and their own privacy tasks.
    expect(queueReads(member('ops.supervisor@example.org'), desk, {})).toEqual([
      { team: 'operations' },
      { holder: 'ops.supervisor@example.org', categories: ['privacy'] },
    ]);
    for (const email of ['desk.manager@example.org', 'ops.admin@example.org'])
      expect(queueReads(member(email), desk, {})).toEqual([
        { team: 'trust' },
        { team: 'privacy' },
        { team: 'operations' },
      ]);
  });

  it('narrows by team, category, status and assignee within what the member may see', () => {
    const manager = member('desk.manager@example.org');
    expect(queueReads(manager, desk, { team: 'privacy' })).toEqual([{ team: 'privacy' }]);
    expect(queueReads(manager, desk, { category: 'performance' })).toEqual([
      { team: 'operations', categories: ['performance'] },
    ]);
    expect(queueReads(manager, desk, { category: 'performance', team: 'trust' })).toEqual([]);
    expect(queueReads(manager, desk, { status: 'reply' })).toHaveLength(3);
    // Nobody on staff holds a complainant's step.
    expect(queueReads(manager, desk, { status: 'awaiting-evidence' })).toEqual([]);
    expect(queueReads(manager, desk, { assignee: 'Trust.Handler@example.org' })).toEqual([
      { holder: 'trust.handler@example.org' },
    ]);
    expect(queueReads(manager, desk, { assignee: 'trust.handler@example.org', team: 'trust' })).toEqual([
      { holder: 'trust.handler@example.org', categories: ['content', 'account', 'other'] },
    ]);
    // A supervisor and up may hold escalated work: their tasks come out of the teams' queues.
    expect(queueReads(manager, desk, { assignee: 'trust.supervisor@example.org' })).toEqual([
      { team: 'trust', heldBy: 'trust.supervisor@example.org' },
    ]);
    expect(queueReads(manager, desk, { assignee: 'desk.manager@example.org', category: 'privacy' })).toEqual([
      { team: 'privacy', heldBy: 'desk.manager@example.org', categories: ['privacy'] },
    ]);
    const supervisor = member('trust.supervisor@example.org');
    expect(queueReads(supervisor, desk, { assignee: 'trust.handler@example.org' })).toEqual([
      { holder: 'trust.handler@example.org', categories: ['content', 'account', 'other'] },
    ]);
    expect(queueReads(supervisor, desk, { assignee: 'desk.manager@example.org' })).toEqual([
      { team: 'trust', heldBy: 'desk.manager@example.org' },
    ]);
    // Their own, as a supervisor who handles elsewhere: every team they are in.
    expect(queueReads(member('ops.supervisor@example.org'), desk, { assignee: 'ops.supervisor@example.org' })).toEqual([
      { team: 'operations', heldBy: 'ops.supervisor@example.org' },
      { team: 'privacy', heldBy: 'ops.supervisor@example.org' },
    ]);
    expect(queueReads(supervisor, desk, { assignee: 'ops.handler@example.org' })).toEqual([]);
    expect(queueReads(supervisor, desk, { team: 'operations' })).toEqual([
      { holder: 'trust.supervisor@example.org', categories: ['service-outage', 'performance', 'data-loss'] },
    ]);
    const handler = member('trust.handler@example.org');
    expect(queueReads(handler, desk, { category: 'account' })).toEqual([
      { holder: 'trust.handler@example.org', categories: ['account'] },
    ]);
    expect(queueReads(handler, desk, { team: 'nope' })).toEqual([]);
  });
});

describe('a page out of several queues', () => {
  const item = (position: string) => ({ position });
  it('takes the first positions across the queues, and goes on after the last one shown', () => {
    // Two queues each read 3 (the page size) with more to come: the page is known up to the lower frontier.
    const page = pageOf([item('1a'), item('3a'), item('5a'), item('2b'), item('4b'), item('6b')], ['5a', '6b'], 3);
    expect(page).toEqual({ items: [item('1a'), item('2b'), item('3a')], next: '3a', settled: true });
    // Everything read, fewer than a page: the last page.
    expect(pageOf([item('2b'), item('1a')], [], 3)).toEqual({ items: [item('1a'), item('2b')], settled: true });
    // Exactly a page with more to come: the next page starts after it.
    expect(pageOf([item('1a'), item('2a')], ['2a'], 2)).toEqual({
      items: [item('1a'), item('2a')],
      next: '2a',
      settled: true,
    });
  });

  it('stops short where a filtered read stopped, and says to read on from there', () => {
    // Queue b's filter kept one of the three it read (up to b9); a holds more after a5.
    const page = pageOf([item('1a'), item('3a'), item('5a'), item('7b')], ['5a', '9b'], 5);
    expect(page).toEqual({ items: [item('1a'), item('3a'), item('5a')], next: '5a', settled: false });
  });
});
