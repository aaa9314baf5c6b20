import {
  BOARD_METRICS,
  type BoardMetric,
  type BoardTeam,
  caseViewFiltersOf,
  type CaseViewFilters,
  viewTeams,
} from '../domain/case-views';
import type { StaffMember } from '../domain/staff';
import { settings } from '../lib/settings';
import { countCases, listCases } from './case-views';

export const BOARD_OLDEST = 5;
/** A figure is counted up to this (one page per partition); beyond it shows as "500+". */
export const BOARD_CAP = 500;

const filtersOf = (query: string): CaseViewFilters => {
  const parsed = caseViewFiltersOf(Object.fromEntries(new URLSearchParams(query)), settings().desk);
  if (!parsed.ok) throw new Error(`a board view does not parse: ${query}`);
  return parsed.filters;
};

/**
 * Per team in the reader's scope: breached, late, due within 4 h, waiting on the complainant or
 * respondent, each counted from the views' indexes (at most BOARD_CAP items per partition), and
 * the oldest breached cases; the teams with the oldest breached case first.
 */
export async function atRiskBoard(member: StaffMember): Promise<BoardTeam[]> {
  const { desk } = settings();
  const teams = await Promise.all(
    viewTeams(member, desk).map(async (team): Promise<BoardTeam> => {
      const figures = Object.fromEntries(
        await Promise.all(
          (Object.entries(BOARD_METRICS) as [BoardMetric, string][]).map(async ([metric, base]) => {
            const query = `team=${encodeURIComponent(team)}&${base}`;
            return [metric, { ...(await countCases(member, filtersOf(query), BOARD_CAP)), query }] as const;
          }),
        ),
      ) as BoardTeam['figures'];
      // The breached are few among a team's open cases: the index is read 100 entries deep per
      // partition (small entries), and only the oldest BOARD_OLDEST records are read.
      const oldest = (
        await listCases(
          member,
          { ...filtersOf(`team=${encodeURIComponent(team)}&${BOARD_METRICS.breached}`), limit: 100 },
          { take: BOARD_OLDEST },
        )
      ).items;
      return { team, figures, oldestBreached: oldest };
    }),
  );
  const oldestDue = (t: BoardTeam) =>
    t.oldestBreached[0]?.due.state === 'late' ? t.oldestBreached[0].due.since : t.oldestBreached.length ? '~' : '~~';
  return teams.sort((a, b) => (oldestDue(a) < oldestDue(b) ? -1 : oldestDue(a) > oldestDue(b) ? 1 : 0));
}

export { BOARD_METRICS, type BoardMetric, type BoardTeam };
