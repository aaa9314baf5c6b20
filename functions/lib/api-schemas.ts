import { z } from 'zod';
import type { RequestBodyName } from '../catalog';
import { complaintIntakeSchemaFor, PUBLIC_CHANNELS, STAFF_CHANNELS } from '../domain/complaint';
import { uploadRequestSchema } from '../domain/evidence-policy';

/**
 * The schemas of the JSON bodies the API takes, by the name the catalog gives each route's body.
 * Intake and uploads are the very schemas that validate those requests; the short ones mirror
 * the few fields their use cases read.
 */
export const REQUEST_BODIES: Record<RequestBodyName, z.ZodType> = {
  publicComplaint: complaintIntakeSchemaFor(PUBLIC_CHANNELS),
  staffComplaint: complaintIntakeSchemaFor(STAFF_CHANNELS),
  evidenceUpload: uploadRequestSchema,
  withdrawal: z.object({ reason: z.string().max(2000).optional() }),
  reviewRequest: z.object({ reason: z.string().min(1).max(2000) }),
  staffSignIn: z.object({ email: z.email() }),
};
