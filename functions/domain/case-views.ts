import { createHash } from 'node:crypto';
import { CHANNELS, type ComplaintRecord } from './complaint';
import type { DeskConfig } from './config';
import type { Bilingual } from './language';
import { HUMAN_STEPS, STEP_DEFINITIONS, STEP_STATUS, type ComplaintStatus } from './lifecycle';
import { teamQueueKeys } from './queue';
import { DUE_SOON_SECONDS, normaliseEmail, seesEverything, type StaffMember } from './staff';

/**
 * Case views: every case in a staff member's scope, in any status, as a table (GET /staff/cases).
 * A view reads the byView* indexes only: their partition is a team's queue partition and whether
 * the case is open or closed (`<teamKey>#open` / `#closed`, so a list of open cases never reads
 * through a year of closed ones), each index sorted by one of the table's orders. Filters that are
 * not a partition or a key range are applied to the one page read per partition.
 */

/** The status filters a view offers, as a person names them. */
export const VIEW_STATUSES = [
  'open',
  'waiting',
  'waiting-complainant',
  'waiting-respondent',
  'closed',
  'withdrawn',
  'merged',
  'rejected',
] as const;
export type ViewStatus = (typeof VIEW_STATUSES)[number];

/** Open cases that wait on the complainant or the respondent rather than on staff. */
export const WAITING_ON: Record<'complainant' | 'respondent', readonly ComplaintStatus[]> = {
  complainant: statusesOfStepsFor('complainant'),
  respondent: statusesOfStepsFor('respondent'),
};

/** The statuses of the steps that go to one party (a message's wait is the paused staff step's, in no list). */
function statusesOfStepsFor(party: 'complainant' | 'respondent'): ComplaintStatus[] {
  return HUMAN_STEPS.filter((step) => STEP_DEFINITIONS[step].assignee === party).map((step) => STEP_STATUS[step]);
}

/** The statuses an open-status filter keeps (undefined: every open case). */
export function statusesOf(status: ViewStatus | undefined): readonly ComplaintStatus[] | undefined {
  if (status === 'waiting') return [...WAITING_ON.complainant, ...WAITING_ON.respondent];
  if (status === 'waiting-complainant') return WAITING_ON.complainant;
  if (status === 'waiting-respondent') return WAITING_ON.respondent;
  return undefined;
}

/** Whether a status filter keeps open cases (every other keeps closed ones). */
export const isOpenStatusFilter = (status: ViewStatus) => status === 'open' || status.startsWith('waiting');

/** The orders a view sorts by, each an index; `asc` is each order's natural direction. */
export const VIEW_SORTS = {
  due: { index: 'byViewDue', asc: true },
  priority: { index: 'byViewPriority', asc: true },
  received: { index: 'byViewReceived', asc: false },
  updated: { index: 'byViewUpdated', asc: false },
} as const;
export type ViewSort = keyof typeof VIEW_SORTS;

export type ViewGroup = 'open' | 'closed';

export interface CaseViewFilters {
  status?: ViewStatus;
  category?: string;
  team?: string;
  holder?: string;
  /** Open cases escalated (level 1 and up) whose handler is this address. */
  escalatedFrom?: string;
  channel?: string;
  priority?: number;
  late?: boolean;
  /** Open cases that ran out of escalations (`breached`). */
  breached?: boolean;
  /** Due within this many hours from now (and not late yet). */
  dueWithinHours?: number;
  /** A complaint number or part of it, an email, a complainant's name or a subject. */
  q?: string;
  sort: ViewSort;
  /** Ascending; each sort has its own default (soonest due, highest priority, newest received or changed). */
  asc: boolean;
  cursor?: string;
  limit: number;
}

export const VIEW_PAGE = { default: 50, max: 100 } as const;

/** The query keys a view takes, in the order a link writes them. */
export const VIEW_QUERY_KEYS = [
  'status',
  'category',
  'team',
  'holder',
  'escalatedFrom',
  'channel',
  'priority',
  'late',
  'breached',
  'due',
  'q',
  'sort',
  'dir',
] as const;

