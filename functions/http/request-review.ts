import middy from '@middy/core';
import { isLanguage, type Language } from '../domain/language';
import { reviewEligibility } from '../domain/review';
import { serviceLevelsFor } from '../domain/config';
import { updateComplaint } from '../lib/complaint-store';
import { formBody, header, json, jsonBody, problemDetails, requestLanguage, ValidationError, type HttpEvent, type HttpResult } from '../lib/http';
import { log } from '../lib/log';
import { ConflictError } from '../lib/problems';
import { settings } from '../lib/settings';
import { complaintForTrackingLink } from '../lib/tracking-auth';
import { completeCurrentTask, resumeComplaintWorkflow } from '../lib/workflow';
import { dynamo } from '../lib/aws-clients';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../lib/table-schema';

const isForm = (event: HttpEvent) => /^application\/x-www-form-urlencoded\b/i.test(header(event, 'content-type') ?? '');

/**
 * POST /complaints/{id}/review-request (复核), by the tracking link, with a `reason`: once per
 * complaint, within the review window after the reply. During the survey it answers the survey
 * with the request; after the case closed it reopens the case and starts a review execution.
 */
async function requestReview(event: HttpEvent): Promise<HttpResult> {
  const form = isForm(event) ? formBody(event) : undefined;
  const body = !form && event.body ? (jsonBody(event) as { reason?: unknown }) : {};
  const { complaint, token } = await complaintForTrackingLink(event, typeof form?.token === 'string' ? form.token : undefined);
  const language: Language = isLanguage(event.queryStringParameters?.lang) ? event.queryStringParameters.lang : complaint.language;
  const back = (notice: string) => ({ statusCode: 303, headers: { location: `${settings().publicBaseUrl}/complaints/${complaint.id}?token=${encodeURIComponent(token)}&lang=${language}&notice=${notice}`, 'cache-control': 'no-store' }, body: '' });
  const reason = String((form ? form.reason : (body as { reason?: unknown }).reason) ?? '').trim();
  if (!reason || reason.length > 2000) {
    if (form) return back('review-reason-missing');
    throw new ValidationError([{ path: 'reason', message: language === 'zh-CN' ? (reason ? '最多 2000 个字符' : '必填：请说明申请复核的理由') : reason ? 'must be at most 2000 characters' : 'is required: say why you ask for a review' }]);
  }
  const { desk, clockScale } = settings();
  const eligibility = reviewEligibility(complaint, serviceLevelsFor(desk, complaint.category, complaint.priority), clockScale, new Date());
  if (!eligibility.ok) {
    if (form) return back('review-refused');
    throw new ConflictError(`urn:redress:problem:review-${eligibility.why}`, eligibility.title, eligibility.detail);
  }

  if (complaint.currentStep === 'survey') {
    // The survey is still open: the request is its answer, and the workflow goes on to the review.
    const done = await completeCurrentTask(complaint.id, 'survey', { step: 'survey', decision: 'request-review', reason }, complaint.complainant.email);
    if (!done) throw new ConflictError('urn:redress:problem:review-not-open', { 'zh-CN': '暂时无法申请复核，请稍后再试', en: 'A review cannot be asked for right now; try again shortly' });
  } else {
    const at = new Date().toISOString();
    // Reopen exactly once: the condition refuses a second request made at the same moment.
    try {
      await dynamo.send(
        new UpdateCommand({
          TableName: settings().tableName,
          Key: keys.complaint(complaint.id),
          UpdateExpression: 'SET reviewRequestedAt = :at, #status = :review, updatedAt = :at REMOVE expiresAt, outcome, closedAt',
          ConditionExpression: 'attribute_not_exists(reviewRequestedAt) AND #status = :closed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':at': at, ':review': 'review', ':closed': 'closed' },
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      if (form) return back('review-refused');
      throw new ConflictError('urn:redress:problem:review-already-requested', { 'zh-CN': '已申请过复核', en: 'A review was already asked for' });
    }
    await updateComplaint(complaint.id, {}, { at, actor: 'complainant', action: 'review.requested', details: { reason } });
    await resumeComplaintWorkflow(complaint, 'BeginReview', 'review');
  }
  log.info('review requested', { complaintId: complaint.id });
  if (form) return back('review-requested');
  return json(202, { id: complaint.id, status: 'review' });
}

export const handler = middy<HttpEvent, HttpResult>().use(problemDetails(requestLanguage)).handler(requestReview);
