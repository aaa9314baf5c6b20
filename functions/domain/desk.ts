import type { Category, DeskConfig, ServiceLevels, Team } from './config';
import { calendarFor } from './business-calendar';

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
