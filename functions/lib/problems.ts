import type { Bilingual, Language } from '../domain/language';
import { HttpError } from './http';
import { PLATFORM_TEXTS } from './platform-texts';

/**
 * The problem types of intake and self-service (RFC 9457). `type` URNs are stable: clients and
 * the online form branch on them.
 */

/** Matters the desk does not handle are refused at once, with where else to go. */
export class OutOfScopeError extends HttpError {
  constructor(refusal: { rule: string; reason: Bilingual; whereElse: Bilingual }, language: Language) {
    super(422, 'urn:redress:problem:out-of-scope', PLATFORM_TEXTS.outOfScope, {
      detail: refusal.reason,
      extra: { rule: refusal.rule, whereElse: refusal.whereElse[language] },
    });
    this.name = 'OutOfScopeError';
  }
}

export interface BanView {
  permanent: boolean;
  until?: string;
}

/** A banned complainant is told so, and until when. */
export class ComplainantBannedError extends HttpError {
  constructor(ban: BanView, cause: 'banned' | 'malicious') {
    const detail = cause === 'malicious' ? PLATFORM_TEXTS.maliciousRefiling(ban) : PLATFORM_TEXTS.banned(ban);
    super(403, 'urn:redress:problem:complainant-banned', PLATFORM_TEXTS.cannotFileNow, {
      detail,
      extra: { bannedUntil: ban.permanent ? null : ban.until, permanent: ban.permanent },
    });
    this.name = 'ComplainantBannedError';
  }
}

export class IdempotencyKeyReusedError extends HttpError {
  constructor() {
    super(422, 'urn:redress:problem:idempotency-key-reused', PLATFORM_TEXTS.idempotencyKeyReused, {
      detail: PLATFORM_TEXTS.idempotencyKeyReusedDetail,
    });
    this.name = 'IdempotencyKeyReusedError';
  }
}

export class ConflictError extends HttpError {
  constructor(type: string, title: Bilingual, detail?: Bilingual) {
    super(409, type, title, detail ? { detail } : {});
    this.name = 'ConflictError';
  }
}

export class TooManyRequestsError extends HttpError {
  constructor(type: string, title: Bilingual, retryAfterSeconds: number, extra: Record<string, unknown> = {}) {
    super(429, type, title, { headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) }, extra });
    this.name = 'TooManyRequestsError';
  }
}

/** A signed-in staff member asked for a case or report that is not theirs to see. */
/** What a member was refused, so the refusal names it. */
const FORBIDDEN: Record<'case' | 'analytics' | 'weekly-report' | 'reassign' | 'webhooks', Bilingual> = {
  case: PLATFORM_TEXTS.forbiddenCase,
  analytics: PLATFORM_TEXTS.forbiddenAnalytics,
  'weekly-report': PLATFORM_TEXTS.forbiddenWeeklyReport,
  reassign: PLATFORM_TEXTS.forbiddenReassign,
  webhooks: PLATFORM_TEXTS.forbiddenWebhooks,
};

export class StaffForbiddenError extends HttpError {
  constructor(what: keyof typeof FORBIDDEN = 'case') {
    super(403, 'urn:redress:problem:staff-forbidden', FORBIDDEN[what]);
    this.name = 'StaffForbiddenError';
  }
}
