import type { ServiceLevels, Team } from './config';
import { STEP_ROLE, type HumanStep } from './lifecycle';

/**
 * Who holds a staff step at each escalation level, and for how long. Level 0 is the step's own
 * assignee; each missed deadline moves the task one person up the team (supervisor, then
 * manager), each with a grace period. Past the last person the task is breached and goes to the
 * desk's last resort (its escalation owner, else the manager), who is reminded every
 * `overdueReminderSeconds` (a day by default) until someone acts: the case is never left without
 * someone who can act. The step's deadline itself never moves: the task is late since then.
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
    waitSeconds: levels.overdueReminderSeconds,
  };
}

/**
 * Where a missed deadline moves a task: one person above whoever holds it now. A task reassigned
 * up the chain (to the supervisor, say) escalates from there (to the manager), never to the
 * person who already holds it; one held by someone outside the chain moves one level up.
 */
export function nextEscalation(
  level: number,
  chain: readonly string[],
  holder: string | undefined,
  levels: ServiceLevels,
  lastResort = chain[chain.length - 1]!,
): EscalationStep {
  const held = holder ? chain.indexOf(holder) : -1;
  return escalationAt(Math.max(level, held) + 1, chain, levels, lastResort);
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
