import { withdraw } from '../app/withdraw';
import { selfServiceRoute } from './shared/self-service-route';

/**
 * POST /complaints/{id}/withdrawal, by the tracking link, with an optional `reason`. JSON gets 200
 * (409 once the case has ended); the tracking page's plain form a 303 back to the page.
 */
export const handler = selfServiceRoute(withdraw);
