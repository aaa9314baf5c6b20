import { correctContact } from '../app/correct-contact';
import { selfServiceRoute } from './shared/self-service-route';

/**
 * POST /complaints/{id}/contact (`name`, `email`), by the tracking link: a name is corrected at
 * once; a new address gets a confirmation link and is used once confirmed from it.
 */
export const handler = selfServiceRoute(correctContact);
