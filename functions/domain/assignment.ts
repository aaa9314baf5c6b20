import type { Team } from './config';
import type { HumanStep } from './lifecycle';

/**
 * Who gets a step. Acceptance goes to one of the team's handlers, spread by the complaint id so
 * the choice is stable across retries and re-drives.
 */
export function assigneeFor(step: HumanStep, team: Team, complaintId: string): string {
  switch (step) {
    case 'acceptance': {
      let hash = 0;
      for (const char of complaintId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
      return team.handlers[hash % team.handlers.length]!;
    }
  }
}
