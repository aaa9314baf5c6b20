import middy from '@middy/core';
import { intakeLanguage, newComplaintRecord, validateComplaintIntake, type ComplaintIntake, type ComplaintRecord } from '../domain/complaint';
import type { ComplaintEvent } from '../domain/history';
import { newComplaintId, newComplaintNumber } from '../domain/ids';
import {
  activeBan,
  bodyHashOf,
  complainantKeyOf,
  findDuplicateOf,
  findFlags,
  findRefusal,
  findRuledMatter,
  IDEMPOTENCY_KEY_PATTERN,
  idempotencyKeyHash,
  nextBan,
  priorityOf,
  subjectKeyOf,
} from '../domain/intake-rules';
import type { Language } from '../domain/language';
import { workflowPendingShard } from '../lib/complaint-store';
import { header, json, jsonBody, problemDetails, requestLanguage, ValidationError, type HttpEvent, type HttpResult } from '../lib/http';
import {
  asEarlier,
  findIdempotencyRecord,
  findLatestOnSubject,
  getBanState,
  insertFiledComplaint,
  IntakeRaceLostError,
  linkDuplicate,
  listOwnComplaintsOnSubject,
  recordBan,
  type IdempotencyClaim,
  type StoredResponse,
} from '../lib/intake-store';
import { newTrackingSalt, trackingUrl } from '../lib/links';
import { log, logContext } from '../lib/log';
import { METRICS, recordMetric } from '../lib/metrics';
import { sendEmail } from '../lib/mailer';
import { ComplainantBannedError, IdempotencyKeyReusedError, OutOfScopeError } from '../lib/problems';
import { settings } from '../lib/settings';
import { startComplaintWorkflow } from '../lib/workflow';
import { duplicateLinkedEmail } from '../pages/intake-emails';
import { currentTime } from '../lib/clock';

const WRITE_ATTEMPTS = 5;

/** The Idempotency-Key, checked, with the hash of the body it must keep repeating. */
function idempotencyClaimOf(event: HttpEvent, body: unknown, hours: number): IdempotencyClaim | undefined {
  const key = header(event, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    const language = intakeLanguage(body, requestLanguage(event));
    throw new ValidationError([{ path: 'headers.Idempotency-Key', message: language === 'zh-CN' ? '应为 1 至 255 个可见 ASCII 字符' : 'must be 1 to 255 visible ASCII characters' }]);
  }
  return { keyHash: idempotencyKeyHash(key), bodyHash: bodyHashOf(body), hours };
}

/**
 * The first response again. The stored copy leaves out the tracking link (a capability does not
 * sit in an idempotency record); it is derived again from the complaint.
 */
async function replay(stored: StoredResponse): Promise<HttpResult> {
  const body = JSON.parse(stored.body) as Record<string, unknown>;
  if (stored.complaintId && stored.trackingSalt) body.trackingUrl = await trackingUrl(stored.complaintId, stored.trackingSalt);
  return json(stored.statusCode, body, { ...(stored.headers ?? {}), 'idempotent-replayed': 'true' });
}

async function replayOrRefuse(claim: IdempotencyClaim, now: Date): Promise<HttpResult | undefined> {
  const first = await findIdempotencyRecord(claim.keyHash, now);
  if (!first) return undefined;
  if (first.bodyHash !== claim.bodyHash) throw new IdempotencyKeyReusedError();
  return replay(first.response);
}

