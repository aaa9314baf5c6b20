import { requestReview } from '../app/request-review';
import { selfServiceRoute } from './shared/self-service-route';

/**
 * POST /complaints/{id}/review-request (复核), by the tracking link, with a `reason`. JSON gets 202
 * (400 without a reason, 409 when a review cannot be asked for); the plain form a 303 back.
 */
export const handler = selfServiceRoute(requestReview);
