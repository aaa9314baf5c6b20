import { lastFullWeek, previousRange, type AnalyticsRange } from '../domain/analytics';
import type { DeskConfig } from '../domain/config';
import { newSecret } from '../domain/ids';
import { afterFailedTry } from '../domain/mail-delivery';
import { teamQueueKeys } from '../domain/queue';
import { normaliseEmail, type StaffMember } from '../domain/staff';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { sendEmail } from './shared/mailer';
import { METRICS, recordMetric } from '../lib/metrics';
import { settings } from '../lib/settings';
import { StaffForbiddenError } from '../lib/problems';
import { weeklyReportEmail, type LateCaseLine } from '../pages/emails';
import { listDueReports, planReport, settleReport, takeReport, type ReportKey } from '../store/reports';
import { queryWork } from '../store/staff-queue';
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

/** The late cases still open in these teams: one query per team partition, at most 50 lines. */
async function lateCases(desk: DeskConfig, teams: string[], now: Date): Promise<LateCaseLine[]> {
  const sources = teams.flatMap((team) => teamQueueKeys(desk, team).map((teamKey) => ({ teamKey })));
  const { items } = await queryWork({ sources, lateAt: now.toISOString(), limit: 50 });
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

/** Recipients' reports written at once by a run, and reports built and sent at once by a sender. */
const PLANNING_IN_FLIGHT = 16;
const SENDING_IN_FLIGHT = 4;
/** A sender takes at most this many reports per run (a minute's share; the next run takes the rest). */
const SENDER_BATCH = 500;
/** A taken report is due again after this long: longer than any run (a Lambda runs at most 29 s), so never two senders at once. */
const LEASE_MS = 120_000;

/** Runs `work` over `items`, at most `inFlight` at a time, starting none once `stop()` says so. */
async function eachBounded<T>(
  items: readonly T[],
  inFlight: number,
  work: (item: T) => Promise<void>,
  stop = () => false,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, items.length) }, async () => {
      while (next < items.length && !stop()) await work(items[next++]!);
    }),
  );
}

/**
 * Writes one small report item per recipient for a run (a manager over 40 teams is one item like
 * any supervisor's). Each is its own claim: writing a run again writes nothing new, so a run that
 * timed out is simply run again.
 */
export async function planWeeklyReports(
  run: string,
  week: AnalyticsRange,
  now: Date,
): Promise<{ recipients: number; planned: number }> {
  const recipients = reportRecipients(settings().desk);
  let planned = 0;
  await eachBounded(recipients, PLANNING_IN_FLIGHT, async (recipient) => {
    if (await planReport({ run, week, to: recipient.to, teams: recipient.teams, plannedAt: now.toISOString() }))
      planned++;
  });
  return { recipients: recipients.length, planned };
}

/**
 * Builds and sends the reports that are due, each on its own: taken (one sender wins), built from
 * its week's figures and its teams' late cases, sent, and marked sent. A failed send or build
 * puts that one report back, due later (the outbox's rule: twice the wait each time, given up
 * when refused for good or too old); no other report is touched. Stops taking reports once
 * `budgetMs` is spent; the next run takes the rest.
 */
