import type { DeskConfig } from './config';
import { HUMAN_STEPS, STEP_ROLE, STEP_STATUS, type HumanStep } from './lifecycle';
import { normaliseEmail, queueScope, seesEverything, staffMember, type QueueFilters, type StaffMember } from './staff';

/**
 * The work queues: the open work staff hold, read by team or by holder, deadline first. Each case
 * on a staff step has one position, the same in every queue it is in, so pages of several queues
 * (a manager's 40 teams) merge into one order, and "late" is a range of positions, not a filter.
 */

/** The steps a staff member holds; complainant and respondent steps are in no work queue. */
export const STAFF_STEPS: readonly HumanStep[] = HUMAN_STEPS.filter(
  (step) => STEP_ROLE[step] === 'handler' || STEP_ROLE[step] === 'supervisor',
);
export const STAFF_STEP_STATUSES: readonly string[] = STAFF_STEPS.map((step) => STEP_STATUS[step]);

/**
 * A case's place in the work queues while a staff member holds its step: `<rank>#<deadline>#<id>`,
 * rank 0 for an escalated task (it missed a deadline; its fresh one is a grace period), 1 for the
 * rest. So escalated work comes first, then the rest by deadline, and everything late at an
 * instant sorts before `lateBound(instant)`. Undefined when the case is in no work queue.
 */
export function queuePosition(c: {
  id: string;
  currentStep?: HumanStep;
  level?: number;
  deadlineAt?: string;
}): string | undefined {
  if (!c.currentStep || !c.deadlineAt || !STAFF_STEPS.includes(c.currentStep)) return undefined;
  return `${(c.level ?? 0) > 0 ? 0 : 1}#${c.deadlineAt}#${c.id}`;
}

/**
 * The least position that is not late at `now` (an ISO instant): a task is late once its deadline
 * is `now` or earlier, or once it was escalated. `$` sorts right after the `#` that follows a
 * deadline, so a deadline equal to `now` is inside.
 */
export function lateBound(now: string): string {
  return `1#${now}$`;
}

/** The complaint id a position ends with. */
export const idOfPosition = (position: string) => position.slice(position.lastIndexOf('#') + 1);

/**
 * How many partitions a team's queue is spread over (`desk.teams.<team>.queueShards`, 1 unless a
 * team's writes could pass what one partition takes). Only ever raised: a case keeps the shard it
 * got at intake, and a reader reads shards 0 to n−1.
 */
export function teamShards(desk: DeskConfig, team: string): number {
  return desk.teams[team]?.queueShards ?? 1;
}

/** A team queue's partition key. The shard is last, so no two teams' keys meet whatever their names. */
export function teamQueueKey(team: string, shard: number): string {
  return `TEAM#${team}#${shard}`;
}

/** Every partition key of a team's queue. */
export function teamQueueKeys(desk: DeskConfig, team: string): string[] {
  return Array.from({ length: teamShards(desk, team) }, (_, shard) => teamQueueKey(team, shard));
}

/** The team queue partition of a case, fixed at intake from its category (undefined: a category without a team). */
export function teamKeyOf(desk: DeskConfig, c: { id: string; category: string }): string | undefined {
  const team = desk.categories.find((category) => category.id === c.category)?.team;
  if (!team || !desk.teams[team]) return undefined;
  // FNV-1a over the id: the ids' random tail spreads a burst evenly over the shards.
  let hash = 0x811c9dc5;
  for (let i = 0; i < c.id.length; i++) hash = Math.imul(hash ^ c.id.charCodeAt(i), 0x01000193);
  return teamQueueKey(team, (hash >>> 0) % teamShards(desk, team));
}

/**
 * One queue to read: a team's (every shard; `heldBy` keeps one holder's work), or one holder's own
 * (the byAssignee index, in deadline order: only for holders who hold no escalated work, whose
 * deadline order is queue order); `categories` keeps only those.
 */
export type QueueRead =
  | { team: string; categories?: string[]; heldBy?: string }
  | { holder: string; categories?: string[] };

