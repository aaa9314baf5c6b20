import { requestErasure } from '../app/erasure';
import { selfServiceRoute } from './shared/self-service-route';

/**
 * POST /complaints/{id}/erasure-request, by the tracking link, with `confirm=yes` (the tracking
 * page's confirmation step): JSON gets 202 with the erasure deadline, the page's plain form a 303
 * back to the page with a notice.
 */
export const handler = selfServiceRoute(requestErasure);
