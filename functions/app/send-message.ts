import { deadlineAfter } from '../domain/deadlines';
import { evidenceFromEvents } from '../domain/evidence-policy';
import type { FieldError } from '../domain/field-errors';
import type { Language } from '../domain/language';
import { isOpen } from '../domain/lifecycle';
import { isPausable, messageEvent, parseMessage, type SentMessage } from '../domain/messages';
import { mayActOnTask, type StaffMember } from '../domain/staff';
import type { MessageAttachment } from '../domain/steps';
import { currentTime } from '../lib/clock';
import { ValidationError } from '../lib/http';
import { log } from '../lib/log';
import { ConflictError, StaffForbiddenError } from '../lib/problems';
import { updateComplaint } from '../store/complaints';
import { listEvents } from '../store/events';
import { getTaskLink } from '../store/task-links';
import { caseContextOf } from './shared/case';
import { decideTask } from './shared/decide-task';
import { deliver } from './shared/notifier';
import { messageMail } from './shared/message-mail';
import { caseForStaff } from './staff-case';
import { filledCannedReply } from './canned-replies';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

const CLOSED = USE_CASE_TEXTS.messageCaseClosed;

/**
 * A staff member writes to the complainant or the respondent, at any step, if they may act on
 * the case (its current holder or someone above; on a case waiting for someone outside the desk,
 * its handler or someone above). The message, its event and its email (the outbox) are one write.
 * With `awaitAnswer` the case's staff step pauses: the step's task is decided as `await-answer`
 * (its link claimed, the time left kept, the `answer` wait opened, the mail queued) through the
 * same path as every decision, so a message and a decision on the same task cannot both win.
 */
export async function sendMessage(
  member: StaffMember,
  id: string,
  body: Record<string, unknown>,
  language: Language,
): Promise<{ message: SentMessage; awaiting: boolean }> {
  const complaint = await caseForStaff(member, id);
  const context = caseContextOf(complaint);
  const { desk, levels, clockScale } = context;
  if (!isOpen(complaint.status)) throw new ConflictError('urn:redress:problem:case-closed', CLOSED);
  const now = currentTime();
  const link = complaint.currentTaskLinkHash ? await getTaskLink(complaint.currentTaskLinkHash) : undefined;
  const staffTask =
    link?.state === 'open' && (link.role === 'handler' || link.role === 'supervisor') ? link : undefined;
  const holder = staffTask?.assignedTo ?? complaint.handler ?? complaint.assignee ?? '';
  if (!mayActOnTask(member, desk, complaint.category, holder)) throw new StaffForbiddenError();

  // A canned reply chosen with no text of its own fills it, for this case, in the recipient's language.
  const canned = typeof body.canned === 'string' && body.canned ? body.canned : undefined;
  const to = body.to === 'complainant' || body.to === 'respondent' ? body.to : undefined;
  const filled =
    canned && to && !String(body.text ?? '').trim() ? await filledCannedReply(complaint, canned, to) : undefined;
  const parsed = parseMessage(filled !== undefined ? { ...body, text: filled } : body, language);
  const errors: FieldError[] = parsed.ok ? [] : [...parsed.errors];
  if (canned && to && filled === undefined && !String(body.text ?? '').trim())
    errors.push({ path: 'canned', message: USE_CASE_TEXTS.noSuchCannedReply[language] });
  if (parsed.ok && parsed.message.to === 'respondent' && !complaint.respondentEmail)
    errors.push({
      path: 'to',
      message: USE_CASE_TEXTS.noRespondentToWrite[language],
    });
  const events = parsed.ok && parsed.message.attachments.length ? await listEvents(complaint.id) : [];
  const recorded = new Map(evidenceFromEvents(events).map((e) => [e.id, e]));
  const attachments: MessageAttachment[] = [];
  if (parsed.ok)
    for (const evidenceId of parsed.message.attachments) {
      const file = recorded.get(evidenceId);
      if (!file) {
        errors.push({
          path: 'attachments',
          message: USE_CASE_TEXTS.messageAttachmentUnknown(evidenceId)[language],
        });
        continue;
      }
      attachments.push({ id: file.id, name: file.name, contentType: file.contentType, size: file.size });
    }
  if (parsed.ok && parsed.message.awaitAnswer && (!staffTask || !isPausable(complaint.currentStep)))
    errors.push({
      path: 'awaitAnswer',
      message: USE_CASE_TEXTS.awaitAnswerWrongStep[language],
    });
  if (!parsed.ok || errors.length) throw new ValidationError(errors);
  const input = parsed.message;
  const at = now.toISOString();

  if (input.awaitAnswer && staffTask && isPausable(complaint.currentStep)) {
    const until = input.answerBy
      ? new Date(input.answerBy).toISOString()
      : deadlineAfter(
          now,
          input.answerWithinDays ? input.answerWithinDays * 86_400 : levels.informationSeconds,
          clockScale,
          levels.calendar,
        ).toISOString();
    if (until <= at) throw new ValidationError([{ path: 'answerBy', message: USE_CASE_TEXTS.mustBeFuture[language] }]);
    const result = await decideTask(
      staffTask.linkIdHash,
      staffTask.nonce,
      {
        step: complaint.currentStep,
        decision: 'await-answer',
        to: input.to,
        text: input.text,
        until,
        attachments,
      },
      member.email,
      now,
    );
    if (!result.recorded) throw new ConflictError('urn:redress:problem:step-moved', USE_CASE_TEXTS.stepMoved);
    log.info('message sent, step paused for its answer', {
      complaintId: complaint.id,
      step: complaint.currentStep,
      to: input.to,
    });
    return {
      message: { to: input.to, text: input.text, by: member.email, at, awaitUntil: until, attachments },
      awaiting: true,
    };
  }

  const message: SentMessage = { to: input.to, text: input.text, by: member.email, at, attachments };
  const mail = await messageMail(complaint, message);
  await updateComplaint(complaint.id, {}, messageEvent(message, member.role), mail.writes, { whileOpen: true });
  await deliver(mail);
  log.info('message sent', { complaintId: complaint.id, to: input.to });
  return { message, awaiting: false };
}
