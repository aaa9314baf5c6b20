import { describe, expect, it } from 'vitest';
import {
  caseViewFiltersOf,
  dueStateOf,
  mergeViewPages,
  numberFragments,
  numberPartQuery,
  summaryOf,
  viewFieldsOf,
  viewQueryOf,
  viewReads,
} from '../../functions/domain/case-views';
import { DEFAULT_DESK_CONFIG, parseDeskConfig } from '../../functions/domain/config';
import { staffMember } from '../../functions/domain/staff';

const desk = parseDeskConfig({
  ...DEFAULT_DESK_CONFIG,
  teams: { ...DEFAULT_DESK_CONFIG.teams, trust: { ...DEFAULT_DESK_CONFIG.teams.trust!, queueShards: 2 } },
});
const TRUST = desk.teams.trust!;
const parse = (query: Record<string, string>) => {
  const parsed = caseViewFiltersOf(query, desk);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.filters;
};

describe('case view filters', () => {
  it('take every filter, with each sort’s own default direction, and write back the same query', () => {
    const filters = parse({
      status: 'waiting',
      category: 'account',
      holder: ' A@Example.org ',
      priority: '2',
      sort: 'due',
    });
    expect(filters).toMatchObject({
      status: 'waiting',
      category: 'account',
      holder: 'a@example.org',
      priority: 2,
      sort: 'due',
      asc: true,
      limit: 50,
    });
    expect(parse({}).sort).toBe('updated');
    expect(parse({}).asc).toBe(false);
    expect(parse(Object.fromEntries(viewQueryOf(filters)))).toEqual(filters);
  });

  it('name every bad parameter at once, in both languages', () => {
    const parsed = caseViewFiltersOf(
      { status: 'lost', sort: 'colour', due: '0', limit: '500', channel: 'fax', team: 'nobody' },
      desk,
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => e.path).sort()).toEqual(['channel', 'due', 'limit', 'sort', 'status', 'team']);
    expect(parsed.errors[0]!.message.en).toMatch(/one of/);
    expect(parsed.errors[0]!.message['zh-CN']).toMatch(/可选/);
  });

  it('sort closed cases, which have no due time, by their last change', () => {
    expect(parse({ status: 'withdrawn', sort: 'due', dir: 'asc' })).toMatchObject({ sort: 'updated', asc: false });
    expect(parse({ status: 'open', sort: 'due' })).toMatchObject({ sort: 'due', asc: true });
  });

  it('refuse “late” with a closed status', () => {
    const parsed = caseViewFiltersOf({ status: 'closed', late: '1' }, desk);
    expect(parsed.ok).toBe(false);
  });
});

describe('which partitions a view reads', () => {
  it('a handler their team’s, open and closed, every shard; a status keeps one group; a manager every team', () => {
    const handler = staffMember(desk, TRUST.handlers[0]!)!;
    expect(viewReads(handler, desk, parse({})).map((r) => r.viewKey)).toEqual([
      'TEAM#trust#0#open',
      'TEAM#trust#0#closed',
      'TEAM#trust#1#open',
      'TEAM#trust#1#closed',
    ]);
    expect(viewReads(handler, desk, parse({ status: 'closed' })).map((r) => r.viewKey)).toEqual([
      'TEAM#trust#0#closed',
      'TEAM#trust#1#closed',
    ]);
    expect(viewReads(handler, desk, parse({ late: '1' })).every((r) => r.group === 'open')).toBe(true);
    // Another team's category is out of a handler's scope.
    const otherCategory = desk.categories.find((c) => c.team !== 'trust')!.id;
    expect(viewReads(handler, desk, parse({ category: otherCategory }))).toEqual([]);
    const manager = staffMember(desk, TRUST.manager)!;
    const teams = new Set(viewReads(manager, desk, parse({ status: 'open' })).map((r) => r.viewKey.split('#')[1]));
    expect([...teams].sort()).toEqual(Object.keys(desk.teams).sort());
  });
});

