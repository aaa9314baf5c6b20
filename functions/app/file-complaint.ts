import {
  intakeLanguage,
  newComplaintRecord,
  validateComplaintIntake,
  type Channel,
  type ComplaintIntake,
  type ComplaintRecord,
} from '../domain/complaint';
import type { ComplaintEvent } from '../domain/history';
import { hashSecret, newComplaintId, newComplaintNumber, newLinkId } from '../domain/ids';
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
  priorityOf,
  subjectKeyOf,
} from '../domain/intake-rules';
import type { Language } from '../domain/language';
import { currentTime } from '../lib/clock';
import { ValidationError } from '../lib/http';
import { heldFilingUrl, newTrackingSalt, trackingUrl } from '../lib/links';
import { evidenceAsked } from '../domain/evidence-policy';
import { log } from '../lib/log';
import { clockHourOf, countInWindow, filingRateKey } from '../store/rate-windows';
import { METRICS, recordMetric } from '../lib/metrics';
import {
  ComplainantBannedError,
  IdempotencyKeyReusedError,
  OutOfScopeError,
  TooManyRequestsError,
} from '../lib/problems';
import { settings } from '../lib/settings';
import { startComplaintWorkflow, startRefusalReason } from './shared/workflow';
import { getBanState } from '../store/bans';
import { holdFiling } from '../store/held-filings';
import { epochSeconds } from '../store/schema';
import { listComplaintsOnSubject, type ComplaintItem } from '../store/complaints';
import { insertFiledComplaint, IntakeRaceLostError, linkDuplicate } from '../store/filings';
import { findIdempotencyRecord, type IdempotencyClaim, type StoredResponse } from '../store/idempotency';
import { workflowPendingShard } from '../store/pending-starts';
import { findLatestOnSubject } from '../store/subject-pointers';
import { complainantNotice } from './shared/complainant-recipient';
import { notifyNow, notifyThroughOutbox } from './shared/notifier';
import { notice } from '../pages/notices';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

/** How many times a filing that lost a race (same matter, same key, a number collision) looks again. */
const WRITE_ATTEMPTS = 5;
/** How long a held filing waits for its sender to confirm it. */
const HELD_FILING_DAYS = 7;

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
  /** That staff member attaches the caller's evidence (enter-complaint.ts): the complainant is not asked for it. */
  evidenceEnteredBy?: string;
}

/**
 * The answer to a filing: a new complaint (201), a repeat linked to an open one (201 too, and
 * the public body says nothing of that case), or the first answer again. `complaint` is the case
 * it landed on, for callers inside the desk (mail in, the staff desk), never for the public body.
 */
export interface FilingAnswer {
  kind: 'filed' | 'linked' | 'replayed' | 'held';
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  complaint?: { id: string; number: string };
}

/** The Idempotency-Key, checked, with the hash of the body it must keep repeating. */
function idempotencyClaimOf(request: FilingRequest, hours: number): IdempotencyClaim | undefined {
  const key = request.idempotencyKey;
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    const language = intakeLanguage(request.body, request.readerLanguage);
    throw new ValidationError([
      {
        path: 'headers.Idempotency-Key',
        message: USE_CASE_TEXTS.idempotencyKeyInvalid[language],
      },
    ]);
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
  if (stored.complaintId && stored.trackingSalt)
    body.trackingUrl = await trackingUrl(stored.complaintId, stored.trackingSalt);
  return {
    kind: 'replayed',
    status: stored.statusCode,
    body,
    headers: { ...(stored.headers ?? {}), 'idempotent-replayed': 'true' },
    ...(stored.complaintId ? { complaint: { id: stored.complaintId, number: String(body.number ?? '') } } : {}),
  };
}

/**
 * A complaint on a matter with a final ruling is malicious, and its complainant is banned — but
 * only once the sender has confirmed from the mailbox that it was them: anyone can type someone
 * else's address, and a ban must not be had by impersonation. Until then the filing is held
 * (202): nothing is filed and nobody is banned. `earlier` is what intake read before.
 */
