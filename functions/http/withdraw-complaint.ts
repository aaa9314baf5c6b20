import middy from '@middy/core';
import { isOpen } from '../domain/lifecycle';
import { closeComplaint, markTaskLinkMoved } from '../lib/complaint-store';
import { formBody, json, jsonBody, problemDetails, requestLanguage, type HttpEvent, type HttpResult } from '../lib/http';
import { trackingUrl } from '../lib/links';
import { log, logContext } from '../lib/log';
import { sendEmail } from '../lib/mailer';
import { ConflictError } from '../lib/problems';
import { settings } from '../lib/settings';
import { backToTracking, complaintForTrackingLink, isFormPost } from '../lib/tracking-auth';
import { stopComplaintWorkflow } from '../lib/workflow';
import { closedEmail } from '../pages/emails';
import { currentTime } from '../lib/clock';

const CLOSED = { 'zh-CN': '该投诉已结束，无法撤回', en: 'This complaint has already ended; it cannot be withdrawn' };

/**
 * POST /complaints/{id}/withdrawal, by the tracking link: the complainant withdraws at any stage.
 * The execution is stopped, the open task link says the case ended, and the complaint closes as
 * withdrawn with its event; the complainant gets a confirmation. JSON gets 200; the tracking
 * page's plain form a 303 back to the page.
 */
async function withdrawComplaint(event: HttpEvent): Promise<HttpResult> {
  const form = isFormPost(event) ? formBody(event) : undefined;
  const body = !form && event.body ? (jsonBody(event) as { reason?: unknown }) : undefined;
  const { complaint, token, language } = await complaintForTrackingLink(event, typeof form?.token === 'string' ? form.token : undefined);
  const back = (notice: string) => backToTracking(complaint.id, token, language, notice);
  const reason = String((form?.reason ?? body?.reason ?? '') || '').slice(0, 2000) || undefined;

  if (!isOpen(complaint.status)) {
    if (form) return back('withdraw-closed');
    throw new ConflictError('urn:redress:problem:complaint-closed', CLOSED);
  }
  const at = currentTime().toISOString();
  const closed = await closeComplaint(complaint.id, 'withdrawn', at, settings().desk.retentionDays, [
    { at, actor: 'complainant', action: 'complaint.withdrawn', details: { step: complaint.currentStep, ...(reason ? { reason } : {}) } },
  ]);
  if (!closed) {
    if (form) return back('withdraw-closed');
    throw new ConflictError('urn:redress:problem:complaint-closed', CLOSED);
  }
  // Closed first, then stopped: a step that runs in between finds the case closed and does nothing.
  await stopComplaintWorkflow(complaint, 'Withdrawn by the complainant');
  if (complaint.currentTaskLinkHash) await markTaskLinkMoved(complaint.currentTaskLinkHash, at, 'closed');
  await sendEmail(closedEmail({ to: complaint.complainant.email, name: complaint.complainant.name, number: complaint.number, trackingUrl: await trackingUrl(complaint.id, complaint.trackingSalt), language: complaint.language, outcome: 'withdrawn' })).catch((error) =>
    log.error('withdrawal recorded but not emailed', { complaintId: complaint.id, error }),
  );
  log.info('complaint withdrawn', { complaintId: complaint.id, step: complaint.currentStep });
  if (form) return back('withdrawn');
  return json(200, { id: complaint.id, status: 'closed', outcome: 'withdrawn', closedAt: at });
}

export const handler = middy<HttpEvent, HttpResult>().use(logContext()).use(problemDetails(requestLanguage)).handler(withdrawComplaint);
