import middy from '@middy/core';
import type { HumanStep } from '../domain/lifecycle';
import { getComplaint, updateComplaint } from '../lib/complaint-store';
import { log } from '../lib/log';

export interface RecordMissedDeadlineInput {
  complaintId: string;
  step: HumanStep;
}

/** A task's deadline passed with no decision: the complaint shows it as breached, with how late. */
async function recordMissedDeadline(input: RecordMissedDeadlineInput): Promise<{ lateBySeconds: number }> {
  const complaint = await getComplaint(input.complaintId);
  if (!complaint) throw new Error(`Complaint ${input.complaintId} not found`);
  const now = new Date();
  const deadlineAt = complaint.deadlineAt ?? complaint.acceptanceDeadlineAt;
  const lateBySeconds = Math.max(0, Math.round((now.getTime() - new Date(deadlineAt).getTime()) / 1000));
  if (complaint.status !== 'breached') {
    await updateComplaint(complaint.id, { status: 'breached' }, { at: now.toISOString(), actor: 'system', action: 'deadline.missed', details: { step: input.step, assignee: complaint.assignee, deadlineAt, lateBySeconds } });
    log.warn('deadline missed', { complaintId: complaint.id, step: input.step, lateBySeconds });
  }
  return { lateBySeconds };
}

export const handler = middy<RecordMissedDeadlineInput, { lateBySeconds: number }>().handler(recordMissedDeadline);
