import { serviceLevelsFor } from '../domain/desk';
import { reviewEligibility } from '../domain/review';
import { currentTime } from '../lib/clock';
import { ValidationError } from '../lib/http';
import { log } from '../lib/log';
import { ConflictError } from '../lib/problems';
import { settings } from '../lib/settings';
import { startReviewWorkflow } from './shared/workflow';
import { complainantNotice } from './shared/complainant-recipient';
import { notifyNow } from './shared/notifier';
import { workflowPendingShard } from '../store/pending-starts';
import { reopenForReview } from '../store/complaints';
import { completeCurrentTask } from './shared/decide-task';
import { done, refused, textField, type SelfServiceInput, type SelfServiceResult } from './shared/self-service';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

/**
 * A review (复核), with a `reason`: once per complaint, within the review window after the reply.
 * During the survey it answers the survey with the request; after the case closed it reopens the
 * case and starts a review execution. The complainant gets a mail confirming the request.
 */
export async function requestReview({ complaint, fields, language }: SelfServiceInput): Promise<SelfServiceResult> {
  const reason = textField(fields, 'reason');
  if (!reason || reason.length > 2000) {
    return refused(
      'review-reason-missing',
      new ValidationError([
        {
          path: 'reason',
          message: (reason ? USE_CASE_TEXTS.reviewReasonTooLong : USE_CASE_TEXTS.reviewReasonRequired)[language],
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
      complaint.complainant.email ?? complaint.complainant.phone ?? 'complainant',
    );
    if (!answered)
      return refused(
        'review-refused',
        new ConflictError('urn:redress:problem:review-not-open', USE_CASE_TEXTS.reviewNotOpen),
      );
  } else {
    if (!(await reopenForReview(complaint.id, now.toISOString(), reason, workflowPendingShard(complaint.id))))
      return refused(
        'review-refused',
        new ConflictError('urn:redress:problem:review-already-requested', USE_CASE_TEXTS.reviewAlreadyRequested),
      );
    try {
      await startReviewWorkflow(complaint);
    } catch (error) {
      // The request is recorded with its pending marker; start-pending-workflows starts the review shortly.
      log.warn('review start deferred to the reconciler', { complaintId: complaint.id, error });
    }
  }
  // Confirmed by mail; the request stands whether or not the mail goes.
  try {
    await notifyNow(await complainantNotice(complaint, 'review.requested', { reason }), complaint.id);
  } catch (error) {
    log.warn('review request confirmation not sent', { complaintId: complaint.id, error });
  }
  log.info('review requested', { complaintId: complaint.id });
  return done('review-requested', 202, { id: complaint.id, status: 'review' });
}
