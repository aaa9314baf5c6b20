import type { ComplaintRecord } from '../domain/complaint';
import { COMPLAINT_NUMBER_PATTERN } from '../domain/ids';
import { complainantKeyOf } from '../domain/intake-rules';
import { queueReads, teamQueueKeys } from '../domain/queue';
import { deadlineState, maySeeCase, teamOfCategory, type QueueFilters, type StaffMember } from '../domain/staff';
import { currentTime } from '../lib/clock';
import { settings } from '../lib/settings';
import type { QueueItem, QueuePage } from '../pages/staff-views';
import { getComplaint } from '../store/complaints';
import { complaintIdOfNumber, complaintsOfComplainant, queryWork, type QueueSource } from '../store/staff-queue';

const encodeCursor = (position: string) => Buffer.from(JSON.stringify({ p: position })).toString('base64url');
function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  try {
    const { p } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { p?: unknown };
    return typeof p === 'string' ? p : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A member's queue: open tasks in their scope (their own; a supervisor's team; everything for a
 * manager or operator), escalated first, then soonest deadline, filtered and paged: one bounded
 * query per team partition in scope (queue.ts queueReads), never one per staff address. A search
 * (`q`: a complaint number or a complainant's email) looks the case up directly instead.
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
  const sources = queueReads(member, desk, filters).flatMap((read): QueueSource[] =>
    'team' in read
      ? teamQueueKeys(desk, read.team).map((teamKey) => ({ teamKey, categories: read.categories, heldBy: read.heldBy }))
      : [read],
  );
  const page = await queryWork({
    sources,
    status: filters.status,
    lateAt: filters.late ? now.toISOString() : undefined,
    after: decodeCursor(filters.cursor),
    limit: filters.limit,
  });
  return { items: page.items.map(itemOf), ...(page.next ? { nextCursor: encodeCursor(page.next) } : {}) };
}
