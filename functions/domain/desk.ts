import {
  BUILT_IN_CALENDARS,
  type BusinessCalendar,
  businessCalendar,
  CALENDAR_HOURS,
  yearsWithoutHolidayData,
} from './business-calendar';
import type { Category, DeskConfig, ServiceLevels, Team } from './config';

/**
 * Reading the desk config: a category, its team, its service levels. Plain lookups on the
 * already-validated config, so a function that reads the desk never loads the schema.
 */

export function findCategory(config: DeskConfig, id: string): Category | undefined {
  return config.categories.find((category) => category.id === id);
}

/**
 * The service levels of a complaint: the desk's, then its category's where it sets them, then
 * its priority's (the most specific wins); with the working calendar they count in, if any.
 */
export function serviceLevelsFor(config: DeskConfig, categoryId: string, priority?: number): ServiceLevels {
  const byPriority =
    priority === undefined ? undefined : config.priorityServiceLevels[String(priority) as '1' | '2' | '3' | '4'];
  const calendar = calendarFor(config, categoryId);
  return {
    ...config.serviceLevels,
    ...(findCategory(config, categoryId)?.serviceLevels ?? {}),
    ...(byPriority ?? {}),
    ...(calendar ? { calendar } : {}),
  };
}

export function teamFor(config: DeskConfig, categoryId: string): Team {
  const category = findCategory(config, categoryId);
  const team = category && config.teams[category.team];
  if (!team) throw new Error(`No team configured for category "${categoryId}"`);
  return team;
}

// ---- The desk's calendars, resolved: one per name and desk config, built once.

type DeskCalendars = Pick<DeskConfig, 'timeZone' | 'calendars' | 'calendar' | 'categories'>;
const resolved = new WeakMap<object, Map<string, BusinessCalendar>>();

/** The working calendar of that name (the desk's own first, then built-in); undefined for calendar hours. */
export function calendarNamed(
  config: Pick<DeskConfig, 'timeZone' | 'calendars'>,
  name: string,
): BusinessCalendar | undefined {
  if (name === CALENDAR_HOURS) return undefined;
  let byName = resolved.get(config);
  if (!byName) resolved.set(config, (byName = new Map()));
  let calendar = byName.get(name);
  if (!calendar) {
    const spec = config.calendars?.[name] ?? BUILT_IN_CALENDARS[name];
    if (!spec) throw new Error(`No calendar named "${name}" in the desk config`);
    calendar = businessCalendar(name, spec, config.timeZone);
    byName.set(name, calendar);
  }
  return calendar;
}

/** The calendar a category's clocks count in: its own, else the desk's; undefined for calendar hours. */
export function calendarFor(config: DeskCalendars, categoryId: string): BusinessCalendar | undefined {
  const name = config.categories.find((category) => category.id === categoryId)?.calendar ?? config.calendar;
  return name === undefined ? undefined : calendarNamed(config, name);
}

/**
 * What an operator must hear at synth and start: every calendar in use that lacks holiday data
 * for a year within the next `days` days. Redress still runs; those days count as ordinary
 * weekdays and the deadlines that reach them are marked provisional.
 */
export function holidayDataWarnings(config: DeskCalendars, now: Date, days = 90): string[] {
  const inUse = new Set(
    [config.calendar, ...config.categories.map((category) => category.calendar)].filter(
      (name): name is string => name !== undefined,
    ),
  );
  return [...inUse].flatMap((name) => {
    const calendar = calendarNamed(config, name);
    if (!calendar) return [];
    return yearsWithoutHolidayData(calendar, now, days).map(
      ({ year, firstDay }) =>
        `warning: calendar "${name}" has no holiday data for ${year} (from ${firstDay}, within ${days} days): deadlines there count ordinary weekdays (${[...calendar.weekdays].join(',')}) and are marked provisional. Add desk.calendars.${name}.holidays.${year} { "off": [...], "workdays": [...] } once the year's holidays are published.`,
    );
  });
}
