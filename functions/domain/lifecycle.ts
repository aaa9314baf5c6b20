import type { FieldError } from './field-errors';
import type { Bilingual, Language } from './language';

/** Where a complaint stands. The workflow moves it; every move is also an event. */
export const COMPLAINT_STATUSES = ['received', 'acceptance-review', 'accepted', 'rejected', 'breached'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const STATUS_LABELS: Record<ComplaintStatus, Bilingual> = {
  received: { 'zh-CN': '已收到', en: 'Received' },
  'acceptance-review': { 'zh-CN': '受理审核中', en: 'Under acceptance review' },
  accepted: { 'zh-CN': '已受理', en: 'Accepted' },
  rejected: { 'zh-CN': '不予受理', en: 'Not accepted' },
  breached: { 'zh-CN': '已超时，等待主管处理', en: 'Overdue, waiting for a supervisor' },
};

/** The human steps of the workflow. Each is one task link, one assignee, one deadline. */
export const HUMAN_STEPS = ['acceptance'] as const;
export type HumanStep = (typeof HUMAN_STEPS)[number];

export const STEP_LABELS: Record<HumanStep, Bilingual> = {
  acceptance: { 'zh-CN': '受理审核', en: 'Acceptance review' },
};

export const STEP_STATUS: Record<HumanStep, ComplaintStatus> = { acceptance: 'acceptance-review' };

export const REJECTION_REASONS = ['out-of-scope', 'insufficient-evidence', 'duplicate', 'malicious'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** What the complainant is told for each refusal reason (seed 003). */
export const REJECTION_EXPLANATIONS: Record<RejectionReason, Bilingual> = {
  'out-of-scope': {
    'zh-CN': '该事项不属于本平台的投诉受理范围（例如线下纠纷、版主依规则并说明理由的正常管理）。如涉及线下纠纷，可向消费者协会或相关主管部门反映。',
    en: 'This matter is outside what this platform handles (for example an offline dispute, or normal moderation with stated grounds). For offline disputes you may turn to a consumer association or the competent authority.',
  },
  'insufficient-evidence': {
    'zh-CN': '现有材料不足以核实投诉内容。您可补充截图、链接、日志等证据后重新提交。',
    en: 'The material provided is not enough to verify the complaint. You may file again with screenshots, links, logs or other evidence.',
  },
  duplicate: {
    'zh-CN': '该事项与您已提交、仍在处理中的投诉重复，将在原投诉中一并处理。',
    en: 'This duplicates a complaint of yours that is still open; it will be handled there.',
  },
  malicious: {
    'zh-CN': '该事项已有最终处理结论，重复投诉视为恶意投诉。',
    en: 'This matter already has a final ruling; repeating it counts as a malicious complaint.',
  },
};

export const REJECTION_LABELS: Record<RejectionReason, Bilingual> = {
  'out-of-scope': { 'zh-CN': '不属于受理范围', en: 'Out of scope' },
  'insufficient-evidence': { 'zh-CN': '证据不足', en: 'Insufficient evidence' },
  duplicate: { 'zh-CN': '重复投诉', en: 'Duplicate' },
  malicious: { 'zh-CN': '恶意投诉', en: 'Malicious' },
};

export type AcceptanceDecision = { decision: 'accept'; note?: string } | { decision: 'reject'; reason: RejectionReason; note?: string };
export type StepDecision = AcceptanceDecision;

const NOTE_MAX = 2000;

/**
 * Reads a decision from the posted form of a task page. Field names are a public contract:
 * `decision`, `reason`, `note`.
 */
export function parseStepDecision(step: HumanStep, form: Record<string, string | undefined>, language: Language): { ok: true; decision: StepDecision } | { ok: false; errors: FieldError[] } {
  const zh = language === 'zh-CN';
  const errors: FieldError[] = [];
  const note = form.note?.trim() || undefined;
  if (note && note.length > NOTE_MAX) errors.push({ path: 'note', message: zh ? `最多 ${NOTE_MAX} 个字符` : `must be at most ${NOTE_MAX} characters` });
  switch (step) {
    case 'acceptance': {
      if (form.decision === 'accept') return errors.length ? { ok: false, errors } : { ok: true, decision: { decision: 'accept', note } };
      if (form.decision === 'reject') {
        const reason = form.reason as RejectionReason;
        if (!(REJECTION_REASONS as readonly string[]).includes(reason)) {
          errors.push({ path: 'reason', message: zh ? `请选择不予受理的理由：${REJECTION_REASONS.join('、')}` : `choose a reason: ${REJECTION_REASONS.join(', ')}` });
        }
        return errors.length ? { ok: false, errors } : { ok: true, decision: { decision: 'reject', reason, note } };
      }
      errors.push({ path: 'decision', message: zh ? '请选择：accept（受理）或 reject（不予受理）' : 'choose accept or reject' });
      return { ok: false, errors };
    }
  }
}

/** The status a decision on a step leads to. */
export function statusAfterDecision(decision: StepDecision): ComplaintStatus {
  return decision.decision === 'accept' ? 'accepted' : 'rejected';
}
