import { randomBytes } from 'node:crypto';
import { caseViewFiltersOf, defaultViews } from '../domain/case-views';
import type { Language } from '../domain/language';
import { seesEverything, type StaffMember } from '../domain/staff';
import { currentTime } from '../lib/clock';
import { ValidationError } from '../lib/http';
import { settings } from '../lib/settings';
import { MAX_VIEWS, putSavedView, savedViewsOf, type SavedView } from '../store/saved-views';
import { countCases } from './case-views';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

export interface ListedView {
  id: string;
  name: string;
  query: string;
  scope: 'default' | 'personal' | 'team';
  team?: string;
  count: number;
  more: boolean;
}

/** Counts stop here: a view shows "100+" beyond (a count reads at most one page per partition). */
export const COUNT_CAP = 100;

/**
 * Saves a view of the cases: for oneself, or for a team one supervises (a manager or an
 * operator: any team). The query must be a valid view (the same parser as GET /staff/cases).
 */
export async function saveView(
  member: StaffMember,
  input: { name?: unknown; scope?: unknown; query?: unknown },
  language: Language,
): Promise<SavedView> {
  const { desk } = settings();
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  const scope = typeof input.scope === 'string' ? input.scope : 'personal';
  const query = typeof input.query === 'string' ? input.query.replace(/^\?/, '') : '';
  const team = scope.startsWith('team:') ? scope.slice(5) : undefined;
  const errors: { path: string; message: string }[] = [];
  if (!name || name.length > 60) errors.push({ path: 'name', message: USE_CASE_TEXTS.viewNameRequired[language] });
  if (scope !== 'personal' && !team) errors.push({ path: 'scope', message: USE_CASE_TEXTS.viewScopeInvalid[language] });
  if (
    team &&
    !(
      team in desk.teams &&
      (seesEverything(member) || member.teams[team] === 'supervisor' || member.teams[team] === 'manager')
    )
  )
    errors.push({
      path: 'scope',
      message: USE_CASE_TEXTS.viewTeamNotSupervised[language],
    });
  const parsed = caseViewFiltersOf(Object.fromEntries(new URLSearchParams(query)), desk);
  if (query.length > 2000 || !parsed.ok)
    errors.push({
      path: 'query',
      message: parsed.ok
        ? USE_CASE_TEXTS.viewQueryTooLong[language]
        : parsed.errors.map((e) => `${e.path}: ${e.message[language]}`).join('; '),
    });
  if (errors.length) throw new ValidationError(errors);
  const owner = team ? { team } : { personal: member.email };
  const now = currentTime();
  const view: SavedView = {
    id: `${now.getTime().toString(36)}${randomBytes(4).toString('hex')}`,
    name,
    query,
    owner,
    createdBy: member.email,
    createdAt: now.toISOString(),
  };
  const existing = await savedViewsOf(owner);
  if (!(await putSavedView(view, existing.length)))
    throw new ValidationError([{ path: 'scope', message: USE_CASE_TEXTS.viewsFull(MAX_VIEWS)[language] }]);
  return view;
}

/**
 * A member's views with their counts: the defaults, their own, and their teams' shared ones. Each
 * count reads at most one page per view partition (COUNT_CAP items), so a page of views costs
 * the views times the partitions in scope, whatever the desk holds.
 */
export async function listViews(member: StaffMember, language: Language): Promise<ListedView[]> {
  const { desk } = settings();
  const teams = Object.keys(member.teams).filter((team) => team in desk.teams);
  const [own, ...shared] = await Promise.all([
    savedViewsOf({ personal: member.email }),
    ...teams.map((team) => savedViewsOf({ team })),
  ]);
  const all: Omit<ListedView, 'count' | 'more'>[] = [
    ...defaultViews(member).map((v) => ({
      id: v.id,
      name: v.name[language],
      query: v.query,
      scope: 'default' as const,
    })),
    ...own!.map((v) => ({ id: v.id, name: v.name, query: v.query, scope: 'personal' as const })),
    ...shared.flatMap((views, i) =>
      views.map((v) => ({ id: v.id, name: v.name, query: v.query, scope: 'team' as const, team: teams[i] })),
    ),
  ];
  return Promise.all(
    all.map(async (view) => {
      const parsed = caseViewFiltersOf(Object.fromEntries(new URLSearchParams(view.query)), desk);
      // A view saved before a team or category left the config counts nothing.
      if (!parsed.ok) return { ...view, count: 0, more: false };
      const counted = await countCases(member, parsed.filters, COUNT_CAP);
      return { ...view, ...counted };
    }),
  );
}