export async function deliverDueReports(
  input: { budgetMs?: number; limit?: number } = {},
): Promise<{ sent: number; deferred: number; failed: number }> {
  const started = Date.now();
  const { desk } = settings();
  const counts = { sent: 0, deferred: 0, failed: 0 };
  const due = await listDueReports(currentTime().toISOString(), input.limit ?? SENDER_BATCH);
  const lease = newSecret();
  // A write that says how a send went may fail too: the report's lease then runs out, and it is
  // due again (a report already sent may then go twice; none is lost).
  const settle = (key: ReportKey, outcome: Parameters<typeof settleReport>[2], run: string) =>
    settleReport(key, lease, outcome).catch((error) =>
      log.error('weekly report not marked; it is due again when its lease runs out', { run, error }),
    );
  await eachBounded(
    due,
    SENDING_IN_FLIGHT,
    async (key) => {
      const now = currentTime();
      const report = await takeReport(
        key,
        now.toISOString(),
        lease,
        new Date(now.getTime() + LEASE_MS).toISOString(),
      ).catch((error) => {
        log.warn('weekly report not taken; the next run tries it', { error });
        return undefined;
      });
      if (!report) return;
      try {
        const [view, before, late] = await Promise.all([
          viewFor(report.teams, report.week, desk, { openLoad: false }),
          viewFor(report.teams, previousRange(report.week), desk, { openLoad: false }),
          lateCases(desk, report.teams, now),
        ]);
        await sendEmail(
          weeklyReportEmail({
            to: report.to,
            view,
            before,
            late,
            config: desk,
            analyticsUrl: `${settings().publicBaseUrl}/staff/analytics?from=${report.week.from}&to=${report.week.to}`,
          }),
        );
      } catch (error) {
        const name = (error as { name?: string })?.name ?? 'Error';
        const at = currentTime();
        const verdict = afterFailedTry(name, report.attempts, new Date(report.plannedAt), at);
        if (verdict.kind === 'retry') {
          counts.deferred++;
          await settle(key, { retryAt: verdict.at.toISOString(), error: name }, report.run);
          log.warn('weekly report not sent; tried again later', {
            run: report.run,
            attempts: report.attempts,
            error: name,
            nextTryAt: verdict.at.toISOString(),
          });
        } else {
          counts.failed++;
          recordMetric(METRICS.mailUndelivered, 1, { why: verdict.why });
          await settle(key, { failed: at.toISOString(), error: name }, report.run);
          log.error('weekly report given up', {
            run: report.run,
            attempts: report.attempts,
            why: verdict.why,
            error: name,
          });
        }
        return;
      }
      counts.sent++;
      await settle(key, { sent: currentTime().toISOString() }, report.run);
    },
    () => Date.now() - started > (input.budgetMs ?? 10_000),
  );
  if (due.length) log.info('weekly reports delivered', { due: due.length, ...counts });
  return counts;
}

/**
 * The weekly report: last week's figures (Monday to Sunday in the desk's zone) against the week
 * before, the late cases still open and the hotspots, to every manager and supervisor for their
 * teams, each recipient's report claimed, built and sent on its own (planWeeklyReports, then
 * deliverDueReports within `budgetMs`; the sender's schedule sends what is left). On the schedule
 * each recipient gets it once a week (a rerun writes no new claims); an operator's "send now" is a
 * run of its own and always sends.
 */
export async function sendWeeklyReport(options: { force?: boolean; budgetMs?: number } = {}): Promise<{
  week: AnalyticsRange;
  recipients: number;
  planned: number;
  sent: number;
  deferred: number;
  failed: number;
  skipped?: 'already-sent';
}> {
  const started = Date.now();
  const { desk } = settings();
  const now = currentTime();
  const week = lastFullWeek(now, desk.timeZone);
  const run = options.force ? `${week.from}@${now.getTime()}` : week.from;
  const plan = await planWeeklyReports(run, week, now);
  if (plan.planned === 0) log.info('weekly report already planned for this week', { run });
  // What writing the claims took comes off the time for sending.
  const budgetMs = Math.max(0, (options.budgetMs ?? 10_000) - (Date.now() - started));
  const delivered = await deliverDueReports({ budgetMs });
  log.info('weekly report run', { run, ...plan, ...delivered });
  return {
    week,
    ...plan,
    ...delivered,
    ...(plan.planned === 0 && plan.recipients > 0 ? { skipped: 'already-sent' as const } : {}),
  };
}

/** "Send it now", from the analytics page: operators only. */
export async function sendWeeklyReportNow(member: StaffMember) {
  if (member.role !== 'admin') throw new StaffForbiddenError();
  return sendWeeklyReport({ force: true });
}