type Problem = { path: string; message: Bilingual };

/** A view's filters from a query string: every bad parameter named at once. */
export function caseViewFiltersOf(
  query: Record<string, string | undefined> | null | undefined,
  desk: DeskConfig,
): { ok: true; filters: CaseViewFilters } | { ok: false; errors: Problem[] } {
  const q = query ?? {};
  const text = (v: string | undefined, max = 254) => (v?.trim() ? v.trim().slice(0, max) : undefined);
  const errors: Problem[] = [];
  const oneOf = <T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined => {
    if (value === undefined) return undefined;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    errors.push({
      path: name,
      message: { 'zh-CN': `可选：${allowed.join('、')}`, en: `one of: ${allowed.join(', ')}` },
    });
    return undefined;
  };
  const status = oneOf('status', text(q.status, 40), VIEW_STATUSES);
  const category = oneOf(
    'category',
    text(q.category, 40),
    desk.categories.map((c) => c.id),
  );
  const team = oneOf('team', text(q.team, 60), Object.keys(desk.teams));
  const channel = oneOf('channel', text(q.channel, 20), CHANNELS);
  const priorityText = oneOf('priority', text(q.priority, 2), ['1', '2', '3', '4']);
  const asked = oneOf('sort', text(q.sort, 20), Object.keys(VIEW_SORTS) as ViewSort[]) ?? 'updated';
  const dir = oneOf('dir', text(q.dir, 4), ['asc', 'desc']);
  const due = text(q.due, 4);
  const dueHours = due === undefined ? undefined : Number(due);
  if (due !== undefined && !(Number.isInteger(dueHours) && dueHours! >= 1 && dueHours! <= 720))
    errors.push({
      path: 'due',
      message: { 'zh-CN': '须为 1 到 720 之间的整数（小时）', en: 'must be a whole number of hours from 1 to 720' },
    });
  const limitText = text(q.limit, 4);
  const limit = limitText === undefined ? VIEW_PAGE.default : Number(limitText);
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= VIEW_PAGE.max))
    errors.push({
      path: 'limit',
      message: {
        'zh-CN': `须为 1 到 ${VIEW_PAGE.max} 之间的整数`,
        en: `must be a whole number from 1 to ${VIEW_PAGE.max}`,
      },
    });
  const late = q.late === '1' || q.late === 'true';
  const breached = q.breached === '1' || q.breached === 'true';
  const escalatedFrom = text(q.escalatedFrom);
  if ((late || breached || dueHours !== undefined || escalatedFrom) && status && !isOpenStatusFilter(status))
    errors.push({
      path: 'status',
      message: {
        'zh-CN': '“已超时”“到期时间”和“升级”只适用于未结案件',
        en: '“late”, “due within” and “escalated from” apply to open cases only',
      },
    });
  if (errors.length) return { ok: false, errors };
  // Closed cases have no due time (the due index holds open ones): they sort by last change instead.
  const sort: ViewSort = asked === 'due' && status && !isOpenStatusFilter(status) ? 'updated' : asked;
  return {
    ok: true,
    filters: {
      ...(status ? { status } : {}),
      ...(category ? { category } : {}),
      ...(team ? { team } : {}),
      ...(text(q.holder) ? { holder: normaliseEmail(text(q.holder)!) } : {}),
      ...(escalatedFrom ? { escalatedFrom: normaliseEmail(escalatedFrom) } : {}),
      ...(channel ? { channel } : {}),
      ...(priorityText ? { priority: Number(priorityText) } : {}),
      ...(late ? { late } : {}),
      ...(breached ? { breached } : {}),
      ...(dueHours !== undefined ? { dueWithinHours: dueHours } : {}),
      ...(text(q.q, 200) ? { q: text(q.q, 200) } : {}),
      sort,
      asc: dir && sort === asked ? dir === 'asc' : VIEW_SORTS[sort].asc,
      ...(text(q.cursor, 8000) ? { cursor: text(q.cursor, 8000) } : {}),
      limit,
    },
  };
}

