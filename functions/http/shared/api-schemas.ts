import * as z from 'zod/mini';
import type { RequestBodyName } from '../../catalog';
import { complaintIntakeSchemaFor, PUBLIC_CHANNELS, STAFF_CHANNELS } from '../../domain/complaint';
import { uploadRequestSchema } from '../../domain/evidence-policy';
import { PLATFORM_ACTIONS } from '../../domain/platform-events';

/**
 * The schemas of the JSON bodies the API takes, by the name the catalog gives each route's body.
 * Intake and uploads are the very schemas that validate those requests; the short ones mirror
 * the few fields their use cases read.
 */
export const REQUEST_BODIES: Record<RequestBodyName, z.ZodMiniType> = {
  publicComplaint: complaintIntakeSchemaFor(PUBLIC_CHANNELS),
  // The intake, and the caller's files the staff member attaches (enter-complaint.ts).
  staffComplaint: z.extend(complaintIntakeSchemaFor(STAFF_CHANNELS), {
    evidence: z.optional(z.array(uploadRequestSchema())),
  }),
  evidenceUpload: uploadRequestSchema(),
  withdrawal: z.object({ reason: z.optional(z.string().check(z.maxLength(2000))) }),
  reviewRequest: z.object({ reason: z.string().check(z.minLength(1), z.maxLength(2000)) }),
  staffSignIn: z.object({ email: z.email() }),
  integrationAction: z.strictObject({
    complaintId: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/)),
    action: z.enum(PLATFORM_ACTIONS),
    eventId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    reference: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  }),
};
