import middy from '@middy/core';
import { reviewEligibility } from '../domain/review';
import { serviceLevelsFor } from '../domain/config';
import { reopenForReview } from '../lib/complaint-store';
import { formBody, json, jsonBody, problemDetails, requestLanguage, ValidationError, type HttpEvent, type HttpResult } from '../lib/http';
import { log, logContext } from '../lib/log';
import { ConflictError } from '../lib/problems';
import { settings } from '../lib/settings';
import { backToTracking, complaintForTrackingLink, isFormPost } from '../lib/tracking-auth';
import { completeCurrentTask, resumeComplaintWorkflow } from '../lib/workflow';
import { currentTime } from '../lib/clock';


/**
 * POST /complaints/{id}/review-request (复核), by the tracking link, with a `reason`: once per
 * complaint, within the review window after the reply. During the survey it answers the survey
 * with the request; after the case closed it reopens the case and starts a review execution.
 */
async function requestReview(event: HttpEvent): Promise<HttpResult> {
  const form = isFormPost(event) ? formBody(event) : undefined;
  const body = !form && event.body ? (jsonBody(event) as { reason?: unknown }) : {};
  const { complaint, token, language } = await complaintForTrackingLink(event, typeof form?.token === 'string' ? form.token : undefined);
  const back = (notice: string) => backToTracking(complaint.id, token, language, notice);
  const reason = String((form ? form.reason : (body as { reason?: unknown }).reason) ?? '').trim();
  if (!reason || reason.length > 2000) {
    if (form) return back('review-reason-missing');
    throw new ValidationError([{ path: 'reason', message: language === 'zh-CN' ? (reason ? '最多 2000 个字符' : '必填：请说明申请复核的理由') : reason ? 'must be at most 2000 characters' : 'is required: say why you ask for a review' }]);
  }
  const { desk, clockScale } = settings();
  const eligibility = reviewEligibility(complaint, serviceLevelsFor(desk, complaint.category, complaint.priority), clockScale, currentTime());
  if (!eligibility.ok) {
    if (form) return back('review-refused');
    throw new ConflictError(`urn:redress:problem:review-${eligibility.why}`, eligibility.title, eligibility.detail);
  }

  if (complaint.currentStep === 'survey') {
    // The survey is still open: the request is its answer, and the workflow goes on to the review.
    const done = await completeCurrentTask(complaint.id, 'survey', { step: 'survey', decision: 'request-review', reason }, complaint.complainant.email);
    if (!done) throw new ConflictError('urn:redress:problem:review-not-open', { 'zh-CN': '暂时无法申请复核，请稍后再试', en: 'A review cannot be asked for right now; try again shortly' });
  } else {
    if (!(await reopenForReview(complaint.id, currentTime().toISOString(), reason))) {
      if (form) return back('review-refused');
      throw new ConflictError('urn:redress:problem:review-already-requested', { 'zh-CN': '已申请过复核', en: 'A review was already asked for' });
    }
    await resumeComplaintWorkflow(complaint, 'BeginReview', 'review');
  }
  log.info('review requested', { complaintId: complaint.id });
  if (form) return back('review-requested');
  return json(202, { id: complaint.id, status: 'review' });
}

export const handler = middy<HttpEvent, HttpResult>().use(logContext()).use(problemDetails(requestLanguage)).handler(requestReview);
