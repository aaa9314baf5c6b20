import type { Team } from './config';
import { reviewerFor } from './escalation';
import { STEP_DEFINITIONS, type HumanStep } from './lifecycle';

/** One of the team's handlers, spread by complaint id: stable across retries and re-drives. */
export function handlerFor(team: Team, complaintId: string): string {
  let hash = 0;
  for (const char of complaintId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return team.handlers[hash % team.handlers.length]!;
}

export interface AssignmentFacts {
  team: Team;
  complaintId: string;
  /** The handler who owns the case once accepted. */
  handler?: string;
  complainantEmail: string;
  respondentEmail?: string;
  /** Everyone who decided a step of this case so far (a reviewer must not be one of them). */
  deciders: readonly string[];
  /** Whose answer a paused step waits for (the `answer` step). */
  awaiting?: 'complainant' | 'respondent';
}

const onTeam = (team: Team, address: string) =>
  [...team.handlers, team.supervisor, team.manager].some(
    (a) => a.trim().toLowerCase() === address.trim().toLowerCase(),
  );

/** Who a step goes to before any escalation. */
export function assigneeFor(step: HumanStep, facts: AssignmentFacts): string {
  switch (STEP_DEFINITIONS[step].assignee) {
    case 'team-handler':
      return handlerFor(facts.team, facts.complaintId);
    case 'case-handler':
      // The handler who accepted it, while still on the team (a config change may have taken them off).
      return facts.handler && onTeam(facts.team, facts.handler)
        ? facts.handler
        : handlerFor(facts.team, facts.complaintId);
    case 'reviewer':
      return reviewerFor(facts.team, facts.deciders);
    case 'respondent':
      if (!facts.respondentEmail) throw new Error(`A ${step} step needs the respondent’s email`);
      return facts.respondentEmail;
    case 'awaited':
      if (facts.awaiting !== 'respondent') return facts.complainantEmail;
      if (!facts.respondentEmail) throw new Error('A wait for the respondent needs the respondent’s email');
      return facts.respondentEmail;
    case 'complainant':
      return facts.complainantEmail;
  }
}