/** Seed 003: a complaint on a matter with a final ruling is malicious; the ban ladder climbs. */
async function banForMalice(intake: ComplaintIntake, complainantKey: string, subjectKey: string, now: Date): Promise<void> {
  const ruled = findRuledMatter(await listOwnComplaintsOnSubject(subjectKey, complainantKey));
  if (!ruled) return;
  const { desk } = settings();
  for (let attempt = 1; ; attempt++) {
    const previous = await getBanState(complainantKey);
    const current = activeBan(previous, now);
    if (current) throw new ComplainantBannedError(current, 'malicious');
    const ban = nextBan(previous, now, desk.intake);
    const at = now.toISOString();
    try {
      await recordBan({
        complainantKey,
        previous,
        ban,
        reason: 'malicious: complained again about a matter with a final ruling (seed 003)',
        ruledComplaintId: ruled.id,
        event: {
          at,
          actor: 'system',
          action: 'complainant.banned',
          details: { level: ban.level, ...(ban.permanent ? { permanent: true } : { until: ban.until }), reason: 'complained-again-after-final-ruling', channel: intake.channel },
        },
      });
      log.info('complainant banned for a malicious complaint', { complaintId: ruled.id, level: ban.level, permanent: ban.permanent });
      throw new ComplainantBannedError(ban, 'malicious');
    } catch (error) {
      // A concurrent filing banned them first: answer with that ban.
      if ((error as { name?: string }).name === 'TransactionCanceledException' && attempt < 3) continue;
      throw error;
    }
  }
}

/**
 * POST /complaints. In order: a replayed Idempotency-Key gets its first response; bad fields a
 * 400; a banned complainant a 403 with the ban's end; a complaint on a ruled matter is malicious
 * (ban, 403); an out-of-scope matter a 422 with where else to go, and nothing stored; a repeat of
 * an open case by the same complainant is linked to it (200, `duplicateOf`); anything else is
 * stored with its priority and flags and its workflow started (201).
 */
async function fileComplaint(event: HttpEvent): Promise<HttpResult> {
  const { desk, clockScale } = settings();
  const now = currentTime();
  const body = jsonBody(event);
  const idempotency = idempotencyClaimOf(event, body, desk.intake.idempotencyHours);
  if (idempotency) {
    const replayed = await replayOrRefuse(idempotency, now);
    if (replayed) return replayed;
  }
  const result = validateComplaintIntake(body, desk, requestLanguage(event));
  if (!result.ok) throw new ValidationError(result.errors);
  const { intake, language } = result;
  const complainantKey = complainantKeyOf(intake.complainant.email);
  const subjectKey = subjectKeyOf(intake);

  const ban = activeBan(await getBanState(complainantKey), now);
  if (ban) throw new ComplainantBannedError(ban, 'banned');
  await banForMalice(intake, complainantKey, subjectKey, now);

  const refusal = findRefusal(intake, desk.intake);
  if (refusal) {
    // Nothing is stored: no case is opened for what the desk does not handle, and the complainant
    // can file again if the matter did happen here. The count is in the logs.
    log.info('complaint refused at intake', { rule: refusal.rule, category: intake.category, channel: intake.channel });
    throw new OutOfScopeError(refusal, language);
  }

  const flags = findFlags(intake, desk.intake);
  for (let attempt = 1; ; attempt++) {
    try {
      const latest = await findLatestOnSubject(complainantKey, subjectKey, now);
      const original = latest?.complaint;
      if (original && findDuplicateOf(asEarlier(original), now, desk.intake)) {
        return await linkAsDuplicate({ original, intake, language, idempotency, now });
      }
      return await fileNew({ intake, language, complainantKey, subjectKey, flags, previousOnSubject: latest?.complaintId, idempotency, now, clockScale });
    } catch (error) {
      if (!(error instanceof IntakeRaceLostError) || attempt >= WRITE_ATTEMPTS) throw error;
      if (error.lost === 'idempotency' && idempotency) {
        const replayed = await replayOrRefuse(idempotency, now);
        if (replayed) return replayed;
      }
      // Lost to a concurrent filing on the same matter, or a number collision (32^6 a day): look again.
    }
  }
}