describe('one page out of several partitions', () => {
  const key = (item: { at: string }) => item.at;
  it('takes the smallest head each time, and says how many of each partition it took', () => {
    const merged = mergeViewPages(
      [
        { items: [{ at: '1' }, { at: '4' }, { at: '5' }], more: false },
        { items: [{ at: '2' }, { at: '3' }], more: false },
      ],
      key,
      true,
      4,
    );
    expect(merged.items.map(key)).toEqual(['1', '2', '3', '4']);
    expect(merged.taken).toEqual([2, 2]);
    expect(merged.complete).toBe(false);
  });

  it('stops before what a partition with more to come may still hold (beyond its frontier), descending too', () => {
    const merged = mergeViewPages(
      [
        { items: [], more: true, frontier: '3' },
        { items: [{ at: '1' }, { at: '2' }, { at: '3' }, { at: '4' }], more: false },
      ],
      key,
      true,
      10,
    );
    expect(merged.items.map(key)).toEqual(['1', '2', '3']);
    const down = mergeViewPages(
      [
        { items: [{ at: '9' }], more: true, frontier: '7' },
        { items: [{ at: '8' }, { at: '6' }], more: false },
      ],
      key,
      false,
      10,
    );
    expect(down.items.map(key)).toEqual(['9', '8']);
    expect(down.taken).toEqual([1, 1]);
  });

  it('is complete when every partition is read to its end and taken whole', () => {
    const merged = mergeViewPages(
      [
        { items: [{ at: '1' }], more: false },
        { items: [], more: false },
      ],
      key,
      true,
      5,
    );
    expect(merged).toMatchObject({ complete: true, taken: [1, 0] });
  });
});

describe('numbers by part', () => {
  it('index the three-character parts of the random tail only', () => {
    expect(numberFragments('TS-20261207-49N5JM')).toEqual(['49N', '9N5', 'N5J', '5JM']);
    expect(numberFragments('not a number')).toEqual([]);
  });

  it('look a part up by its first three characters and keep the numbers that hold it all', () => {
    expect(numberPartQuery('49n5jm')).toEqual({ fragment: '49N', contains: '49N5JM' });
    expect(numberPartQuery('9N5')).toEqual({ fragment: '9N5', contains: '9N5' });
    expect(numberPartQuery('20261207-49N5')).toEqual({ fragment: '49N', contains: '20261207-49N5' });
    expect(numberPartQuery('ab')).toBeUndefined();
    expect(numberPartQuery('someone@example.org')).toBeUndefined();
    // I, L, O and U are not in the alphabet of numbers.
    expect(numberPartQuery('LOU')).toBeUndefined();
  });
});

describe('what a case carries for the views', () => {
  it('its open partition and the closed one a closing copies; a one-line summary; its due state', () => {
    const fields = viewFieldsOf(
      {
        priority: 2,
        receivedAt: '2026-12-01T00:00:00.000Z',
        subject: { type: 'post', name: 'A post' },
        description: `line one\n\nline two ${'x'.repeat(200)}`,
        complainant: { name: 'Ann  Lee', email: 'ann@example.org' },
      },
      'TEAM#trust#1',
    );
    expect(fields).toMatchObject({
      caseView: 'TEAM#trust#1#open',
      openView: 'TEAM#trust#1#open',
      closedView: 'TEAM#trust#1#closed',
      priorityOrder: '2#2026-12-01T00:00:00.000Z',
    });
    expect(fields.summary).toMatch(/^A post — line one line two x+…$/);
    expect(fields.summary.length).toBe(120);
    expect(summaryOf({ subject: { type: 'post' }, description: 'short' })).toBe('short');
    const now = new Date('2026-12-01T12:00:00.000Z');
    expect(dueStateOf({ status: 'investigation', deadlineAt: '2026-12-01T11:00:00.000Z' }, now)).toEqual({
      state: 'late',
      since: '2026-12-01T11:00:00.000Z',
    });
    expect(dueStateOf({ status: 'investigation', deadlineAt: '2026-12-01T15:00:00.000Z' }, now).state).toBe('due-soon');
    expect(dueStateOf({ status: 'investigation', deadlineAt: '2026-12-02T15:00:00.000Z' }, now).state).toBe('on-time');
    expect(dueStateOf({ status: 'closed' }, now).state).toBe('none');
  });
});