/** A view's filters as a query string (without cursor or limit): the link of a saved view, the next page's base. */
export function viewQueryOf(filters: Omit<CaseViewFilters, 'cursor' | 'limit'>): URLSearchParams {
  const out = new URLSearchParams();
  if (filters.status) out.set('status', filters.status);
  if (filters.category) out.set('category', filters.category);
  if (filters.team) out.set('team', filters.team);
  if (filters.holder) out.set('holder', filters.holder);
  if (filters.escalatedFrom) out.set('escalatedFrom', filters.escalatedFrom);
  if (filters.channel) out.set('channel', filters.channel);
  if (filters.priority) out.set('priority', String(filters.priority));
  if (filters.late) out.set('late', '1');
  if (filters.breached) out.set('breached', '1');
  if (filters.dueWithinHours) out.set('due', String(filters.dueWithinHours));
  if (filters.q) out.set('q', filters.q);
  out.set('sort', filters.sort);
  if (filters.asc !== VIEW_SORTS[filters.sort].asc) out.set('dir', filters.asc ? 'asc' : 'desc');
  return out;
}

// ---- What a case's record carries for the views (written at intake; the group moves at closing and reopening)

/** A view partition: a team queue partition and the group. */
export const viewKeyOf = (teamKey: string, group: ViewGroup) => `${teamKey}#${group}`;

