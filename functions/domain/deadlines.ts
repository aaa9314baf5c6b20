import {
  localDay,
  workingDeadline,
  workingSecondsBetween,
  yearsWithoutHolidayData,
  type BusinessCalendar,
} from './business-calendar';
import type { ServiceLevels } from './config';
import { STEP_DEFINITIONS, type HumanStep, type PausedStep } from './lifecycle';

/**
 * Every deadline and every lateness, computed here and nowhere else. Deadlines are absolute
 * instants on the record; every wait computes what remains of them, so a re-driven or
 * late-started step keeps the original deadline and both engines wait on the same instant.
 *
 * `clockScale` is service-level seconds per real second (REDRESS_CLOCK_SCALE): 3600 makes a 24 h
 * deadline fall 24 real seconds after its start. It shrinks deadlines only; the times recorded
 * on a complaint are always real.
 *
 * With a working `calendar` (business-calendar.ts) the service level counts working time: the
 * deadline is the instant at which that much working time has passed. The clock scale then
 * shrinks the whole span from start to that instant, nights, weekends and holidays included
 * (x3600: a deadline three calendar days away falls 72 real seconds later), so a scaled clock
 * keeps the order and proportions of real deadlines.
 */
export function deadlineAfter(
  start: Date,
  serviceLevelSeconds: number,
  clockScale = 1,
  calendar?: BusinessCalendar,
): Date {
  if (!(clockScale > 0)) throw new RangeError(`clock scale must be positive, got ${clockScale}`);
  if (!calendar) return new Date(start.getTime() + (serviceLevelSeconds * 1000) / clockScale);
  const end = workingDeadline(start, serviceLevelSeconds, calendar).at;
  return new Date(start.getTime() + (end.getTime() - start.getTime()) / clockScale);
}

/**
 * The years without holiday data that the clock from `now` to `deadline` runs into (in
 * service-level time, so a scaled clock answers as the real one would): there the calendar
 * counted ordinary weekdays, and the deadline is provisional. Empty for calendar hours.
 */
/**
 * The service-level time left from `now` to `deadline` (seconds): working time under a calendar,
 * the scaled clock's span stretched back to real time first, so that `deadlineAfter(later, left,
 * clockScale, calendar)` gives a step back exactly what it had (a pause over a night or a weekend
 * costs it nothing).
 */
export function serviceSecondsLeft(deadline: Date, now: Date, clockScale = 1, calendar?: BusinessCalendar): number {
  const span = Math.max(0, deadline.getTime() - now.getTime()) * clockScale;
  if (!calendar) return span / 1000;
  return workingSecondsBetween(now, new Date(now.getTime() + span), calendar);
}

export function provisionalYears(
  deadline: Date,
  now: Date,
  levels: Pick<ServiceLevels, 'calendar'>,
  clockScale: number,
): number[] {
  const calendar = levels.calendar;
  if (!calendar) return [];
  const end = new Date(now.getTime() + Math.max(0, deadline.getTime() - now.getTime()) * clockScale);
  return yearsWithoutHolidayData(
    calendar,
    now,
    localDay(end, calendar.timeZone) - localDay(now, calendar.timeZone),
  ).map((missing) => missing.year);
}

// Step Functions needs a whole number of seconds of at least 1; a deadline already passed still
// gets one second, so the timeout path, not a validation error, handles it.
export function secondsUntil(deadline: Date, now: Date): number {
  return Math.max(1, Math.ceil((deadline.getTime() - now.getTime()) / 1000));
}

/** How late `now` is past `deadline`, in real seconds (0 when on time). */
export function secondsLate(deadline: Date, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - deadline.getTime()) / 1000));
}

/** The service level of a step, in service-level seconds (a message's wait has its own deadline: this is its default). */
export function stepServiceSeconds(step: HumanStep, levels: ServiceLevels): number {
  return levels[STEP_DEFINITIONS[step].deadline];
}

/** The acceptance review's deadline, counted from `from`: receipt, or the complainant's answer to a question. */
export function acceptanceDeadline(from: Date, levels: ServiceLevels, clockScale: number): Date {
  return deadlineAfter(from, levels.acceptanceSeconds, clockScale, levels.calendar);
}

/** The two clocks a case carries from step to step (the complaint record has both). */
export interface CaseClocks {
  acceptanceDeadlineAt: string;
  investigationDeadlineAt?: string;
  /** A staff step a message's wait paused (lifecycle.ts PausedStep). */
  paused?: PausedStep;
}

/**
 * The deadline of a step that opens now, and what the record keeps for later openings. The
 * acceptance review keeps the deadline counted at receipt (or from the answer to a question); the
 * investigation is counted from acceptance and a respondent's statement does not reset it, but
 * the handler always gets at least a grace period to read the statement; every other step starts
 * its own clock. `deadlineProvisional` lists the years without holiday data the deadline ran
 * into (empty when it is final).
 */
export function openingDeadline(
  step: HumanStep,
  complaint: CaseClocks,
  levels: ServiceLevels,
  clockScale: number,
  now: Date,
): { deadlineAt: string; investigationDeadlineAt?: string; deadlineProvisional: number[] } {
  const opened = (deadline: { deadlineAt: string; investigationDeadlineAt?: string }) => ({
    ...deadline,
    deadlineProvisional: provisionalYears(new Date(deadline.deadlineAt), now, levels, clockScale),
  });
  // A step a message's wait paused resumes with the time it had left when it paused; the wait
  // itself runs to its own deadline.
  const paused = complaint.paused;
  if (paused && step === 'answer') return opened({ deadlineAt: paused.until });
  if (paused && paused.step === step) {
    const deadlineAt = (
      paused.remainingServiceSeconds === undefined
        ? new Date(now.getTime() + paused.remainingMs)
        : deadlineAfter(now, paused.remainingServiceSeconds, clockScale, levels.calendar)
    ).toISOString();
    return opened({ deadlineAt, ...(step === 'investigation' ? { investigationDeadlineAt: deadlineAt } : {}) });
  }
  switch (step) {
    case 'acceptance':
      return opened({ deadlineAt: complaint.acceptanceDeadlineAt });
    case 'investigation': {
      const grace = deadlineAfter(now, levels.escalationGraceSeconds, clockScale, levels.calendar).toISOString();
      const deadlineAt = complaint.investigationDeadlineAt
        ? complaint.investigationDeadlineAt > grace
          ? complaint.investigationDeadlineAt
          : grace
        : deadlineAfter(now, levels.investigationSeconds, clockScale, levels.calendar).toISOString();
      return opened({ deadlineAt, investigationDeadlineAt: complaint.investigationDeadlineAt ?? deadlineAt });
    }
    default:
      return opened({
        deadlineAt: deadlineAfter(now, stepServiceSeconds(step, levels), clockScale, levels.calendar).toISOString(),
      });
  }
}

/** Until when a review (复核) may be asked for: the review window after the reply. */
export function reviewWindowEnd(repliedAt: string, levels: ServiceLevels, clockScale: number): Date {
  return deadlineAfter(new Date(repliedAt), levels.reviewWindowSeconds, clockScale, levels.calendar);
}

/** The reminder (催办) interval is a service level too: the clock scale shrinks it like every deadline. */
export function reminderIntervalMs(reminderHours: number, clockScale: number): number {
  return (reminderHours * 3_600_000) / clockScale;
}