/**
 * What a member's queue reads, given the filters: a handler their own tasks; a supervisor their
 * teams' queues and their own tasks elsewhere; a manager or an operator every team's queue (or
 * the one a `team` or `category` filter names); an `assignee` filter that holder's tasks, within
 * what the member may see. Never one read per staff address: at most one per team in scope, plus
 * the member's own. Empty when the filters leave nothing to show.
 */
export function queueReads(member: StaffMember, desk: DeskConfig, filters: Omit<QueueFilters, 'limit'>): QueueRead[] {
  if (filters.status && !STAFF_STEP_STATUSES.includes(filters.status)) return [];
  const categoriesOf = (team: string) => desk.categories.filter((c) => c.team === team).map((c) => c.id);
  const categoryTeam = filters.category ? desk.categories.find((c) => c.id === filters.category)?.team : undefined;
  if (filters.category && (!categoryTeam || (filters.team && filters.team !== categoryTeam))) return [];
  const team = filters.team ?? categoryTeam;
  if (team && !desk.teams[team]) return [];
  const onlyCategory = filters.category ? { categories: [filters.category] } : {};
  const holderRead = (holder: string, categories: string[] | undefined): QueueRead[] => {
    const kept = filters.category
      ? (categories ?? [filters.category]).filter((c) => c === filters.category)
      : categories;
    if (kept && kept.length === 0) return [];
    return [{ holder, ...(kept ? { categories: kept } : {}) }];
  };
  const supervised = seesEverything(member)
    ? Object.keys(desk.teams)
    : Object.entries(member.teams)
        .filter(([, place]) => place === 'supervisor')
        .map(([name]) => name);

  if (filters.assignee) {
    const scope = queueScope(member, desk, team);
    const holder = normaliseEmail(filters.assignee);
    if (!scope.assignees.includes(holder)) return [];
    const held = staffMember(desk, holder);
    if (!held || held.role === 'handler') {
      const inTeam = team
        ? (scope.categories ?? categoriesOf(team)).filter((c) => categoriesOf(team).includes(c))
        : undefined;
      return holderRead(holder, inTeam ?? scope.categories);
    }
    // A supervisor and up may hold escalated work, which comes first in queue order but not in
    // deadline order: their tasks are read out of the teams' queues they can hold work in.
    const visible = holder === member.email ? [...new Set([...supervised, ...Object.keys(member.teams)])] : supervised;
    const theirs = seesEverything(held) ? Object.keys(desk.teams) : Object.keys(held.teams);
    return visible
      .filter((name) => theirs.includes(name) && (!team || name === team))
      .map((name) => ({ team: name, heldBy: holder, ...onlyCategory }));
  }
  if (team) {
    if (supervised.includes(team)) return [{ team, ...onlyCategory }];
    return holderRead(member.email, categoriesOf(team));
  }
  const reads: QueueRead[] = supervised.map((name) => ({ team: name }));
  if (seesEverything(member)) return reads;
  if (supervised.length === 0) return holderRead(member.email, undefined);
  // A supervisor who also handles in teams they do not supervise: their own tasks there.
  const elsewhere = Object.keys(member.teams)
    .filter((name) => !supervised.includes(name))
    .flatMap(categoriesOf);
  return elsewhere.length ? [...reads, ...holderRead(member.email, elsewhere)] : reads;
}

/**
 * One page out of several queues read in position order, each read only up to a point: `found`
 * (what the reads returned, after their filters) and `frontiers` (for each read with more to come,
 * the last position it looked at). Only positions up to the lowest frontier are known complete, so
 * the page stops there. `next` is where the following page starts (the last position shown, or the
 * frontier when the page is short); `settled` says no further read can add to this page.
 */
export function pageOf<T extends { position: string }>(
  found: readonly T[],
  frontiers: readonly string[],
  limit: number,
): { items: T[]; next?: string; settled: boolean } {
  const boundary = frontiers.length ? frontiers.reduce((a, b) => (b < a ? b : a)) : undefined;
  const known = [...found]
    .filter((item) => boundary === undefined || item.position <= boundary)
    .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  const items = known.slice(0, limit);
  if (items.length === limit && (known.length > limit || boundary !== undefined))
    return { items, next: items[items.length - 1]!.position, settled: true };
  if (boundary === undefined) return { items, settled: true };
  return { items, next: boundary, settled: false };
}