/** The one-line summary a view shows: the subject's name if any, then the description, on one line, at most 120 characters. */
export function summaryOf(c: Pick<ComplaintRecord, 'subject' | 'description'>): string {
  const line = [c.subject.name, c.description].filter(Boolean).join(' — ').replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** A complainant's name as the byName index knows it: a hash of the name, case and spacing folded. */
export function nameKeyOf(name: string): string {
  const folded = name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  return createHash('sha256').update(`name:${folded}`).digest('hex');
}

/** A priority and when the case came in, so that within a priority the oldest comes first. */
export const priorityOrderOf = (c: Pick<ComplaintRecord, 'priority' | 'receivedAt'>) =>
  `${c.priority ?? 9}#${c.receivedAt}`;

/**
 * The fields a new case carries for the views: its partition while open (`caseView`), the values
 * it moves to at closing and reopening (a write copies them: DynamoDB cannot join strings), its
 * priority order, summary and name key. Undefined partition for a category without a team.
 */
export function viewFieldsOf(
  c: Pick<ComplaintRecord, 'priority' | 'receivedAt' | 'subject' | 'description' | 'complainant'>,
  teamKey: string | undefined,
) {
  return {
    ...(teamKey
      ? {
          caseView: viewKeyOf(teamKey, 'open'),
          openView: viewKeyOf(teamKey, 'open'),
          closedView: viewKeyOf(teamKey, 'closed'),
        }
      : {}),
    priorityOrder: priorityOrderOf(c),
    summary: summaryOf(c),
    nameKey: nameKeyOf(c.complainant.name),
  };
}

// ---- Numbers by part

/** Only the random tail of a number is indexed by part: its date part is shared by a whole day's cases (a hot key). */
const NUMBER_TAIL = /^TS-\d{8}-([0-9A-Z]{6})$/;
const FRAGMENT = 3;

/** The three-character parts of a number's random tail, each once: where a search by part finds it. */
export function numberFragments(number: string): string[] {
  const tail = NUMBER_TAIL.exec(number)?.[1];
  if (!tail) return [];
  return [...new Set(Array.from({ length: tail.length - FRAGMENT + 1 }, (_, i) => tail.slice(i, i + FRAGMENT)))];
}

/**
 * What a search for part of a number looks up: the first three characters of its random tail
 * (the fragment whose partition holds every number with it) and the text every match contains.
 * Undefined when the text cannot be part of a number's tail (or is shorter than three characters).
 */
export function numberPartQuery(q: string): { fragment: string; contains: string } | undefined {
  const text = q.trim().toUpperCase();
  // "TS-20261207-49N5", "20261207-49N5", "-49N5" or "49N5": the part after the date.
  const tail = /^(?:TS-)?(?:\d{8})?-?([0-9A-HJKMNP-TV-Z]{3,6})$/.exec(text)?.[1];
  if (!tail) return undefined;
  return { fragment: tail.slice(0, FRAGMENT), contains: text.replace(/^-/, '') };
}

// ---- Which partitions a view reads

export interface ViewRead {
  /** The index partition: `<teamKey>#<group>`. */
  viewKey: string;
  group: ViewGroup;
}

/** The teams a member's views cover: a manager's or an operator's, every team; otherwise the teams they belong to. */
export function viewTeams(member: StaffMember, desk: DeskConfig): string[] {
  return seesEverything(member) ? Object.keys(desk.teams) : Object.keys(member.teams).filter((t) => t in desk.teams);
}

/**
 * The partitions a view reads: each team in scope (narrowed by a team or category filter) and
 * each group the status allows, every shard. Empty when the filters leave nothing in scope.
 */
export function viewReads(member: StaffMember, desk: DeskConfig, filters: CaseViewFilters): ViewRead[] {
  const categoryTeam = filters.category ? desk.categories.find((c) => c.id === filters.category)?.team : undefined;
  if (filters.category && !categoryTeam) return [];
  const teams = viewTeams(member, desk).filter(
    (team) => (!filters.team || team === filters.team) && (!categoryTeam || team === categoryTeam),
  );
  const groups: ViewGroup[] =
    (filters.status && isOpenStatusFilter(filters.status)) ||
    filters.late ||
    filters.breached ||
    filters.dueWithinHours ||
    filters.escalatedFrom
      ? ['open']
      : filters.status
        ? ['closed']
        : ['open', 'closed'];
  return teams.flatMap((team) =>
    teamQueueKeys(desk, team).flatMap((teamKey) =>
      groups.map((group) => ({ viewKey: viewKeyOf(teamKey, group), group })),
    ),
  );
}

/** The outcome a closed-status filter keeps (`closed` keeps every closed case). */
export const STATUS_OUTCOME: Partial<Record<ViewStatus, string>> = {
  withdrawn: 'withdrawn',
  merged: 'merged',
  rejected: 'rejected',
};

// ---- Where a case stands against its deadline, as the table says it

export type DueState =
  | { state: 'none' }
  | { state: 'on-time' | 'due-soon'; at: string }
  | { state: 'late'; since: string };

/** On time, due soon (within 4 h), late since its deadline; none when nothing is due (closed, or between steps). */
export function dueStateOf(c: Pick<ComplaintRecord, 'deadlineAt' | 'status'>, now: Date): DueState {
  if (!c.deadlineAt || c.status === 'closed') return { state: 'none' };
  const left = new Date(c.deadlineAt).getTime() - now.getTime();
  if (left <= 0) return { state: 'late', since: c.deadlineAt };
  return { state: left <= DUE_SOON_SECONDS * 1000 ? 'due-soon' : 'on-time', at: c.deadlineAt };
}

// ---- One page out of several partitions

/**
 * Merges the pages read from several partitions of one index into one page in the view's order.
 * Each partition's items come in its index order, so the merge takes them as they come, the
 * smallest head first. A partition that has more than it returned but nothing left in hand holds
 * nothing before its frontier (the sort value its read stopped at), so items up to that value may
 * still be taken, and the page stops at the first beyond it. For each partition it says how many
 * of its items the page took: the next page resumes each partition after the last one taken.
 */
export function mergeViewPages<T>(
  pages: readonly { items: readonly T[]; more: boolean; frontier?: string }[],
  keyOf: (item: T) => string,
  asc: boolean,
  limit: number,
): { items: T[]; taken: number[]; complete: boolean } {
  const before = (a: string, b: string) => (asc ? a < b : a > b);
  const taken = pages.map(() => 0);
  const items: T[] = [];
  while (items.length < limit) {
    let best = -1;
    let bound: string | undefined;
    for (let p = 0; p < pages.length; p++) {
      const page = pages[p]!;
      if (taken[p]! >= page.items.length) {
        if (page.more && page.frontier !== undefined && (bound === undefined || before(page.frontier, bound)))
          bound = page.frontier;
        continue;
      }
      if (best < 0 || before(keyOf(page.items[taken[p]!]!), keyOf(pages[best]!.items[taken[best]!]!))) best = p;
    }
    if (best < 0) break;
    const head = pages[best]!.items[taken[best]!]!;
    // A partition with more to come may hold items up to its frontier: nothing beyond it is known complete.
    if (bound !== undefined && before(bound, keyOf(head))) break;
    items.push(head);
    taken[best]!++;
  }
  const complete = pages.every((page, p) => !page.more && taken[p] === page.items.length);
  return { items, taken, complete };
}

// ---- Default views

export interface ViewDefinition {
  id: string;
  name: Bilingual;
  query: string;
}

/** The views every member has: what a helpdesk's overviews start with. */
export function defaultViews(member: StaffMember): ViewDefinition[] {
  const me = encodeURIComponent(member.email);
  return [
    { id: 'mine', name: { 'zh-CN': '我的未结任务', en: 'My open tasks' }, query: `status=open&holder=${me}&sort=due` },
    { id: 'breached', name: { 'zh-CN': '已违约（升级用尽）', en: 'Breached' }, query: 'breached=1&sort=due' },
    { id: 'due-4h', name: { 'zh-CN': '4 小时内到期', en: 'Due within 4 h' }, query: 'due=4&sort=due' },
    {
      id: 'waiting-complainant',
      name: { 'zh-CN': '等待投诉人', en: 'Waiting on the complainant' },
      query: 'status=waiting-complainant&sort=updated',
    },
    {
      id: 'escalated-from-me',
      name: { 'zh-CN': '我经手后升级的', en: 'Escalated from me' },
      query: `escalatedFrom=${me}`,
    },
    {
      id: 'recently-closed',
      name: { 'zh-CN': '最近结案', en: 'Recently closed' },
      query: 'status=closed&sort=updated',
    },
  ];
}

// ---- What a view and the board answer (the pages render these)

/** One row of a case view. */
export interface CaseRow {
  id: string;
  number: string;
  summary: string;
  complainant: { name: string; email: string };
  category: string;
  team?: string;
  channel: string;
  priority?: number;
  status: ComplaintRecord['status'];
  outcome?: string;
  step?: ComplaintRecord['currentStep'];
  level?: number;
  breached: boolean;
  flagged: boolean;
  holder?: string;
  due: DueState;
  receivedAt: string;
  updatedAt: string;
}

export interface CasePage {
  items: CaseRow[];
  /** Pass as `cursor` for the next page; absent on the last. */
  nextCursor?: string;
  /** A search answers its first matches in one page: how it searched. */
  search?: 'number' | 'number-part' | 'email' | 'name-or-subject' | 'too-short';
}

/** The at-risk board's figures, each the query string of the view that lists its cases. */
export const BOARD_METRICS = {
  breached: 'breached=1&sort=due&dir=asc',
  late: 'late=1&sort=due&dir=asc',
  dueSoon: 'due=4&sort=due&dir=asc',
  waiting: 'status=waiting&sort=updated',
} as const;
export type BoardMetric = keyof typeof BOARD_METRICS;

export interface BoardTeam {
  team: string;
  figures: Record<BoardMetric, { count: number; more: boolean; query: string }>;
  /** The team's breached cases, the one breached longest first (at most BOARD_OLDEST). */
  oldestBreached: CaseRow[];
}
