import { escalationAt, escalationChain } from '../domain/escalation';
import type { HumanStep } from '../domain/lifecycle';
import { deadlineAfter, secondsLate, secondsUntil } from '../domain/deadlines';
import { log } from '../lib/log';
import { recordEscalation } from '../lib/metrics';
import { baseAssigneeOf, loadCase } from './case';
import type { StepTimer } from './begin-step';
import { currentTime } from '../lib/clock';
import { updateComplaint } from '../store/complaints';

export interface EscalateStepInput {
  complaintId: string;
  step: HumanStep;
  level: number;
}

/**
 * A staff step's deadline passed. Records which deadline was missed, by whom and how late, then
 * moves the task one person up with a grace period (the next OpenTask retires the old link,
 * saying to whom it moved). Past the manager the task is breached: the manager keeps it for a
 * final wait. After that the escalation is exhausted and the workflow fails visibly.
 */
export async function escalateStep(input: EscalateStepInput): Promise<StepTimer & { exhausted: boolean }> {
  const context = await loadCase(input.complaintId);
  const { complaint, team, levels, clockScale } = context;
  const now = currentTime();
  const base = await baseAssigneeOf(context, input.step);
  const next = escalationAt(input.level + 1, escalationChain(base, team), levels);
  const missedDeadline = complaint.deadlineAt ?? now.toISOString();
  const lateBySeconds = secondsLate(new Date(missedDeadline), now);
  const details = { step: input.step, fromLevel: input.level, toLevel: next.level, missedDeadline, lateBySeconds, from: complaint.assignee, ...(next.exhausted ? {} : { to: next.assignee, breached: next.breached }) };

  recordEscalation(next, team);
  if (next.exhausted) {
    await updateComplaint(complaint.id, { breached: true }, { at: now.toISOString(), actor: 'system', action: 'deadline.missed', details: { ...details, exhausted: true } });
    log.error('escalation exhausted', { complaintId: complaint.id, step: input.step, lateBySeconds });
    return { step: input.step, level: next.level, timeoutSeconds: 1, exhausted: true };
  }
  const deadlineAt = deadlineAfter(now, next.waitSeconds, clockScale).toISOString();
  await updateComplaint(complaint.id, { level: next.level, deadlineAt, ...(next.breached ? { breached: true } : {}) }, { at: now.toISOString(), actor: 'system', action: 'task.escalated', details }, [], { whileOpen: true });
  log.warn('task escalated', { complaintId: complaint.id, step: input.step, level: next.level, breached: next.breached, lateBySeconds });
  return { step: input.step, level: next.level, timeoutSeconds: secondsUntil(new Date(deadlineAt), now), exhausted: false };
}

