import type { DeskConfig } from './config';
import { findCategory } from './desk';
import { STAFF_CHANNELS } from './complaint';

/**
 * Who works the desk, and what each may see and do. Staff are the addresses of the desk's teams
 * (handlers, supervisor, manager) plus `desk.admins`; a person's role is the highest place held.
 */
export const STAFF_ROLES = ['handler', 'supervisor', 'manager', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

const RANK: Record<StaffRole, number> = { handler: 0, supervisor: 1, manager: 2, admin: 3 };

export interface StaffMember {
  email: string;
  role: StaffRole;
  /** The teams the address belongs to, with its place in each. */
  teams: Record<string, Exclude<StaffRole, 'admin'>>;
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** The staff member an address is, or undefined: the config is the directory. */
export function staffMember(config: DeskConfig, email: string): StaffMember | undefined {
  const wanted = normaliseEmail(email);
  const teams: StaffMember['teams'] = {};
  let role: StaffRole | undefined;
  const hold = (place: StaffRole) => {
    if (role === undefined || RANK[place] > RANK[role]) role = place;
  };
  for (const [name, team] of Object.entries(config.teams)) {
    const place =
      normaliseEmail(team.manager) === wanted
        ? 'manager'
        : normaliseEmail(team.supervisor) === wanted
          ? 'supervisor'
          : team.handlers.some((h) => normaliseEmail(h) === wanted)
            ? 'handler'
            : undefined;
    if (!place) continue;
    teams[name] = place;
    hold(place);
  }
  // The desk's last resort holds breached tasks of every team: a manager's view.
  if (config.escalationOwner && normaliseEmail(config.escalationOwner) === wanted) hold('manager');
  if ((config.admins ?? []).some((a) => normaliseEmail(a) === wanted)) hold('admin');
  return role ? { email: wanted, role, teams } : undefined;
}

/** Managers and operators see every case; handlers and supervisors their teams' cases. */
export const seesEverything = (member: StaffMember) => RANK[member.role] >= RANK.manager;

export function teamOfCategory(config: DeskConfig, categoryId: string): string | undefined {
  return findCategory(config, categoryId)?.team;
}

export function maySeeCase(member: StaffMember, config: DeskConfig, categoryId: string): boolean {
  if (seesEverything(member)) return true;
  const team = teamOfCategory(config, categoryId);
  return !!team && team in member.teams;
}

/**
 * Whether a member may act on a case's current task from the desk: the holder, or someone above
 * the holder (the case team's supervisor, a manager, an operator).
 */
export function mayActOnTask(member: StaffMember, config: DeskConfig, categoryId: string, holder: string): boolean {
  if (normaliseEmail(holder) === member.email) return true;
  if (seesEverything(member)) return true;
  const team = teamOfCategory(config, categoryId);
  return !!team && member.teams[team] === 'supervisor';
}

/**
 * Whether a staff task link still acts for its holder: a link is the holder's only while they are
 * still staff, on the case's team at the link's place or above (a handler's task: any place in the
 * team; a supervisor's: supervisor or manager there), or someone who sees everything. Someone
 * taken out of the config, or moved off the team, neither reads the case nor decides it by link.
 */
export function mayHoldTaskLink(
  config: DeskConfig,
  categoryId: string,
  holder: string,
  role: 'handler' | 'supervisor',
): boolean {
  const member = staffMember(config, holder);
  if (!member) return false;
  if (seesEverything(member)) return true;
  const team = teamOfCategory(config, categoryId);
  const place = team ? member.teams[team] : undefined;
  if (!place) return false;
  return role === 'handler' || RANK[place] >= RANK.supervisor;
}

/** Reassigning a task is for the case team's supervisor and up. */
export function mayReassign(member: StaffMember, config: DeskConfig, categoryId: string): boolean {
  if (seesEverything(member)) return true;
  const team = teamOfCategory(config, categoryId);
  return !!team && member.teams[team] === 'supervisor';
}

/** Who a task may be reassigned to: a staff member of the case's team. */
export function teamMembers(config: DeskConfig, teamName: string): string[] {
  const team = config.teams[teamName];
  return team ? [...new Set([...team.handlers, team.supervisor, team.manager].map(normaliseEmail))] : [];
}

/** Every staff address of the desk (the queue of everything reads the byAssignee index by these). */
export function allStaffAddresses(config: DeskConfig): string[] {
  return [
    ...new Set([
      ...Object.keys(config.teams).flatMap((name) => teamMembers(config, name)),
      ...(config.admins ?? []).map(normaliseEmail),
      ...(config.escalationOwner ? [normaliseEmail(config.escalationOwner)] : []),
    ]),
  ];
}

/**
 * Whose open tasks a member's queue holds: their own; a supervisor's also the team's; a
 * manager's and an operator's everyone's. `categories` limits the shared addresses (a manager
 * holds tasks of several teams) to the team's categories.
 */
export function queueScope(
  member: StaffMember,
  config: DeskConfig,
  team?: string,
): { assignees: string[]; categories?: string[] } {
  const categoriesOf = (name: string) => config.categories.filter((c) => c.team === name).map((c) => c.id);
  if (team && (seesEverything(member) || member.teams[team] === 'supervisor'))
    return { assignees: teamMembers(config, team), categories: categoriesOf(team) };
  if (seesEverything(member)) return { assignees: allStaffAddresses(config) };
  const supervised = Object.entries(member.teams)
    .filter(([, place]) => place === 'supervisor')
    .map(([name]) => name);
  if (supervised.length)
    return {
      assignees: [...new Set([member.email, ...supervised.flatMap((name) => teamMembers(config, name))])],
      categories: [...new Set([...Object.keys(member.teams).flatMap(categoriesOf)])],
    };
  return { assignees: [member.email] };
}

export type DeadlineState = 'on-time' | 'due-soon' | 'late';

/** Due within this long: marked as due soon. */
export const DUE_SOON_SECONDS = 4 * 3600;

/**
 * Where a task stands against its deadline. An escalated task (level > 0) missed its deadline
 * even though the escalation gave it a fresh one: it is late.
 */
export function deadlineState(deadlineAt: string | undefined, now: Date, level = 0): DeadlineState {
  if (level > 0) return 'late';
  if (!deadlineAt) return 'on-time';
  const left = new Date(deadlineAt).getTime() - now.getTime();
  return left <= 0 ? 'late' : left <= DUE_SOON_SECONDS * 1000 ? 'due-soon' : 'on-time';
}

/** Sign-in: a link lasts 15 minutes, a session 12 hours. */
export const SIGN_IN_LINK_SECONDS = 15 * 60;
export const SESSION_SECONDS = 12 * 3600;
export { SIGN_IN_LIMITS } from './config';

/** The queue's filters, as given in the query string. */
export interface QueueFilters {
  status?: string;
  category?: string;
  team?: string;
  assignee?: string;
  late?: boolean;
  q?: string;
  cursor?: string;
  limit: number;
}

export function queueFiltersOf(query: Record<string, string | undefined> | null | undefined): QueueFilters {
  const q = query ?? {};
  const text = (v: string | undefined, max = 254) => (v?.trim() ? v.trim().slice(0, max) : undefined);
  const limit = Number(q.limit);
  return {
    status: text(q.status, 40),
    category: text(q.category, 40),
    team: text(q.team, 60),
    assignee: text(q.assignee)?.toLowerCase(),
    late: q.late === '1' || q.late === 'true',
    q: text(q.q),
    cursor: text(q.cursor, 400),
    limit: Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : 25,
  };
}

/**
 * A complaint entered by staff from a flat form (a phone call, a message): the same body the
 * JSON route takes, with empty fields left out, so one validation covers both.
 */
export function intakeFromForm(form: Record<string, string | string[] | undefined>): Record<string, unknown> {
  const one = (name: string) => {
    const v = form[name];
    const s = (Array.isArray(v) ? v[v.length - 1] : v)?.trim();
    return s ? s : undefined;
  };
  const defined = (record: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
  return defined({
    channel: one('channel') ?? STAFF_CHANNELS[0],
    complainant: defined({
      name: one('complainant.name'),
      email: one('complainant.email'),
      phone: one('complainant.phone'),
      contactBy: one('complainant.contactBy'),
      language: one('complainant.language'),
    }),
    category: one('category'),
    subject: defined({ type: one('subject.type'), ref: one('subject.ref'), name: one('subject.name') }),
    description: one('description'),
    desiredOutcome: one('desiredOutcome'),
    contactHistory: one('contactHistory'),
  });
}
