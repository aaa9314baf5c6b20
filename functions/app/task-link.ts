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
import { complainantKeyOf } from '../domain/intake-rules';
import { getComplaint } from '../store/complaints';
import { listEvents } from '../store/events';
import { withDownloadLinks } from '../store/evidence-objects';
import { evidenceFromEvents } from '../domain/evidence-policy';
import type { LinkedEvidence } from '../pages/evidence-list';
import { getTaskLink, type TaskLinkRecord } from '../store/task-links';
import { markEngaged } from '../store/engaged-addresses';
import { decideTask, DecisionNotRecordedError, type TaskDecisionResult } from './shared/decide-task';
import { mayHoldTaskLink } from '../domain/staff';
import { settings } from '../lib/settings';

const LINK_ID = /^[A-Za-z0-9_-]{16,64}$/;

/** What a task link shows: its open task with the case, or what became of it. */
export type TaskLinkView = OpenTask | ClosedLink;

/** An open task with its case; `evidence` (with short-lived download links) for staff links only. */
export interface OpenTask {
  kind: 'open';
  link: TaskLinkRecord;
  complaint: ComplaintRecord;
  events: ComplaintEvent[];
  evidence?: LinkedEvidence[];
}

/**
 * A link that takes no decision; for a staff task of a case still open, who holds that case now;
 * `caseClosed` when the case ended with the link still open; `posted` when a decision was posted
 * on it (and so not recorded).
 */
export type ClosedLink = {
  kind: 'closed';
  link?: TaskLinkRecord;
  now: Date;
  currentHolder?: string;
  caseClosed?: boolean;
  posted?: boolean;
  /** A staff link whose holder is no longer staff at its place: it shows nothing of the case. */
  holderGone?: boolean;
};

/** What a decision posted on a task link came to; `not-recorded`: nothing recorded, the link still works, try again later. */
export type TaskLinkDecision =
  | { kind: 'recorded'; link: TaskLinkRecord; decision: StepDecision; trackingUrl?: string }
  | { kind: 'invalid'; view: OpenTask; errors: FieldError[]; values: FormInput }
  | ClosedLink
  | { kind: 'not-recorded'; retryAfterSeconds: number };

export async function taskLinkOf(linkId: string): Promise<TaskLinkRecord | undefined> {
  return LINK_ID.test(linkId) ? getTaskLink(hashSecret(linkId)) : undefined;
}

/** Whether a link takes a decision: open, before its deadline. */
function takesDecision(link: TaskLinkRecord, now: Date): boolean {
  return link.state === 'open' && new Date(link.dueAt) > now;
}

const isStaffLink = (link: TaskLinkRecord) => link.role === 'handler' || link.role === 'supervisor';

/** A staff link acts only for someone still staff at its place (the config is the directory). */
function holderGone(link: TaskLinkRecord, complaint: ComplaintRecord): boolean {
  return (
    isStaffLink(link) &&
    !mayHoldTaskLink(settings().desk, complaint.category, link.assignedTo, link.role as 'handler' | 'supervisor')
  );
}

async function closedLink(link: TaskLinkRecord | undefined, now: Date, posted = false): Promise<ClosedLink> {
  const closed: ClosedLink = { kind: 'closed', link, now, ...(posted ? { posted } : {}) };
  const staff = link?.role === 'handler' || link?.role === 'supervisor';
  // A staff link names who holds the case now; a link still open says whether its case ended.
  if (!link || (!staff && link.state !== 'open')) return closed;
  const complaint = await getComplaint(link.complaintId);
  if (!complaint) return closed;
  if (staff && holderGone(link, complaint)) return { ...closed, holderGone: true };
  if (!isCaseOpen(complaint.status)) return link.state === 'open' ? { ...closed, caseClosed: true } : closed;
  return staff && complaint.assignee ? { ...closed, currentHolder: complaint.assignee } : closed;
}

async function viewOf(link: TaskLinkRecord | undefined, now: Date): Promise<TaskLinkView> {
  if (!link || !takesDecision(link, now)) return closedLink(link, now);
  const complaint = await getComplaint(link.complaintId);
  if (!complaint) return { kind: 'closed', now };
  if (holderGone(link, complaint)) return { kind: 'closed', link, now, holderGone: true };
  if (!isCaseOpen(complaint.status)) return { kind: 'closed', link, now, caseClosed: true };
  const events = await listEvents(link.complaintId);
  // Staff see the evidence with short-lived download links; complainants and respondents do not.
  const evidence = isStaffLink(link) ? await withDownloadLinks(evidenceFromEvents(events)) : undefined;
  return { kind: 'open', link, complaint, events, ...(evidence ? { evidence } : {}) };
}

/** Opening a link shows its task; it never changes anything (mail scanners open links). */
export async function showTaskLink(link: TaskLinkRecord | undefined): Promise<TaskLinkView> {
  return viewOf(link, currentTime());
}

/** Posting a link's form decides its task: first writer wins on the link, then the workflow is told. */
export async function decideByTaskLink(
  link: TaskLinkRecord | undefined,
  form: FormInput,
  language: Language,
): Promise<TaskLinkDecision> {
  const now = currentTime();
  if (!link || !takesDecision(link, now)) return closedLink(link, now, true);
  if (isStaffLink(link)) {
    const complaint = await getComplaint(link.complaintId);
    if (complaint && holderGone(link, complaint)) return { kind: 'closed', link, now, posted: true, holderGone: true };
  }
  const parsed = parseStepDecision(link.step, form, language);
  if (!parsed.ok) {
    const view = await viewOf(link, now);
    return view.kind === 'open' ? { kind: 'invalid', view, errors: parsed.errors, values: form } : view;
  }
  let result: TaskDecisionResult;
  try {
    result = await decideTask(
      link.linkIdHash,
      typeof form.nonce === 'string' ? form.nonce : '',
      parsed.decision,
      link.assignedTo,
      now,
    );
  } catch (error) {
    if (error instanceof DecisionNotRecordedError)
      return { kind: 'not-recorded', retryAfterSeconds: error.retryAfterSeconds };
    throw error;
  }
  if (!result.recorded) return closedLink(result.link, now, true);
  log.info('task decided', { complaintId: link.complaintId, step: link.step, decision: parsed.decision.decision });
  // The complainant goes on to their tracking page; staff to the desk (the page links it).
  const complaint = link.role === 'complainant' ? await getComplaint(link.complaintId) : undefined;
  // A link that only reached the complainant by mail was used: their address is real.
  if (complaint) await markEngaged(complainantKeyOf(complaint.complainant), now.toISOString());
  return {
    kind: 'recorded',
    link,
    decision: parsed.decision,
    ...(complaint ? { trackingUrl: await trackingUrl(complaint.id, complaint.trackingSalt) } : {}),
  };
}
