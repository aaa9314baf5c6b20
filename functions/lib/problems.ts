import type { Bilingual, Language } from '../domain/language';
import { HttpError } from './http';

/**
 * The problem types of intake and self-service (RFC 9457). `type` URNs are stable: clients and
 * the online form branch on them.
 */

/** Matters the desk does not handle are refused at once, with where else to go. */
export class OutOfScopeError extends HttpError {
  constructor(refusal: { rule: string; reason: Bilingual; whereElse: Bilingual }, language: Language) {
    super(
      422,
      'urn:redress:problem:out-of-scope',
      { 'zh-CN': '不属于本平台的受理范围', en: 'This is not something this desk handles' },
      {
        detail: refusal.reason,
        extra: { rule: refusal.rule, whereElse: refusal.whereElse[language] },
      },
    );
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
    const detail: Bilingual =
      cause === 'malicious'
        ? {
            'zh-CN':
              '该事项已有最终裁定，就同一事项再次投诉属于恶意投诉（投诉规则第二条）。' +
              (ban.permanent ? '您已被永久停止投诉。' : `您在 ${ban.until} 之前不能提交投诉。`),
            en:
              'This matter already has a final ruling; complaining about it again is a malicious complaint under the complaint rules. ' +
              (ban.permanent ? 'You may no longer file complaints.' : `You cannot file complaints until ${ban.until}.`),
          }
        : {
            'zh-CN': ban.permanent
              ? '因多次恶意投诉，您已被永久停止投诉。'
              : `因恶意投诉，您在 ${ban.until} 之前不能提交投诉。`,
            en: ban.permanent
              ? 'After repeated malicious complaints you may no longer file complaints.'
              : `After a malicious complaint you cannot file complaints until ${ban.until}.`,
          };
    super(
      403,
      'urn:redress:problem:complainant-banned',
      { 'zh-CN': '您暂时不能提交投诉', en: 'You cannot file complaints at present' },
      {
        detail,
        extra: { bannedUntil: ban.permanent ? null : ban.until, permanent: ban.permanent },
      },
    );
    this.name = 'ComplainantBannedError';
  }
}

export class IdempotencyKeyReusedError extends HttpError {
  constructor() {
    super(
      422,
      'urn:redress:problem:idempotency-key-reused',
      {
        'zh-CN': '该 Idempotency-Key 已用于另一份内容不同的请求',
        en: 'This Idempotency-Key was used for a different request',
      },
      {
        detail: {
          'zh-CN': '重试请求必须与第一次完全相同；新的投诉请使用新的 Idempotency-Key。',
          en: 'A retry must repeat the first request exactly; use a new Idempotency-Key for a new complaint.',
        },
      },
    );
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
  case: { 'zh-CN': '您无权查看或处理此案件', en: 'You may not see or act on this case' },
  analytics: {
    'zh-CN': '统计分析仅供主管及以上人员查看',
    en: 'Analytics are for supervisors, managers and operators',
  },
  'weekly-report': {
    'zh-CN': '周报仅可由经理（其负责的团队）或管理员发送',
    en: 'The weekly report is sent by managers (for their own teams) and operators',
  },
  reassign: { 'zh-CN': '只有主管及以上人员可以改派任务', en: 'Only supervisors and up may reassign a task' },
  webhooks: { 'zh-CN': '推送记录仅供经理及管理员查看', en: 'The webhook delivery log is for managers and operators' },
};

export class StaffForbiddenError extends HttpError {
  constructor(what: keyof typeof FORBIDDEN = 'case') {
    super(403, 'urn:redress:problem:staff-forbidden', FORBIDDEN[what]);
    this.name = 'StaffForbiddenError';
  }
}
