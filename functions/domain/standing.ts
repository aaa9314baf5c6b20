import type { ComplaintRecord } from './complaint';
import type { ComplaintEvent } from './history';
import { isOpen, STEP_ROLE, type HumanStep, type Outcome } from './lifecycle';

/**
 * Where a case stands, as its complainant may know it: whose turn it is and by when, and once it
 * has ended, how — the outcome, the reply with its grounds and follow-up, the rating given, the
 * reason given for a withdrawal. Never a staff address.
 */
export interface CaseStanding {
  open: boolean;
  step?: HumanStep;
  /** Whose turn it is: the complainant's own (evidence, information, rating), the desk's, or the other party's. */
  waitingFor?: 'you' | 'desk' | 'respondent';
  /** The current step's deadline. */
  dueBy?: string;
  /** Past a missed deadline: when the complainant was told to expect an answer. */
  late?: { expectedBy?: string };
  outcome?: Outcome;
  closedAt?: string;
  reply?: { reply: string; grounds?: string; followUp?: string };
  rating?: number;
  withdrawalReason?: string;
  /** The final ruling of a review (复核). */
  reviewRuledAt?: string;
}

export function caseStanding(complaint: ComplaintRecord, events: readonly ComplaintEvent[]): CaseStanding {
  const open = isOpen(complaint.status);
  const step = open ? complaint.currentStep : undefined;
  // A message's wait is the turn of whoever it awaits.
  const role = step === 'answer' ? (complaint.paused?.to ?? 'complainant') : step ? STEP_ROLE[step] : undefined;
  const waitingFor = !step ? undefined : role === 'complainant' ? 'you' : role === 'respondent' ? 'respondent' : 'desk';
  const delay = [...events].reverse().find((e) => e.action === 'delay.notified');
  const late =
    open && waitingFor !== 'you' && (complaint.breached || (complaint.level ?? 0) > 0)
      ? { ...(typeof delay?.details?.expectedBy === 'string' ? { expectedBy: delay.details.expectedBy } : {}) }
      : undefined;
  const withdrawal = events.find((e) => e.action === 'complaint.withdrawn');
  const withdrawalReason =
    typeof withdrawal?.details?.reason === 'string' && withdrawal.details.reason
      ? withdrawal.details.reason
      : undefined;
  return {
    open,
    ...(step ? { step, waitingFor } : {}),
    ...(step && complaint.deadlineAt ? { dueBy: complaint.deadlineAt } : {}),
    ...(late ? { late } : {}),
    ...(complaint.outcome ? { outcome: complaint.outcome } : {}),
    ...(complaint.closedAt ? { closedAt: complaint.closedAt } : {}),
    ...(complaint.reply ? { reply: complaint.reply } : {}),
    ...(complaint.satisfaction ? { rating: complaint.satisfaction } : {}),
    ...(withdrawalReason ? { withdrawalReason } : {}),
    ...(complaint.finalRulingAt ? { reviewRuledAt: complaint.finalRulingAt } : {}),
  };
}
