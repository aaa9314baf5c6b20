import { intakeLanguage, newComplaintRecord, validateComplaintIntake, type Channel, type ComplaintIntake, type ComplaintRecord } from '../domain/complaint';
import type { ComplaintEvent } from '../domain/history';
import { newComplaintId, newComplaintNumber } from '../domain/ids';
import {
  activeBan,
  asEarlierComplaint,
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
import { currentTime } from '../lib/clock';
import { ValidationError } from '../lib/http';
import { newTrackingSalt, trackingUrl } from '../lib/links';
import { log } from '../lib/log';
import { evidenceAsked } from '../domain/evidence-policy';
import { sendEmail } from '../lib/mailer';
import { METRICS, recordMetric } from '../lib/metrics';
import { ComplainantBannedError, IdempotencyKeyReusedError, OutOfScopeError } from '../lib/problems';
import { settings } from '../lib/settings';
import { startComplaintWorkflow } from '../lib/workflow';
import { duplicateLinkedEmail } from '../pages/emails';
import { getBanState, recordBan } from '../store/bans';
import { listComplaintsOnSubject, type ComplaintItem } from '../store/complaints';
import { insertFiledComplaint, IntakeRaceLostError, linkDuplicate } from '../store/filings';
import { findIdempotencyRecord, type IdempotencyClaim, type StoredResponse } from '../store/idempotency';
import { workflowPendingShard } from '../store/pending-starts';
import { findLatestOnSubject } from '../store/subject-pointers';
import { complainantRecipient } from './complainant-recipient';

/** How many times a filing that lost a race (same matter, same key, a number collision) looks again. */
const WRITE_ATTEMPTS = 5;

export interface FilingRequest {
  body: unknown;
  /** The channels this entry point takes (the public route: web and api). */
  channels?: readonly Channel[];
  /** The Idempotency-Key header, as sent. */
  idempotencyKey?: string;
  /** The reader's language (Accept-Language), for a body that does not name the complainant's. */
  readerLanguage: Language;
  /** The staff member entering it on the complainant's behalf (the staff desk); recorded on the complaint and its first event. */
  enteredBy?: string;
}

/** The answer to a filing: a new complaint (201), a repeat linked to an open one (200), or the first answer again. */
export interface FilingAnswer {
  kind: 'filed' | 'linked' | 'replayed';
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** The Idempotency-Key, checked, with the hash of the body it must keep repeating. */
function idempotencyClaimOf(request: FilingRequest, hours: number): IdempotencyClaim | undefined {
  const key = request.idempotencyKey;
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    const language = intakeLanguage(request.body, request.readerLanguage);
    throw new ValidationError([{ path: 'headers.Idempotency-Key', message: language === 'zh-CN' ? '应为 1 至 255 个可见 ASCII 字符' : 'must be 1 to 255 visible ASCII characters' }]);
  }
  return { keyHash: idempotencyKeyHash(key), bodyHash: bodyHashOf(request.body), hours };
}

/**
 * The first response again. The stored copy leaves out the tracking link (a capability does not
 * sit in an idempotency record); it is derived again from the complaint.
 */
async function replayOf(claim: IdempotencyClaim, now: Date): Promise<FilingAnswer | undefined> {
  const first = await findIdempotencyRecord(claim.keyHash, now);
  if (!first) return undefined;
  if (first.bodyHash !== claim.bodyHash) throw new IdempotencyKeyReusedError();
  const stored = first.response;
  const body = JSON.parse(stored.body) as Record<string, unknown>;
  if (stored.complaintId && stored.trackingSalt) body.trackingUrl = await trackingUrl(stored.complaintId, stored.trackingSalt);
  return { kind: 'replayed', status: stored.statusCode, body, headers: { ...(stored.headers ?? {}), 'idempotent-replayed': 'true' } };
}

/** A complaint on a matter with a final ruling is malicious: the complainant is banned, one rung higher each time. */
async function banForMalice(intake: ComplaintIntake, complainantKey: string, subjectKey: string, now: Date): Promise<void> {
  const ruled = findRuledMatter((await listComplaintsOnSubject(subjectKey, complainantKey)).map(asEarlierComplaint));
  if (!ruled) return;
  const { desk } = settings();
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    const previous = await getBanState(complainantKey);
    const current = activeBan(previous, now);
    if (current) throw new ComplainantBannedError(current, 'malicious');
    const ban = nextBan(previous, now, desk.intake);
    const recorded = await recordBan({
      complainantKey,
      previous,
      ban,
      reason: 'malicious: complained again about a matter with a final ruling',
      ruledComplaintId: ruled.id,
      event: {
        at: now.toISOString(),
        actor: 'system',
        action: 'complainant.banned',
        details: { level: ban.level, ...(ban.permanent ? { permanent: true } : { until: ban.until }), reason: 'complained-again-after-final-ruling', channel: intake.channel },
      },
    });
    if (recorded) {
      log.info('complainant banned for a malicious complaint', { complaintId: ruled.id, level: ban.level, permanent: ban.permanent });
      throw new ComplainantBannedError(ban, 'malicious');
    }
    // A concurrent filing banned them first: read that ban and answer with it.
  }
  throw new Error('could not record a ban after repeated conflicts');
}

