import middy from '@middy/core';
import { isOpen, STEP_ROLE } from '../domain/lifecycle';
import { getComplaint, recordReminder } from '../lib/complaint-store';
import { formBody, json, jsonBody, problemDetails, requestLanguage, type HttpEvent, type HttpResult } from '../lib/http';
import { log, logContext } from '../lib/log';
import { sendEmail } from '../lib/mailer';
import { ConflictError, TooManyRequestsError } from '../lib/problems';
import { settings } from '../lib/settings';
import { backToTracking, complaintForTrackingLink, isFormPost } from '../lib/tracking-auth';
import { reminderEmail } from '../pages/intake-emails';
import type { NoticeId } from '../pages/self-service';
import { currentTime } from '../lib/clock';


const NOBODY = { 'zh-CN': '目前没有可以催办的处理人员', en: 'There is nobody to remind yet' };
const NOBODY_DETAIL = {
  'zh-CN': '投诉尚未分派给处理人员，或正在等待您本人操作（补充证据、信息或评价）。',
  en: 'Your complaint has not been assigned to anyone yet, or it is waiting for you (evidence, information or your rating).',
};
const CLOSED = { 'zh-CN': '该投诉已结案，无法催办', en: 'This complaint is closed; it cannot be chased' };
const TOO_SOON = { 'zh-CN': '每个投诉每天只能催办一次', en: 'One reminder a day per complaint' };

/**
 * POST /complaints/{id}/reminders (催办), by the tracking link: emails the current assignee and
 * records it, at most once per `intake.reminderHours` (a conditional write on `lastReminderAt`,
 * so two clicks at once send one). JSON gets 201 / 409 / 429 with Retry-After; the tracking
 * page's plain form gets a 303 back to the page with a notice.
 */
async function sendReminder(event: HttpEvent): Promise<HttpResult> {
  const form = isFormPost(event) ? formBody(event) : undefined;
  if (!form && event.body) jsonBody(event);
  const formToken = form?.token;
  const { complaint, token, language } = await complaintForTrackingLink(event, typeof formToken === 'string' ? formToken : undefined);
  const { desk, clockScale } = settings();
  const back = (notice: NoticeId) => backToTracking(complaint.id, token, language, notice);

  // The interval is a service level: the clock scale shrinks it like every deadline.
  const intervalMs = (desk.intake.reminderHours * 3_600_000) / clockScale;
  const now = currentTime();
  const at = now.toISOString();
  const threshold = new Date(now.getTime() - intervalMs).toISOString();
  const step = complaint.currentStep;
  const waitingForComplainant = step !== undefined && STEP_ROLE[step] === 'complainant';

  if (!isOpen(complaint.status)) {
    if (form) return back('reminder-closed');
    throw new ConflictError('urn:redress:problem:complaint-closed', CLOSED);
  }
  if (!complaint.assignee || waitingForComplainant) {
    if (form) return back('reminder-nobody');
    throw new ConflictError('urn:redress:problem:nobody-to-remind', NOBODY, NOBODY_DETAIL);
  }
  const recorded = await recordReminder(complaint.id, at, threshold, { at, actor: 'complainant', action: 'reminder.sent', details: { assignee: complaint.assignee, step } });
  if (!recorded) {
    const latest = (await getComplaint(complaint.id))?.lastReminderAt ?? at;
    const nextAt = new Date(new Date(latest).getTime() + intervalMs);
    if (form) return back('reminder-too-soon');
    throw new TooManyRequestsError('urn:redress:problem:reminder-too-soon', TOO_SOON, (nextAt.getTime() - now.getTime()) / 1000, { lastReminderAt: latest, nextReminderAt: nextAt.toISOString() });
  }
  try {
    await sendEmail(reminderEmail({ to: complaint.assignee, number: complaint.number, step, deadlineAt: complaint.deadlineAt, timeZone: desk.timeZone }));
  } catch (error) {
    log.error('reminder recorded but not emailed', { complaintId: complaint.id, error });
  }
  log.info('reminder sent', { complaintId: complaint.id, step });
  if (form) return back('reminder-sent');
  return json(201, { sentAt: at, nextReminderAt: new Date(now.getTime() + intervalMs).toISOString() });
}

export const handler = middy<HttpEvent, HttpResult>().use(logContext()).use(problemDetails(requestLanguage)).handler(sendReminder);
