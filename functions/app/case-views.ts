import {
  type CasePage,
  type CaseRow,
  dueStateOf,
  nameKeyOf,
  numberPartQuery,
  STATUS_OUTCOME,
  statusesOf,
  viewReads,
  type CaseViewFilters,
} from '../domain/case-views';
import { SUBJECT_TYPES, type ComplaintRecord } from '../domain/complaint';
import { COMPLAINT_NUMBER_PATTERN } from '../domain/ids';
import { complainantKeyOf, subjectKeyOf } from '../domain/intake-rules';
import { isOpen } from '../domain/lifecycle';
import { maySeeCase, teamOfCategory, type StaffMember } from '../domain/staff';
import { currentTime } from '../lib/clock';
import { settings } from '../lib/settings';
import { complaintIdsByNumberPart, complaintIdsIn, complaintsByIds, queryView } from '../store/case-views';
import { complaintIdOfNumber } from '../store/staff-queue';

/** A search reads at most this many matches (one page of records by key). */
export const SEARCH_LIMIT = 100;

function rowOf(c: ComplaintRecord & { summary?: string }, now: Date): CaseRow {
  const { desk } = settings();
  return {
    id: c.id,
    number: c.number,
    summary: c.summary ?? '',
    complainant: { name: c.complainant?.name ?? '', email: c.complainant?.email ?? '' },
    category: c.category,
    team: teamOfCategory(desk, c.category),
    channel: c.channel,
    ...(c.priority ? { priority: c.priority } : {}),
    status: c.status,
    ...(c.outcome ? { outcome: c.outcome } : {}),
    ...(c.currentStep ? { step: c.currentStep } : {}),
    ...(c.level ? { level: c.level } : {}),
    breached: !!c.breached,
    flagged: !!c.flagged,
    ...(c.assignee ? { holder: c.assignee } : {}),
    due: dueStateOf(c, now),
    receivedAt: c.receivedAt,
    updatedAt: c.updatedAt,
  };
}

/** Whether a record read by key passes a view's filters (a search's matches are filtered as the indexes would). */
function passes(c: ComplaintRecord, filters: CaseViewFilters, now: Date): boolean {
  const statuses = statusesOf(filters.status);
  const open = isOpen(c.status);
  if (filters.status === 'open' && !open) return false;
  if (statuses && !statuses.includes(c.status)) return false;
  if (filters.status && STATUS_OUTCOME[filters.status] && c.outcome !== STATUS_OUTCOME[filters.status]) return false;
  if (filters.status === 'closed' && open) return false;
  if (filters.category && c.category !== filters.category) return false;
  if (filters.team && teamOfCategory(settings().desk, c.category) !== filters.team) return false;
  if (filters.holder && c.assignee !== filters.holder) return false;
  if (filters.escalatedFrom && !((c.level ?? 0) > 0 && c.handler === filters.escalatedFrom)) return false;
  if (filters.channel && c.channel !== filters.channel) return false;
  if (filters.priority && c.priority !== filters.priority) return false;
  if (filters.breached && !(open && c.breached)) return false;
  const due = dueStateOf(c, now);
  if (filters.late && !(open && due.state === 'late')) return false;
  if (filters.dueWithinHours) {
    const left = c.deadlineAt ? new Date(c.deadlineAt).getTime() - now.getTime() : -1;
    if (!open || left <= 0 || left > filters.dueWithinHours * 3600_000) return false;
  }
  return true;
}

