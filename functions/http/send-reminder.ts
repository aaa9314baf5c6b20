import { remind } from '../app/remind';
import { selfServiceRoute } from './shared/self-service-route';

/**
 * POST /complaints/{id}/reminders (催办), by the tracking link. JSON gets 201 / 409 / 429 with
 * Retry-After; the tracking page's plain form gets a 303 back to the page with a notice.
 */
export const handler = selfServiceRoute(remind);