async function linkAsDuplicate(input: { original: ComplaintRecord; intake: ComplaintIntake; language: Language; idempotency?: IdempotencyClaim; now: Date }): Promise<HttpResult> {
  const { original, intake, now } = input;
  const at = now.toISOString();
  const responseBody = {
    id: original.id,
    number: original.number,
    status: original.status,
    duplicateOf: { id: original.id, number: original.number },
    // The tracking link goes to the complainant's mailbox only: knowing an email address and a
    // subject must not be enough to open someone's case.
    message: input.language === 'zh-CN' ? `已并入您仍在处理中的投诉 ${original.number}，查询链接已发送至您的邮箱。` : `Added to your open complaint ${original.number}; its tracking link was emailed to you.`,
  };
  const response: StoredResponse = { statusCode: 200, body: JSON.stringify(responseBody), headers: { location: `/complaints/${original.id}` } };
  const event: ComplaintEvent = {
    at,
    actor: 'complainant',
    action: 'complaint.linked-duplicate',
    details: {
      channel: intake.channel,
      description: intake.description,
      ...(intake.desiredOutcome ? { desiredOutcome: intake.desiredOutcome } : {}),
      ...(intake.contactHistory ? { contactHistory: intake.contactHistory } : {}),
      complainantNote: { 'zh-CN': '您再次提交的内容已并入本投诉', en: 'What you filed again was added to this complaint' },
    },
  };
  await linkDuplicate({ original, event, idempotency: input.idempotency, response, now });
  try {
    await sendEmail(duplicateLinkedEmail({ to: original.complainant.email, name: original.complainant.name, number: original.number, trackingUrl: await trackingUrl(original.id, original.trackingSalt), language: input.language }));
  } catch (error) {
    // The link is recorded and the response says which case it joined; the email is a courtesy.
    log.warn('duplicate notice not sent', { complaintId: original.id, error });
  }
  log.info('complaint linked as a duplicate', { complaintId: original.id });
  return json(200, responseBody, response.headers);
}

async function fileNew(input: {
  intake: ComplaintIntake;
  language: Language;
  complainantKey: string;
  subjectKey: string;
  flags: string[];
  previousOnSubject?: string;
  idempotency?: IdempotencyClaim;
  now: Date;
  clockScale: number;
}): Promise<HttpResult> {
  const { desk } = settings();
  const { intake, now } = input;
  const id = newComplaintId(now);
  const record: ComplaintRecord & { complainantKey: string; subjectKey: string } = {
    ...newComplaintRecord({
      intake,
      language: input.language,
      id,
      number: newComplaintNumber(now, desk.timeZone),
      trackingSalt: newTrackingSalt(),
      workflowPendingShard: workflowPendingShard(id),
      now,
      config: desk,
      clockScale: input.clockScale,
      priority: priorityOf(intake, desk),
    }),
    complainantKey: input.complainantKey,
    subjectKey: input.subjectKey,
    ...(input.flags.length ? { flagged: true, flagReasons: input.flags } : {}),
  };
  const events: ComplaintEvent[] = [
    { at: record.receivedAt, actor: 'complainant', action: 'complaint.received', details: { channel: record.channel, category: record.category, priority: record.priority } },
    ...(input.flags.length ? [{ at: record.receivedAt, actor: 'system', action: 'complaint.flagged' as const, details: { reasons: input.flags } }] : []),
  ];
  const responseBody = { id: record.id, number: record.number, status: record.status, priority: record.priority };
  const headers = { location: `/complaints/${record.id}` };
  await insertFiledComplaint({
    record,
    events,
    previousOnSubject: input.previousOnSubject,
    duplicateDays: desk.intake.duplicateDays,
    idempotency: input.idempotency,
    response: { statusCode: 201, body: JSON.stringify(responseBody), headers, complaintId: record.id, trackingSalt: record.trackingSalt },
    now,
  });

  try {
    await startComplaintWorkflow(record);
  } catch (error) {
    // The record is stored with its pending marker; start-pending-workflows starts it shortly.
    log.warn('workflow start deferred to the reconciler', { complaintId: record.id, error });
  }
  log.info('complaint filed', { complaintId: record.id, category: record.category, channel: record.channel, priority: record.priority, flagged: !!record.flagged });
  recordMetric(METRICS.complaintsReceived);
  return json(201, { ...responseBody, trackingUrl: await trackingUrl(record.id, record.trackingSalt) }, headers);
}

/** Problems are in the complainant's language when the body names it, else the reader's. */
function problemLanguage(event: HttpEvent): Language {
  let body: unknown;
  try {
    body = JSON.parse(event.body ?? '');
  } catch {
    body = undefined;
  }
  return intakeLanguage(body, requestLanguage(event));
}

export const handler = middy<HttpEvent, HttpResult>().use(logContext()).use(problemDetails(problemLanguage)).handler(fileComplaint);