async function holdIfMalicious(
  intake: ComplaintIntake,
  language: Language,
  complainantKey: string,
  earlier: ComplaintRecord[],
  now: Date,
): Promise<FilingAnswer | undefined> {
  const ruled = findRuledMatter(earlier.map(asEarlierComplaint));
  if (!ruled) return undefined;
  const original = earlier.find((c) => c.id === ruled.id);
  const linkId = newLinkId();
  const expiresAt = epochSeconds(now) + HELD_FILING_DAYS * 86400;
  await holdFiling({
    linkIdHash: hashSecret(linkId),
    complainantKey,
    language,
    ruledComplaintId: ruled.id,
    ruledNumber: original?.number ?? '',
    channel: intake.channel,
    createdAt: now.toISOString(),
    state: 'held',
    expiresAt,
  });
  try {
    await notifyNow(
      notice(
        'held.filing',
        { email: intake.complainant.email, language },
        {
          name: intake.complainant.name,
          number: original?.number ?? '',
          confirmUrl: heldFilingUrl(linkId),
          validUntil: new Date(expiresAt * 1000).toISOString(),
        },
      ),
    );
  } catch (error) {
    log.warn('held filing not mailed', { complaintId: ruled.id, error });
  }
  log.info('complaint on a ruled matter held for its sender to confirm', { complaintId: ruled.id });
  return {
    kind: 'held',
    status: 202,
    body: {
      status: 'held',
      message: USE_CASE_TEXTS.filingHeld[language],
    },
    headers: {},
  };
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
  // The reads intake needs do not depend on each other: the first answer to the key, the ban, the
  // complainant's complaints on the matter and the matter's pointer go out together (one round
  // trip, two for the pointer's complaint); the answer keeps the order the rules are listed in.
  const replay = idempotency ? replayOf(idempotency, now) : Promise.resolve(undefined);
  const result = validateComplaintIntake(request.body, desk, request.readerLanguage, request.channels);
  if (!result.ok) {
    const replayed = await replay;
    if (replayed) return replayed;
    throw new ValidationError(result.errors);
  }
  const { intake, language } = result;
  const complainantKey = complainantKeyOf(intake.complainant);
  const subjectKey = subjectKeyOf(intake);
  // The address's filings this hour are counted in the same round trip (a replay counts too: rare, and on the safe side).
  const { hour, end: hourEnd } = clockHourOf(now);
  const [replayed, banState, onSubject, latestOnSubject, withinRate] = await Promise.all([
    replay,
    getBanState(complainantKey),
    listComplaintsOnSubject(subjectKey, complainantKey),
    findLatestOnSubject(complainantKey, subjectKey, now),
    countInWindow(filingRateKey(complainantKey, hour), hourEnd, desk.intake.filingsPerAddressPerHour),
  ]);
  if (replayed) return replayed;
  if (!withinRate) {
    throw new TooManyRequestsError(
      'urn:redress:problem:too-many-filings',
      USE_CASE_TEXTS.tooManyFilings,
      (hourEnd.getTime() - now.getTime()) / 1000 + 1,
    );
  }

  const ban = activeBan(banState, now);
  if (ban) throw new ComplainantBannedError(ban, 'banned');
  const held = await holdIfMalicious(intake, language, complainantKey, onSubject, now);
  if (held) return held;

  const refusal = findRefusal(intake, desk.intake);
  if (refusal) {
    // Nothing is stored: no case is opened for what the desk does not handle, and the complainant
    // can file again if the matter did happen here. The count is in the logs.
    log.info('complaint refused at intake', { rule: refusal.rule, category: intake.category, channel: intake.channel });
    throw new OutOfScopeError(refusal, language);
  }

  const flags = findFlags(intake, desk.intake);
  let latest = latestOnSubject;
  for (let attempt = 1; ; attempt++) {
    try {
      // After a lost race, look at the matter's pointer again.
      if (attempt > 1) latest = await findLatestOnSubject(complainantKey, subjectKey, now);
      const original = latest?.complaint;
      if (original && findDuplicateOf(asEarlierComplaint(original), now, desk.intake))
        return await linkAsDuplicate({ original, intake, language, idempotency, now });
      return await fileNew({
        intake,
        language,
        complainantKey,
        subjectKey,
        flags,
        previousOnSubject: latest?.complaintId,
        idempotency,
        now,
        clockScale,
        enteredBy: request.enteredBy,
        evidenceEnteredBy: request.evidenceEnteredBy,
      });
    } catch (error) {
      if (!(error instanceof IntakeRaceLostError) || attempt >= WRITE_ATTEMPTS) throw error;
      if (error.lost === 'idempotency' && idempotency) {
        const replayedNow = await replayOf(idempotency, now);
        if (replayedNow) return replayedNow;
      }
      // Lost to a concurrent filing on the same matter, or a number collision (32^6 a day): look again.
    }
  }
}

