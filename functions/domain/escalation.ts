import type { ServiceLevels, Team } from './config';
import { STEP_ROLE, type HumanStep } from './lifecycle';

/**
 * Who holds a staff step at each escalation level, and for how long. Level 0 is the step's own
 * assignee; each missed deadline moves the task one person up the team (supervisor, then
 * manager), each with a grace period. Past the last person the task is breached and goes to the
 * desk's last resort (its escalation owner, else the manager), who keeps it for the breached
 * wait and is then reminded again and again: the case is never left without someone who can act.
 */
export function escalationChain(base: string, team: Team): string[] {
  return [...new Set([base, team.supervisor, team.manager])];
}

export interface EscalationStep {
  level: number;
  assignee: string;
  breached: boolean;
  waitSeconds: number;
}

export function escalationAt(
  level: number,
  chain: readonly string[],
  levels: ServiceLevels,
  lastResort = chain[chain.length - 1]!,
): EscalationStep {
  if (level < chain.length)
    return { level, assignee: chain[level]!, breached: false, waitSeconds: levels.escalationGraceSeconds };
  return {
    level,
    assignee: lastResort,
    breached: true,
    waitSeconds: level === chain.length ? levels.breachedWaitSeconds : levels.overdueReminderSeconds,
  };
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
