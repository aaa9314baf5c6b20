import { COMPLAINT_ID_PATTERN } from '../domain/ids';
import { PLATFORM_ACTIONS, type PlatformAction } from '../domain/platform-events';
import { verifySignature } from '../domain/webhook-signing';
import { currentTime } from '../lib/clock';
import { HttpError, NotFoundError, ValidationError } from '../lib/http';
import { log } from '../lib/log';
import { INBOUND_SECRET_KEY, secretsFor } from './shared/webhook-secrets';
import { getComplaint, updateComplaint } from '../store/complaints';
import { listEvents } from '../store/events';

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
    super(
      401,
      'urn:redress:problem:signature-invalid',
      { 'zh-CN': '签名无效', en: 'The request signature is not valid' },
      {
        detail: {
          'zh-CN': `请用入站密钥对“时间戳.请求体”做 HMAC-SHA256 签名（${why}）。`,
          en: `Sign "<timestamp>.<body>" with HMAC-SHA256 under the inbound secret (${why}).`,
        },
      },
    );
    this.name = 'SignatureRefused';
  }
}

/** The body's fields, or a 400 naming each bad one. */
export function parseReportedAction(body: unknown): ReportedAction {
  const b = (body ?? {}) as Record<string, unknown>;
  const errors: { path: string; message: { 'zh-CN': string; en: string } }[] = [];
  if (typeof b !== 'object' || Array.isArray(b))
    throw new ValidationError([
      { path: '(body)', message: { 'zh-CN': '应为 JSON 对象', en: 'must be a JSON object' } },
    ]);
  const known = new Set(['complaintId', 'action', 'eventId', 'reference']);
  for (const key of Object.keys(b))
    if (!known.has(key)) errors.push({ path: key, message: { 'zh-CN': '不认识的字段', en: 'unknown field' } });
  if (typeof b.complaintId !== 'string' || !COMPLAINT_ID_PATTERN.test(b.complaintId))
    errors.push({
      path: 'complaintId',
      message: { 'zh-CN': '应为投诉编号（26 位）', en: 'must be a complaint id (26 characters)' },
    });
  if (typeof b.action !== 'string' || !(PLATFORM_ACTIONS as readonly string[]).includes(b.action))
    errors.push({
      path: 'action',
      message: {
        'zh-CN': `应为以下之一：${PLATFORM_ACTIONS.join('、')}`,
        en: `must be one of: ${PLATFORM_ACTIONS.join(', ')}`,
      },
    });
  for (const field of ['eventId', 'reference'] as const)
    if (b[field] !== undefined && (typeof b[field] !== 'string' || !b[field] || b[field].length > REFERENCE_LIMIT))
      errors.push({
        path: field,
        message: {
          'zh-CN': `应为 1–${REFERENCE_LIMIT} 个字符的文本`,
          en: `must be text of 1–${REFERENCE_LIMIT} characters`,
        },
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
  if (!complaint) throw new NotFoundError({ 'zh-CN': '找不到该投诉', en: 'No such complaint' });
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
