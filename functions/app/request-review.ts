import { serviceLevelsFor } from '../domain/desk';
import { reviewEligibility } from '../domain/review';
import { currentTime } from '../lib/clock';
import { ValidationError } from '../lib/http';
import { log } from '../lib/log';
import { ConflictError } from '../lib/problems';
import { settings } from '../lib/settings';
import { startReviewWorkflow } from './shared/workflow';
import { workflowPendingShard } from '../store/pending-starts';
import { reopenForReview } from '../store/complaints';
import { completeCurrentTask } from './shared/decide-task';
import { done, refused, textField, type SelfServiceInput, type SelfServiceResult } from './shared/self-service';

/**
 * A review (复核), with a `reason`: once per complaint, within the review window after the reply.
 * During the survey it answers the survey with the request; after the case closed it reopens the
 * case and starts a review execution.
 */
export async function requestReview({ complaint, fields, language }: SelfServiceInput): Promise<SelfServiceResult> {
  const reason = textField(fields, 'reason');
  if (!reason || reason.length > 2000) {
    const zh = language === 'zh-CN';
    return refused(
      'review-reason-missing',
      new ValidationError([
        {
          path: 'reason',
          message: zh
            ? reason
              ? '最多 2000 个字符'
              : '必填：请说明申请复核的理由'
            : reason
              ? 'must be at most 2000 characters'
              : 'is required: say why you ask for a review',
        },
      ]),
    );
  }
  const { desk, clockScale } = settings();
  const now = currentTime();
  const eligibility = reviewEligibility(
    complaint,
    serviceLevelsFor(desk, complaint.category, complaint.priority),
    clockScale,
    now,
  );
  if (!eligibility.ok)
    return refused(
      'review-refused',
      new ConflictError(`urn:redress:problem:review-${eligibility.why}`, eligibility.title, eligibility.detail),
    );

  if (complaint.currentStep === 'survey') {
    // The survey is still open: the request is its answer, and the workflow goes on to the review.
    const answered = await completeCurrentTask(
      complaint.id,
      'survey',
      { step: 'survey', decision: 'request-review', reason },
      complaint.complainant.email,
    );
    if (!answered)
      return refused(
        'review-refused',
        new ConflictError('urn:redress:problem:review-not-open', {
          'zh-CN': '暂时无法申请复核，请稍后再试',
          en: 'A review cannot be asked for right now; try again shortly',
        }),
      );
  } else {
    if (!(await reopenForReview(complaint.id, now.toISOString(), reason, workflowPendingShard(complaint.id))))
      return refused(
        'review-refused',
        new ConflictError('urn:redress:problem:review-already-requested', {
          'zh-CN': '已申请过复核',
          en: 'A review was already asked for',
        }),
      );
    try {
      await startReviewWorkflow(complaint);
    } catch (error) {
      // The request is recorded with its pending marker; start-pending-workflows starts the review shortly.
      log.warn('review start deferred to the reconciler', { complaintId: complaint.id, error });
    }
  }
  log.info('review requested', { complaintId: complaint.id });
  return done('review-requested', 202, { id: complaint.id, status: 'review' });
}
