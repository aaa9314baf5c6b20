import type { ComplaintRecord } from '../domain/complaint';
import type { FieldError } from '../domain/field-errors';
import type { ComplaintEvent } from '../domain/history';
import { hashSecret } from '../domain/ids';
import type { Language } from '../domain/language';
import { parseStepDecision, type FormInput, type StepDecision } from '../domain/steps';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { trackingUrl } from '../lib/links';
import { isOpen as isCaseOpen } from '../domain/lifecycle';
import { getComplaint } from '../store/complaints';
import { listEvents } from '../store/events';
import { getTaskLink, type TaskLinkRecord } from '../store/task-links';
import { decideTask } from './decide-task';

const LINK_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** What a task link shows: its open task with the case, or what became of it. */
export type TaskLinkView = { kind: 'open'; link: TaskLinkRecord; complaint: ComplaintRecord; events: ComplaintEvent[] } | ClosedLink;

/** A link that takes no decision; for a staff task of a case still open, who holds that case now. */
export type ClosedLink = { kind: 'closed'; link?: TaskLinkRecord; now: Date; currentHolder?: string };

/** What a decision posted on a task link came to. */
export type TaskLinkDecision =
  | { kind: 'recorded'; link: TaskLinkRecord; decision: StepDecision; trackingUrl?: string }
  | { kind: 'invalid'; view: Extract<TaskLinkView, { kind: 'open' }>; errors: FieldError[]; values: FormInput }
  | ClosedLink
  | { kind: 'refused' };

export async function taskLinkOf(linkId: string): Promise<TaskLinkRecord | undefined> {
  return LINK_ID.test(linkId) ? getTaskLink(hashSecret(linkId)) : undefined;
}

const isOpen = (link: TaskLinkRecord | undefined, now: Date): link is TaskLinkRecord => !!link && link.state === 'open' && new Date(link.dueAt) > now;

async function closedLink(link: TaskLinkRecord | undefined, now: Date): Promise<ClosedLink> {
  if (!link || (link.role !== 'handler' && link.role !== 'supervisor')) return { kind: 'closed', link, now };
  const complaint = await getComplaint(link.complaintId);
  return { kind: 'closed', link, now, ...(complaint && isCaseOpen(complaint.status) && complaint.assignee ? { currentHolder: complaint.assignee } : {}) };
}

async function viewOf(link: TaskLinkRecord | undefined, now: Date): Promise<TaskLinkView> {
  if (!isOpen(link, now)) return closedLink(link, now);
  const complaint = await getComplaint(link.complaintId);
  if (!complaint) return { kind: 'closed', now };
  return { kind: 'open', link, complaint, events: await listEvents(link.complaintId) };
}

/** Opening a link shows its task; it never changes anything (mail scanners open links). */
export async function showTaskLink(link: TaskLinkRecord | undefined): Promise<TaskLinkView> {
  return viewOf(link, currentTime());
}

/** Posting a link's form decides its task: first writer wins on the link, then the workflow is told. */
export async function decideByTaskLink(link: TaskLinkRecord | undefined, form: FormInput, language: Language): Promise<TaskLinkDecision> {
  const now = currentTime();
  if (!isOpen(link, now)) return closedLink(link, now);
  const parsed = parseStepDecision(link.step, form, language);
  if (!parsed.ok) {
    const view = await viewOf(link, now);
    return view.kind === 'open' ? { kind: 'invalid', view, errors: parsed.errors, values: form } : view;
  }
  const result = await decideTask(link.linkIdHash, typeof form.nonce === 'string' ? form.nonce : '', parsed.decision, link.assignedTo, now);
  if (!result.sent) return result.why === 'lost' ? closedLink(result.link, now) : { kind: 'refused' };
  log.info('task decided', { complaintId: link.complaintId, step: link.step, decision: parsed.decision.decision });
  // The complainant goes on to their tracking page; staff to the desk (the page links it).
  const complaint = link.role === 'complainant' ? await getComplaint(link.complaintId) : undefined;
  return { kind: 'recorded', link, decision: parsed.decision, ...(complaint ? { trackingUrl: await trackingUrl(complaint.id, complaint.trackingSalt) } : {}) };
}
