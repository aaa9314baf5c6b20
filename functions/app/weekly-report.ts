import { lastFullWeek, previousRange, type AnalyticsRange } from '../domain/analytics';
import type { DeskConfig } from '../domain/config';
import { normaliseEmail, teamMembers, type StaffMember } from '../domain/staff';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { sendEmail } from '../lib/mailer';
import { settings } from '../lib/settings';
import { StaffForbiddenError } from '../lib/staff-auth';
import { weeklyReportEmail, type LateCaseLine } from '../pages/emails';
import { claimWeeklyReport } from '../store/analytics';
import { queryOpenWork } from '../store/staff-queue';
import { viewFor } from './analytics';

/** Who gets the weekly report, and for which teams: each manager for their teams, each supervisor for theirs. */
export function reportRecipients(desk: DeskConfig): { to: string; teams: string[] }[] {
  const byAddress = new Map<string, Set<string>>();
  const give = (email: string, team: string) =>
    (
      byAddress.get(normaliseEmail(email)) ??
      byAddress.set(normaliseEmail(email), new Set()).get(normaliseEmail(email))!
    ).add(team);
  for (const [name, team] of Object.entries(desk.teams)) {
    give(team.manager, name);
    give(team.supervisor, name);
  }
  return [...byAddress.entries()].map(([to, teams]) => ({ to, teams: [...teams].sort() }));
}

async function lateCases(desk: DeskConfig, teams: string[], now: Date): Promise<LateCaseLine[]> {
  const assignees = [
    ...new Set([
      ...teams.flatMap((t) => teamMembers(desk, t)),
      ...(desk.escalationOwner ? [normaliseEmail(desk.escalationOwner)] : []),
    ]),
  ];
  const categories = desk.categories.filter((c) => teams.includes(c.team)).map((c) => c.id);
  const { items } = await queryOpenWork({ assignees, categories, lateAt: now.toISOString(), limit: 50 });
  return items.map((c) => ({
    id: c.id,
    number: c.number,
    category: c.category,
    step: c.currentStep,
    assignee: c.assignee,
    deadlineAt: c.deadlineAt,
    level: c.level ?? 0,
  }));
}

/**
 * The weekly report: last week's figures (Monday to Sunday in the desk's zone) against the week
 * before, the late cases still open and the hotspots, to every manager and supervisor for their
 * teams. On the schedule it is sent once a week (a retried run finds the week claimed); an
 * operator's "send now" always sends.
 */
export async function sendWeeklyReport(
  options: { force?: boolean } = {},
): Promise<{ sent: number; week: AnalyticsRange; skipped?: 'already-sent' }> {
  const { desk } = settings();
  const now = currentTime();
  const week = lastFullWeek(now, desk.timeZone);
  if (!options.force && !(await claimWeeklyReport(week.from, now))) {
    log.info('weekly report already sent for this week');
    return { sent: 0, week, skipped: 'already-sent' };
  }
  let sent = 0;
  for (const recipient of reportRecipients(desk)) {
    const [view, before, late] = await Promise.all([
      viewFor(recipient.teams, week, desk),
      viewFor(recipient.teams, previousRange(week), desk),
      lateCases(desk, recipient.teams, now),
    ]);
    await sendEmail(
      weeklyReportEmail({
        to: recipient.to,
        view,
        before,
        late,
        config: desk,
        analyticsUrl: `${settings().publicBaseUrl}/staff/analytics?from=${week.from}&to=${week.to}`,
      }),
    );
    sent++;
  }
  log.info('weekly report sent', { sent });
  return { sent, week };
}

/** "Send it now", from the analytics page: operators only. */
export async function sendWeeklyReportNow(member: StaffMember) {
  if (member.role !== 'admin') throw new StaffForbiddenError();
  return sendWeeklyReport({ force: true });
}
