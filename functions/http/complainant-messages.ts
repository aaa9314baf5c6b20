import { complainantWrites } from '../app/receive-answer';
import { selfServiceRoute } from './shared/self-service-route';

/**
 * POST /complaints/{id}/messages, by the tracking link, with `text`: the complainant writes to
 * the desk (answering its message, when the desk waits for them). JSON gets 201; the tracking
 * page's plain form a 303 back to the page.
 */
export const handler = selfServiceRoute(complainantWrites);