async function linkAsDuplicate(input: {
  original: ComplaintRecord;
  intake: ComplaintIntake;
  language: Language;
  idempotency?: IdempotencyClaim;
  now: Date;
}): Promise<FilingAnswer> {
  const { original, intake, now } = input;
  const at = now.toISOString();
  // Answered like a filing, with nothing of the case it joined: knowing an email address and a
  // subject must not tell anyone that a case exists, its number or its state, nor open it. The
  // case's own complainant learns by mail which case it joined.
  const body = {
    status: 'received',
    message: USE_CASE_TEXTS.filingReceived[input.language],
  };
  const headers = {};
  const response: StoredResponse = { statusCode: 201, body: JSON.stringify(body), headers, complaintId: original.id };
  const event: ComplaintEvent = {
    at,
    actor: 'complainant',
    action: 'complaint.linked-duplicate',
    details: {
      channel: intake.channel,
      description: intake.description,
      ...(intake.desiredOutcome ? { desiredOutcome: intake.desiredOutcome } : {}),
      ...(intake.contactHistory ? { contactHistory: intake.contactHistory } : {}),
      complainantNote: USE_CASE_TEXTS.filedAgainNote,
      // Anyone who knows the address could have sent it: it stays unverified until the complainant confirms it.
      verified: false,
    },
  };
  await linkDuplicate({ original, event, idempotency: input.idempotency, response, now });
  try {
    await notifyThroughOutbox(
      original.id,
      'duplicate.linked',
      await complainantNotice(
        original,
        'duplicate.linked',
        { duplicateDays: settings().desk.intake.duplicateDays },
        input.language,
      ),
    );
  } catch (error) {
    // The filing is recorded on the case, and the filer's answer does not depend on this email.
    log.warn('duplicate notice not recorded', { complaintId: original.id, error });
  }
  log.info('complaint linked as a duplicate', { complaintId: original.id });
  return { kind: 'linked', status: 201, body, headers, complaint: { id: original.id, number: original.number } };
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
  evidenceEnteredBy?: string;
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
    ...(input.evidenceEnteredBy ? { evidenceEnteredBy: input.evidenceEnteredBy } : {}),
  };
  const events: ComplaintEvent[] = [
    {
      at: record.receivedAt,
      actor: 'complainant',
      action: 'complaint.received',
      details: {
        channel: record.channel,
        category: record.category,
        priority: record.priority,
        ...(input.enteredBy ? { enteredBy: input.enteredBy } : {}),
      },
    },
    ...(input.flags.length
      ? [
          {
            at: record.receivedAt,
            actor: 'system',
            action: 'complaint.flagged' as const,
            details: { reasons: input.flags },
          },
        ]
      : []),
  ];
  // The complainant learns at once what evidence the complaint still needs (evidence-policy.ts).
  const body = {
    id: record.id,
    number: record.number,
    status: record.status,
    priority: record.priority,
    evidence: evidenceAsked(record, desk),
  };
  const headers = { location: `/complaints/${record.id}` };
  await insertFiledComplaint({
    record,
    events,
    previousOnSubject: input.previousOnSubject,
    duplicateDays: desk.intake.duplicateDays,
    idempotency: input.idempotency,
    response: {
      statusCode: 201,
      body: JSON.stringify(body),
      headers,
      complaintId: record.id,
      trackingSalt: record.trackingSalt,
    },
    now,
  });

  try {
    await startComplaintWorkflow(record, { confirm: false });
  } catch (error) {
    // The record is stored with its pending marker; start-pending-workflows starts it shortly.
    log.warn('workflow start deferred to the reconciler', { complaintId: record.id, error });
    recordMetric(METRICS.workflowStartsRefused, 1, { reason: startRefusalReason(error) });
  }
  log.info('complaint filed', {
    complaintId: record.id,
    category: record.category,
    channel: record.channel,
    priority: record.priority,
    flagged: !!record.flagged,
  });
  recordMetric(METRICS.complaintsReceived);
  return {
    kind: 'filed',
    status: 201,
    body: { ...body, trackingUrl: await trackingUrl(record.id, record.trackingSalt) },
    headers,
    complaint: { id: record.id, number: record.number },
  };
}
