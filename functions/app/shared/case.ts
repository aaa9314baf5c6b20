import { assigneeFor } from '../../domain/assignment';
import type { ComplaintRecord } from '../../domain/complaint';
import type { DeskConfig, ServiceLevels, Team } from '../../domain/config';
import { serviceLevelsFor, teamFor } from '../../domain/desk';
import type { HumanStep } from '../../domain/lifecycle';
import { settings } from '../../lib/settings';
import { getComplaint } from '../../store/complaints';
import { listEvents } from '../../store/events';
import { getTaskLink } from '../../store/task-links';

/** A complaint with what every step needs to act on it: the desk, its team and its service levels. */
export interface CaseContext {
  complaint: ComplaintRecord;
  desk: DeskConfig;
  team: Team;
  levels: ServiceLevels;
  clockScale: number;
}

export function caseContextOf(complaint: ComplaintRecord): CaseContext {
  const { desk, clockScale } = settings();
  return {
    complaint,
    desk,
    team: teamFor(desk, complaint.category),
    levels: serviceLevelsFor(desk, complaint.category, complaint.priority),
    clockScale,
  };
}

export async function loadCase(complaintId: string): Promise<CaseContext> {
  const complaint = await getComplaint(complaintId);
  if (!complaint) throw new Error(`Complaint ${complaintId} not found`);
  return caseContextOf(complaint);
}

export async function currentLinkOf(complaint: ComplaintRecord) {
  return complaint.currentTaskLinkHash ? getTaskLink(complaint.currentTaskLinkHash) : undefined;
}

/**
 * Who a step goes to before any escalation. Only a review needs the case's history (its reviewer
 * must not have decided any step), so only a review reads it.
 */
export async function baseAssigneeOf({ complaint, team }: CaseContext, step: HumanStep): Promise<string> {
  const deciders =
    step === 'review'
      ? (await listEvents(complaint.id))
          .filter((e) => e.action === 'decision.recorded')
          .map((e) => String(e.details?.decidedBy ?? ''))
      : [];
  return assigneeFor(step, {
    team,
    complaintId: complaint.id,
    handler: complaint.handler,
    complainantEmail: complaint.complainant.email,
    respondentEmail: complaint.respondentEmail,
    deciders,
  });
}
