import type { ComplaintRecord } from './complaint';
import type { ServiceLevels } from './config';
import type { Bilingual } from './language';
import { reviewWindowEnd } from './deadlines';

export type ReviewEligibility =
  | { ok: true; until: Date }
  | {
      ok: false;
      why: 'not-replied' | 'already-requested' | 'window-closed' | 'not-resolved';
      title: Bilingual;
      detail?: Bilingual;
    };

/**
 * A complainant may ask once for a review (复核), within the review window (15 days) after the
 * reply, of a case that was answered (not refused, withdrawn or abandoned).
 */
export function reviewEligibility(
  complaint: ComplaintRecord,
  levels: ServiceLevels,
  clockScale: number,
  now: Date,
): ReviewEligibility {
  if (complaint.reviewRequestedAt || complaint.finalRulingAt)
    return {
      ok: false,
      why: 'already-requested',
      title: { 'zh-CN': '每个投诉只能申请一次复核', en: 'A review can be asked for only once' },
      detail: { 'zh-CN': '复核结论为最终结论。', en: "The review's ruling is final." },
    };
  if (!complaint.repliedAt)
    return {
      ok: false,
      why: 'not-replied',
      title: { 'zh-CN': '尚未答复，暂不能申请复核', en: 'There is no reply to review yet' },
    };
  if (complaint.status === 'closed' && complaint.outcome !== 'resolved')
    return {
      ok: false,
      why: 'not-resolved',
      title: { 'zh-CN': '该投诉已结束，不能申请复核', en: 'This complaint ended without a reply to review' },
    };
  const until = reviewWindowEnd(complaint.repliedAt, levels, clockScale);
  if (now > until)
    return {
      ok: false,
      why: 'window-closed',
      title: { 'zh-CN': '已超过申请复核的期限', en: 'The time to ask for a review has passed' },
    };
  return { ok: true, until };
}
