import { COMPLAINT_ID_PATTERN } from '../domain/ids';
import { PLATFORM_ACTIONS, type PlatformAction } from '../domain/platform-events';
import { verifySignature } from '../domain/webhook-signing';
import { currentTime } from '../lib/clock';
import { HttpError, NotFoundError, ValidationError } from '../lib/http';
import { log } from '../lib/log';
import { INBOUND_SECRET_KEY, secretsFor } from './shared/webhook-secrets';
import { getComplaint, updateComplaint } from '../store/complaints';
import { listEvents } from '../store/events';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

/** What the platform reports: it carried out `action` on the case (optionally naming the event it acted on and its own reference). */
export interface ReportedAction {
  complaintId: string;
  action: PlatformAction;
  eventId?: string;
  reference?: string;
}

const REFERENCE_LIMIT = 200;

export class SignatureRefused extends HttpError {
  constructor(why: string) {
    super(401, 'urn:redress:problem:signature-invalid', USE_CASE_TEXTS.signatureInvalid, {
      detail: USE_CASE_TEXTS.signatureHow(why),
    });
    this.name = 'SignatureRefused';
  }
}

/** The body's fields, or a 400 naming each bad one. */
export function parseReportedAction(body: unknown): ReportedAction {
  const b = (body ?? {}) as Record<string, unknown>;
  const errors: { path: string; message: { 'zh-CN': string; en: string } }[] = [];
  if (typeof b !== 'object' || Array.isArray(b))
    throw new ValidationError([{ path: '(body)', message: USE_CASE_TEXTS.mustBeJsonObject }]);
  const known = new Set(['complaintId', 'action', 'eventId', 'reference']);
  for (const key of Object.keys(b))
    if (!known.has(key)) errors.push({ path: key, message: USE_CASE_TEXTS.unknownField });
  if (typeof b.complaintId !== 'string' || !COMPLAINT_ID_PATTERN.test(b.complaintId))
    errors.push({
      path: 'complaintId',
      message: USE_CASE_TEXTS.mustBeComplaintId,
    });
  if (typeof b.action !== 'string' || !(PLATFORM_ACTIONS as readonly string[]).includes(b.action))
    errors.push({
      path: 'action',
      message: USE_CASE_TEXTS.mustBeOneOf(PLATFORM_ACTIONS),
    });
  for (const field of ['eventId', 'reference'] as const)
    if (b[field] !== undefined && (typeof b[field] !== 'string' || !b[field] || b[field].length > REFERENCE_LIMIT))
      errors.push({
        path: field,
        message: USE_CASE_TEXTS.referenceLength(REFERENCE_LIMIT),
      });
  if (errors.length) throw new ValidationError(errors);
  return {
    complaintId: b.complaintId as string,
    action: b.action as PlatformAction,
    ...(b.eventId ? { eventId: b.eventId as string } : {}),
    ...(b.reference ? { reference: b.reference as string } : {}),
  };
}

/**
 * POST /integrations/actions: the platform reports an action carried out on a case (a post
 * locked, content removed, an account restored). The request is signed as the webhooks are, with
 * the inbound secret; the action is recorded in the case's history (`action.confirmed`, by the
 * platform), where the staff case page and the reply step read it. A case that is closed still
 * takes it: the platform may act after the reply. The same report again (same action, event and
 * reference) is answered with the first one's time and recorded once (`repeated`).
 */
export async function recordReportedAction(input: {
  body: string;
  parsed: () => unknown;
  timestamp: string | undefined;
  signature: string | undefined;
}): Promise<{ complaintId: string; action: PlatformAction; confirmedAt: string; repeated?: true }> {
  const now = currentTime();
  const check = verifySignature({
    secrets: await secretsFor(INBOUND_SECRET_KEY),
    timestamp: input.timestamp,
    signature: input.signature,
    body: input.body,
    now,
  });
  if (!check.ok) {
    log.warn('integration request refused: signature', { why: check.why });
    throw new SignatureRefused(check.why);
  }
  const reported = parseReportedAction(input.parsed());
  const complaint = await getComplaint(reported.complaintId);
  if (!complaint) throw new NotFoundError(USE_CASE_TEXTS.noSuchComplaint);
  // The same report again (a retry, a replay within the signature's tolerance) is recorded once.
  const earlier = (await listEvents(complaint.id)).find(
    (e) =>
      e.action === 'action.confirmed' &&
      e.details?.action === reported.action &&
      e.details?.eventId === reported.eventId &&
      e.details?.reference === reported.reference,
  );
  if (earlier) return { complaintId: complaint.id, action: reported.action, confirmedAt: earlier.at, repeated: true };
  const at = now.toISOString();
  await updateComplaint(
    complaint.id,
    {},
    {
      at,
      actor: 'platform',
      action: 'action.confirmed',
      details: {
        action: reported.action,
        ...(reported.eventId ? { eventId: reported.eventId } : {}),
        ...(reported.reference ? { reference: reported.reference } : {}),
      },
    },
  );
  log.info('platform action recorded', { complaintId: complaint.id, action: reported.action });
  return { complaintId: complaint.id, action: reported.action, confirmedAt: at };
}
