import { confirmAddition } from '../app/confirm-addition';
import { selfServiceRoute } from './shared/self-service-route';

/** POST /complaints/{id}/additions/confirmation (`at`), by the tracking link: JSON 200, or back to the tracking page. */
export const handler = selfServiceRoute(confirmAddition);
