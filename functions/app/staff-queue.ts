import type { ComplaintRecord } from '../domain/complaint';
import { COMPLAINT_NUMBER_PATTERN } from '../domain/ids';
import { complainantKeyOf } from '../domain/intake-rules';
import {
  deadlineState,
  maySeeCase,
  normaliseEmail,
  queueScope,
  teamOfCategory,
  type DeadlineState,
  type QueueFilters,
  type StaffMember,
} from '../domain/staff';
import { currentTime } from '../lib/clock';
import { settings } from '../lib/settings';
import { getComplaint } from '../store/complaints';
import { complaintIdOfNumber, complaintsOfComplainant, queryOpenWork } from '../store/staff-queue';

/** One line of a staff queue. */
export interface QueueItem {
  id: string;
  number: string;
  category: string;
  team?: string;
  priority?: number;
  status: ComplaintRecord['status'];
  step?: ComplaintRecord['currentStep'];
  level?: number;
  assignee?: string;
  deadlineAt?: string;
  deadlineState: DeadlineState;
  flagged: boolean;
}

export interface QueuePage {
  items: QueueItem[];
  /** Pass as `cursor` for the next page; absent on the last. */
  nextCursor?: string;
}

const encodeCursor = (c: ComplaintRecord) =>
  Buffer.from(JSON.stringify({ d: c.deadlineAt, i: c.id })).toString('base64url');
function decodeCursor(cursor: string | undefined): { deadlineAt: string; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const { d, i } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { d?: unknown; i?: unknown };
    return typeof d === 'string' && typeof i === 'string' ? { deadlineAt: d, id: i } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A member's queue: open tasks in their scope (their own; a supervisor's team; everything for a
 * manager or operator), soonest deadline first, filtered and paged. A search (`q`: a complaint
 * number or a complainant's email) looks the case up directly instead.
 */
export async function staffQueue(member: StaffMember, filters: QueueFilters): Promise<QueuePage> {
  const { desk } = settings();
  const now = currentTime();
  const itemOf = (c: ComplaintRecord): QueueItem => ({
    id: c.id,
    number: c.number,
    category: c.category,
    team: teamOfCategory(desk, c.category),
    priority: c.priority,
    status: c.status,
    step: c.currentStep,
    level: c.level,
    assignee: c.assignee,
    deadlineAt: c.deadlineAt,
    deadlineState: c.status === 'closed' ? 'on-time' : deadlineState(c.deadlineAt, now, c.level),
    flagged: !!c.flagged,
  });
  const matches = (c: ComplaintRecord) =>
    maySeeCase(member, desk, c.category) &&
    (!filters.status || c.status === filters.status) &&
    (!filters.category || c.category === filters.category) &&
    (!filters.team || teamOfCategory(desk, c.category) === filters.team) &&
    (!filters.assignee || c.assignee === filters.assignee) &&
    (!filters.late || (c.status !== 'closed' && deadlineState(c.deadlineAt, now, c.level) === 'late'));
  if (filters.q) {
    const q = filters.q.trim();
    const found = COMPLAINT_NUMBER_PATTERN.test(q.toUpperCase())
      ? await complaintIdOfNumber(q.toUpperCase())
          .then((id) => (id ? getComplaint(id) : undefined))
          .then((c) => (c ? [c] : []))
      : q.includes('@')
        ? await complaintsOfComplainant(complainantKeyOf(q))
        : [];
    return { items: found.filter(matches).slice(0, filters.limit).map(itemOf) };
  }
  const scope = queueScope(member, desk, filters.team);
  const assignees = filters.assignee
    ? scope.assignees.filter((a) => a === normaliseEmail(filters.assignee!))
    : scope.assignees;
  const teamCategories = filters.team
    ? desk.categories.filter((c) => c.team === filters.team).map((c) => c.id)
    : undefined;
  let categories = scope.categories ?? teamCategories;
  if (teamCategories && categories) categories = categories.filter((c) => teamCategories.includes(c));
  if (filters.category) categories = (categories ?? [filters.category]).filter((c) => c === filters.category);
  const page = await queryOpenWork({
    assignees,
    categories,
    status: filters.status,
    lateAt: filters.late ? now.toISOString() : undefined,
    after: decodeCursor(filters.cursor),
    limit: filters.limit,
  });
  const last = page.items[page.items.length - 1];
  return { items: page.items.map(itemOf), ...(page.more && last ? { nextCursor: encodeCursor(last) } : {}) };
}
