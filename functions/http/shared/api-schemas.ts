import * as z from 'zod/mini';
import type { RequestBodyName } from '../../catalog';
import { complaintIntakeSchemaFor, PUBLIC_CHANNELS, STAFF_CHANNELS } from '../../domain/complaint';
import { uploadRequestSchema } from '../../domain/evidence-policy';

/**
 * The schemas of the JSON bodies the API takes, by the name the catalog gives each route's body.
 * Intake and uploads are the very schemas that validate those requests; the short ones mirror
 * the few fields their use cases read.
 */
export const REQUEST_BODIES: Record<RequestBodyName, z.ZodMiniType> = {
  publicComplaint: complaintIntakeSchemaFor(PUBLIC_CHANNELS),
  staffComplaint: complaintIntakeSchemaFor(STAFF_CHANNELS),
  evidenceUpload: uploadRequestSchema(),
  withdrawal: z.object({ reason: z.optional(z.string().check(z.maxLength(2000))) }),
  reviewRequest: z.object({ reason: z.string().check(z.minLength(1), z.maxLength(2000)) }),
  staffSignIn: z.object({ email: z.email() }),
};
