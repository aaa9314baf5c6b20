import type { ServiceLevels, Team } from './config';
import { STEP_ROLE, type HumanStep } from './lifecycle';

/**
 * Who holds a staff step at each escalation level, and for how long. Level 0 is the step's own
 * assignee; each missed deadline moves the task one person up the team (supervisor, then
 * manager), each with a grace period. Past the last person the task is breached: the manager
 * keeps it for a final wait, and after that the execution fails loudly (an alarm), so the loop
 * is bounded.
 */
export function escalationChain(base: string, team: Team): string[] {
  return [...new Set([base, team.supervisor, team.manager])];
}

export type EscalationStep =
  | { exhausted: false; level: number; assignee: string; breached: boolean; waitSeconds: number }
  | { exhausted: true; level: number };

export function escalationAt(level: number, chain: readonly string[], levels: ServiceLevels): EscalationStep {
  if (level < chain.length) return { exhausted: false, level, assignee: chain[level]!, breached: false, waitSeconds: levels.escalationGraceSeconds };
  if (level === chain.length) return { exhausted: false, level, assignee: chain[chain.length - 1]!, breached: true, waitSeconds: levels.breachedWaitSeconds };
  return { exhausted: true, level };
}

export function escalates(step: HumanStep): boolean {
  const role = STEP_ROLE[step];
  return role === 'handler' || role === 'supervisor';
}

/**
 * The reviewer of a case (复核): a supervisor who did not handle it. If the team's supervisor
 * decided any step of this case, the manager rules instead.
 */
export function reviewerFor(team: Team, deciders: readonly string[]): string {
  return deciders.includes(team.supervisor) ? team.manager : team.supervisor;
}