/**
 * Files a complaint. In order: a replayed Idempotency-Key gets its first answer; bad fields a
 * ValidationError; a banned complainant a ComplainantBannedError; a complaint on a ruled matter
 * is malicious (ban); an out-of-scope matter an OutOfScopeError, with nothing stored; a repeat of
 * an open case by the same complainant is linked to it; anything else is stored with its
 * priority and flags and its workflow started.
 */
export async function fileComplaint(request: FilingRequest): Promise<FilingAnswer> {
  const { desk, clockScale } = settings();
  const now = currentTime();
  const idempotency = idempotencyClaimOf(request, desk.intake.idempotencyHours);
  if (idempotency) {
    const replayed = await replayOf(idempotency, now);
    if (replayed) return replayed;
  }
  const result = validateComplaintIntake(request.body, desk, request.readerLanguage, request.channels);
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
      if (original && findDuplicateOf(asEarlierComplaint(original), now, desk.intake)) return await linkAsDuplicate({ original, intake, language, idempotency, now });
      return await fileNew({ intake, language, complainantKey, subjectKey, flags, previousOnSubject: latest?.complaintId, idempotency, now, clockScale, enteredBy: request.enteredBy });
    } catch (error) {
      if (!(error instanceof IntakeRaceLostError) || attempt >= WRITE_ATTEMPTS) throw error;
      if (error.lost === 'idempotency' && idempotency) {
        const replayed = await replayOf(idempotency, now);
        if (replayed) return replayed;
      }
      // Lost to a concurrent filing on the same matter, or a number collision (32^6 a day): look again.
    }
  }
}

async function linkAsDuplicate(input: { original: ComplaintRecord; intake: ComplaintIntake; language: Language; idempotency?: IdempotencyClaim; now: Date }): Promise<FilingAnswer> {
  const { original, intake, now } = input;
  const at = now.toISOString();
  const body = {
    id: original.id,
    number: original.number,
    status: original.status,
    duplicateOf: { id: original.id, number: original.number },
    // The tracking link goes to the complainant's mailbox only: knowing an email address and a
    // subject must not be enough to open someone's case.
    message: input.language === 'zh-CN' ? `已并入您仍在处理中的投诉 ${original.number}，查询链接已发送至您的邮箱。` : `Added to your open complaint ${original.number}; its tracking link was emailed to you.`,
  };
  const headers = { location: `/complaints/${original.id}` };
  const response: StoredResponse = { statusCode: 200, body: JSON.stringify(body), headers };
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
    await sendEmail(duplicateLinkedEmail({ ...(await complainantRecipient(original)), language: input.language, duplicateDays: settings().desk.intake.duplicateDays }));
  } catch (error) {
    // The link is recorded and the response says which case it joined; the email is a courtesy.
    log.warn('duplicate notice not sent', { complaintId: original.id, error });
  }
  log.info('complaint linked as a duplicate', { complaintId: original.id });
  return { kind: 'linked', status: 200, body, headers };
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
  enteredBy?: string;
}): Promise<FilingAnswer> {
  const { desk } = settings();
  const { intake, now } = input;
  const id = newComplaintId(now);
  const record: ComplaintItem = {
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
    ...(input.enteredBy ? { enteredBy: input.enteredBy } : {}),
  };
  const events: ComplaintEvent[] = [
    { at: record.receivedAt, actor: 'complainant', action: 'complaint.received', details: { channel: record.channel, category: record.category, priority: record.priority, ...(input.enteredBy ? { enteredBy: input.enteredBy } : {}) } },
    ...(input.flags.length ? [{ at: record.receivedAt, actor: 'system', action: 'complaint.flagged' as const, details: { reasons: input.flags } }] : []),
  ];
  // The complainant learns at once what evidence the complaint still needs (evidence-policy.ts).
  const body = { id: record.id, number: record.number, status: record.status, priority: record.priority, evidence: evidenceAsked(record, desk) };
  const headers = { location: `/complaints/${record.id}` };
  await insertFiledComplaint({
    record,
    events,
    previousOnSubject: input.previousOnSubject,
    duplicateDays: desk.intake.duplicateDays,
    idempotency: input.idempotency,
    response: { statusCode: 201, body: JSON.stringify(body), headers, complaintId: record.id, trackingSalt: record.trackingSalt },
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
  return { kind: 'filed', status: 201, body: { ...body, trackingUrl: await trackingUrl(record.id, record.trackingSalt) }, headers };
}
