import type { ComplaintRecord } from '../domain/complaint';
import { declaredFiles, evidenceFromEvents } from '../domain/evidence-policy';
import type { FieldError } from '../domain/field-errors';
import { COMPLAINT_ID_PATTERN } from '../domain/ids';
import type { Language } from '../domain/language';
import { mayActOnTask, mayReassign, maySeeCase, teamMembers, teamOfCategory, type StaffMember } from '../domain/staff';
import { parseStepDecision, type FormInput, type StepDecision } from '../domain/steps';
import { currentTime } from '../lib/clock';
import { NotFoundError } from '../lib/http';
import { log } from '../lib/log';
import { settings } from '../lib/settings';
import { StaffForbiddenError } from '../lib/problems';
import type { StaffCaseView } from '../pages/staff-views';
import { getComplaint } from '../store/complaints';
import { withDownloadLinks } from '../store/evidence-objects';
import { listEvents } from '../store/events';
import { appendStaffEvent, complaintsOfComplainant } from '../store/staff-queue';
import { openCasesOnSubject } from '../store/related-cases';
import { isOpen } from '../domain/lifecycle';
import { getTaskLink, type TaskLinkRecord } from '../store/task-links';
import { cannedRepliesForCase, filledCannedReply } from './canned-replies';
import { mergedCaseIds } from '../domain/merge';
import { decideTask } from './shared/decide-task';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

const isStaffTask = (link: TaskLinkRecord | undefined, now: Date): link is TaskLinkRecord =>
  !!link &&
  link.state === 'open' &&
  link.dueAt > now.toISOString() &&
  (link.role === 'handler' || link.role === 'supervisor');

/** The case, if the member may see it: a missing one is 404, another team's 403. */
export async function caseForStaff(member: StaffMember, id: string): Promise<ComplaintRecord> {
  const complaint = COMPLAINT_ID_PATTERN.test(id) ? await getComplaint(id) : undefined;
  if (!complaint) throw new NotFoundError(USE_CASE_TEXTS.noSuchComplaint);
  if (!maySeeCase(member, settings().desk, complaint.category)) throw new StaffForbiddenError();
  return complaint;
}

async function viewOf(member: StaffMember, complaint: ComplaintRecord): Promise<StaffCaseView> {
  const { desk } = settings();
  const now = currentTime();
  const [events, link] = await Promise.all([
    listEvents(complaint.id),
    complaint.currentTaskLinkHash ? getTaskLink(complaint.currentTaskLinkHash) : undefined,
  ]);
  const task = isStaffTask(link, now) ? link : undefined;
  const team = teamOfCategory(desk, complaint.category);
  // Cases merged into this one show here: their messages in the thread, their evidence with its own.
  const merged = await Promise.all(
    mergedCaseIds(events).map(async (id) => ({
      id,
      number: String(
        (
          events.find((e) => (e.details?.case as { id?: string } | undefined)?.id === id)?.details?.case as {
            number?: string;
          }
        )?.number ?? id,
      ),
      events: await listEvents(id),
    })),
  );
  return {
    complaint,
    events,
    evidence: await withDownloadLinks([
      ...evidenceFromEvents(events),
      ...merged.flatMap((m) => evidenceFromEvents(m.events)),
    ]),
    ...(complaint.evidenceEnteredBy ? { declared: declaredFiles(events, now) } : {}),
    task,
    mayAct: !!task && mayActOnTask(member, desk, complaint.category, task.assignedTo),
    reassignTo:
      task && team && mayReassign(member, desk, complaint.category)
        ? teamMembers(desk, team).filter((m) => m !== task.assignedTo)
        : [],
    cannedReplies: (await cannedRepliesForCase(complaint)).map(({ id, title }) => ({ id, title })),
    ...(merged.length ? { merged } : {}),
    related: await relatedCases(complaint),
    mayMerge: isOpen(complaint.status) && mayReassign(member, desk, complaint.category),
  };
}

/** From the indexes only: the complainant's other cases (newest 20) and other open cases on the same matter (of its newest 20). */
async function relatedCases(complaint: ComplaintRecord): Promise<NonNullable<StaffCaseView['related']>> {
  const [mine, onSubject] = await Promise.all([
    complaint.complainantKey ? complaintsOfComplainant(complaint.complainantKey, 21) : [],
    complaint.subjectKey ? openCasesOnSubject(complaint.subjectKey, 21) : [],
  ]);
  return {
    complainant: mine
      .filter((c) => c.id !== complaint.id)
      .slice(0, 20)
      .map(({ id, number, status, receivedAt, category }) => ({ id, number, status, receivedAt, category })),
    subject: onSubject
      .filter((c) => c.id !== complaint.id && !mine.some((m) => m.id === c.id))
      .map(({ id, number, status, receivedAt }) => ({ id, number, status, receivedAt })),
  };
}

/** Opens a case for a member; every view is recorded in the case's staff-only history (who, when). */
export async function viewCaseAsStaff(member: StaffMember, id: string): Promise<StaffCaseView> {
  const complaint = await caseForStaff(member, id);
  await appendStaffEvent(complaint.id, {
    at: currentTime().toISOString(),
    actor: member.role,
    action: 'staff.viewed',
    details: { by: member.email },
  });
  return viewOf(member, complaint);
}

export type StaffDecision =
  | { kind: 'recorded'; step: TaskLinkRecord['step']; decision: StepDecision }
  | { kind: 'invalid'; view: StaffCaseView; errors: FieldError[]; values: FormInput }
  | { kind: 'closed'; link?: TaskLinkRecord; now: Date }
  /** The form was for a step the case has left (decided elsewhere first, or moved on). */
  | { kind: 'moved-on' };

/**
 * Decides the case's current task from the desk, through the same path as the emailed link
 * (decideTask): whichever is posted first wins, the other is told it was decided.
 */
export async function decideAsStaff(
  member: StaffMember,
  id: string,
  form: FormInput,
  language: Language,
): Promise<StaffDecision> {
  const complaint = await caseForStaff(member, id);
  const now = currentTime();
  const link = complaint.currentTaskLinkHash ? await getTaskLink(complaint.currentTaskLinkHash) : undefined;
  if (!isStaffTask(link, now)) return { kind: 'closed', link, now };
  if (!mayActOnTask(member, settings().desk, complaint.category, link.assignedTo)) throw new StaffForbiddenError();
  // The page's form names its step: a post for a step already decided never decides the next one.
  if (typeof form.step === 'string' && form.step !== link.step) return { kind: 'moved-on' };
  // A canned reply chosen for an empty reply fills it, for this case, in the complainant's language.
  const canned = typeof form.canned === 'string' ? form.canned : undefined;
  if (link.step === 'reply' && canned && !String(form.reply ?? '').trim())
    form = { ...form, reply: (await filledCannedReply(complaint, canned, 'complainant')) ?? '' };
  const parsed = parseStepDecision(link.step, form, language);
  if (!parsed.ok)
    return { kind: 'invalid', view: await viewOf(member, complaint), errors: parsed.errors, values: form };
  const result = await decideTask(link.linkIdHash, link.nonce, parsed.decision, member.email, now);
  if (!result.recorded) return { kind: 'closed', link: result.link, now };
  log.info('task decided from the staff desk', {
    complaintId: complaint.id,
    step: link.step,
    decision: parsed.decision.decision,
    role: member.role,
  });
  return { kind: 'recorded', step: link.step, decision: parsed.decision };
}