/** The ids a search names: a whole number, part of one, an email, or a complainant's name or a subject. */
async function searchIds(q: string): Promise<{ ids: string[]; search: NonNullable<CasePage['search']> }> {
  const text = q.trim();
  if (COMPLAINT_NUMBER_PATTERN.test(text.toUpperCase())) {
    const id = await complaintIdOfNumber(text.toUpperCase());
    return { ids: id ? [id] : [], search: 'number' };
  }
  const part = numberPartQuery(text);
  if (part) {
    // A short text of number characters may also be a name ("ann"): both are looked up.
    const [byNumber, byName] = await Promise.all([
      complaintIdsByNumberPart(part.fragment, part.contains, SEARCH_LIMIT),
      complaintIdsIn('byName', nameKeyOf(text), SEARCH_LIMIT),
    ]);
    return { ids: [...byNumber, ...byName], search: 'number-part' };
  }
  if (text.includes('@'))
    return { ids: await complaintIdsIn('byComplainant', complainantKeyOf(text), SEARCH_LIMIT), search: 'email' };
  if (text.length < 2) return { ids: [], search: 'too-short' };
  // A name, or a subject as filed (its link, id or name, of any type): each an exact key.
  const subjectKeys = SUBJECT_TYPES.flatMap((type) => [
    subjectKeyOf({ subject: { type, ref: text }, description: '' }),
    subjectKeyOf({ subject: { type, name: text }, description: '' }),
  ]);
  const found = await Promise.all([
    complaintIdsIn('byName', nameKeyOf(text), SEARCH_LIMIT),
    ...subjectKeys.map((key) => complaintIdsIn('bySubject', key, 20)),
  ]);
  return { ids: found.flat(), search: 'name-or-subject' };
}

/**
 * A member's case view: every case in their scope (a handler's and a supervisor's teams, a
 * manager's or an operator's whole desk), in any status, filtered, sorted and paged from the
 * byView* indexes (one bounded read per partition). A search reads the matches' records by key
 * (at most SEARCH_LIMIT), keeps those in scope that pass the filters, in the view's order.
 */
export async function listCases(
  member: StaffMember,
  filters: CaseViewFilters,
  /** Only the first `take` rows are wanted (no cursor): the index is read a page deep, the rows read are these. */
  options: { take?: number } = {},
): Promise<CasePage> {
  const { desk } = settings();
  const now = currentTime();
  if (filters.q) {
    const { ids, search } = await searchIds(filters.q);
    const field = { due: 'deadlineAt', priority: 'priority', received: 'receivedAt', updated: 'updatedAt' }[
      filters.sort
    ] as keyof ComplaintRecord;
    const sign = filters.asc ? 1 : -1;
    const records = (await complaintsByIds(ids))
      .filter((c) => maySeeCase(member, desk, c.category) && passes(c, filters, now))
      .sort((a, b) => {
        const x = String(a[field] ?? '');
        const y = String(b[field] ?? '');
        return x < y ? -sign : x > y ? sign : 0;
      });
    return { items: records.slice(0, filters.limit).map((c) => rowOf(c, now)), search };
  }
  const page = await queryView(viewReads(member, desk, filters), filters, now);
  const entries = options.take === undefined ? page.items : page.items.slice(0, options.take);
  // The merged page's rows, read by key: one page of items.
  const records = new Map((await complaintsByIds(entries.map((entry) => entry.id))).map((c) => [c.id, c]));
  return {
    items: entries.flatMap((entry) => {
      const c = records.get(entry.id);
      return c ? [rowOf(c, now)] : [];
    }),
    ...(page.next && options.take === undefined ? { nextCursor: page.next } : {}),
  };
}

/** How many cases a view holds, counted up to one page per partition: `more` when there may be more. */
export async function countCases(
  member: StaffMember,
  filters: CaseViewFilters,
  cap = 100,
): Promise<{ count: number; more: boolean }> {
  const { desk } = settings();
  if (filters.q) {
    const found = await listCases(member, { ...filters, cursor: undefined, limit: cap });
    return { count: found.items.length, more: false };
  }
  const counted = await queryView(
    viewReads(member, desk, filters),
    { ...filters, cursor: undefined, limit: cap },
    currentTime(),
    {
      count: true,
    },
  );
  return { count: Math.min(counted.count ?? 0, cap), more: !!counted.more || (counted.count ?? 0) > cap };
}

export type { CasePage, CaseRow };
