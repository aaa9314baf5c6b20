import middy from '@middy/core';
import { handlerFor } from '../domain/assignment';
import type { ComplaintRecord } from '../domain/complaint';
import type { ComplaintEvent } from '../domain/history';
import { REJECTION_EXPLANATIONS, STEP_ROLE, type HumanStep, type RejectionReason } from '../domain/lifecycle';
import { deadlineAfter } from '../domain/service-levels';
import { stageAfter, type NextStage } from '../domain/steps';
import { closeComplaint, updateComplaint } from '../lib/complaint-store';
import { trackingUrl } from '../lib/links';
import { log, logContext } from '../lib/log';
import { METRICS, recordMetric } from '../lib/metrics';
import { sendEmail } from '../lib/mailer';
import { loadCase, type TaskOutcome } from '../lib/workflow';
import { acceptedEmail, rejectedEmail, rulingEmail } from '../pages/emails';
import { currentTime } from '../lib/clock';

export interface RecordDecisionInput {
  complaintId: string;
  step: HumanStep;
  decision: TaskOutcome;
}


/**
 * Applies a decided step to the complaint: the change and its event in one transaction, the
 * people concerned told, and the next stage returned to the workflow. Runs inside the workflow,
 * so a decision is recorded only once Step Functions has accepted it.
 */
async function recordDecision(input: RecordDecisionInput): Promise<{ next: NextStage['next'] }> {
  const { complaint, desk, team, levels, clockScale } = await loadCase(input.complaintId);
  const decision = input.decision;
  const stage = stageAfter(decision);
  // A retried step finds its own decision already applied and only answers where to go.
  if (complaint.lastDecisionAt === decision.decidedAt) return { next: stage.next };
  recordMetric(METRICS.decisions, 1, { step: input.step });

  const at = currentTime().toISOString();
  const by = { decidedBy: decision.decidedBy, decidedAt: decision.decidedAt, lastDecisionAt: decision.decidedAt };
  const base: ComplaintEvent = { at, actor: STEP_ROLE[input.step], action: 'decision.recorded', details: { step: input.step, decision: decision.decision, decidedBy: decision.decidedBy, decidedAt: decision.decidedAt } };
  const withDetails = (action: ComplaintEvent['action'], details: Record<string, unknown>): ComplaintEvent => ({ ...base, action, details: { ...base.details, ...details } });
  const recipient = async () => ({ to: complaint.complainant.email, name: complaint.complainant.name, number: complaint.number, trackingUrl: await trackingUrl(complaint.id, complaint.trackingSalt), language: complaint.language });
  const close = (events: ComplaintEvent[], changes: Partial<ComplaintRecord> = {}) => closeComplaint(complaint.id, (stage as { outcome: 'resolved' | 'rejected' }).outcome, at, desk.retentionDays, events, { ...changes, lastDecisionAt: decision.decidedAt });

  switch (decision.step) {
    case 'evidence':
      await updateComplaint(complaint.id, { lastDecisionAt: by.lastDecisionAt }, withDetails('decision.recorded', {}));
      break;
    case 'acceptance':
      if (decision.decision === 'accept') {
        const handler = complaint.level ? handlerFor(team, complaint.id) : (complaint.assignee ?? decision.decidedBy);
        await updateComplaint(complaint.id, { handler, lastDecisionAt: by.lastDecisionAt, pendingQuestion: undefined }, withDetails('decision.recorded', { ...(decision.note ? { note: decision.note } : {}), complainantNote: { 'zh-CN': '已受理，进入调查', en: 'Accepted; under investigation' } }));
        await sendEmail(acceptedEmail(await recipient()));
      } else if (decision.decision === 'reject') {
        await close([withDetails('decision.recorded', { reason: decision.reason, ...(decision.note ? { note: decision.note } : {}), complainantNote: REJECTION_EXPLANATIONS[decision.reason] })]);
        await sendEmail(rejectedEmail({ ...(await recipient()), reason: decision.reason as RejectionReason }));
      } else {
        await updateComplaint(complaint.id, { pendingQuestion: decision.question, lastDecisionAt: by.lastDecisionAt }, withDetails('information.requested', { question: decision.question, complainantNote: { 'zh-CN': decision.question, en: decision.question } }));
      }
      break;
    case 'information':
      // The acceptance review starts its 24 h again from the answer.
      await updateComplaint(
        complaint.id,
        { pendingQuestion: undefined, acceptanceDeadlineAt: deadlineAfter(new Date(at), levels.acceptanceSeconds, clockScale).toISOString(), lastDecisionAt: by.lastDecisionAt },
        withDetails('information.provided', { answer: decision.answer, complainantNote: { 'zh-CN': decision.answer, en: decision.answer } }),
      );
      break;
    case 'investigation':
      if (decision.decision === 'record-findings') {
        await updateComplaint(complaint.id, { lastDecisionAt: by.lastDecisionAt }, withDetails('findings.recorded', { findings: decision.findings, actions: decision.actions, ...(decision.note ? { note: decision.note } : {}) }));
      } else {
        await updateComplaint(complaint.id, { respondentEmail: decision.respondentEmail, pendingQuestion: decision.question, lastDecisionAt: by.lastDecisionAt }, withDetails('statement.requested', { respondentEmail: decision.respondentEmail, question: decision.question }));
      }
      break;
    case 'statement':
      await updateComplaint(complaint.id, { pendingQuestion: undefined, lastDecisionAt: by.lastDecisionAt }, withDetails('statement.received', { statement: decision.statement }));
      break;
    case 'reply': {
      const reply = { reply: decision.reply, grounds: decision.grounds, ...(decision.followUp ? { followUp: decision.followUp } : {}) };
      // The reply itself is emailed with the survey link when the survey opens (next step).
      await updateComplaint(complaint.id, { reply, repliedAt: at, lastDecisionAt: by.lastDecisionAt }, withDetails('reply.sent', { ...reply, complainantNote: { 'zh-CN': decision.reply, en: decision.reply } }));
      break;
    }
    case 'survey':
      if (decision.decision === 'rate') {
        await close([withDetails('survey.answered', { rating: decision.rating, ...(decision.comment ? { comment: decision.comment } : {}) })], { satisfaction: decision.rating });
      } else {
        await updateComplaint(complaint.id, { reviewRequestedAt: at, lastDecisionAt: by.lastDecisionAt }, withDetails('review.requested', { reason: decision.reason }));
      }
      break;
    case 'review': {
      const overturned = decision.decision === 'overturn';
      const reply = overturned ? { reply: decision.reply, ...(decision.grounds ? { grounds: decision.grounds } : {}) } : undefined;
      const note = overturned ? { 'zh-CN': `撤销原结果：${decision.reply}`, en: `Overturned: ${decision.reply}` } : { 'zh-CN': '维持原处理结果', en: 'The original outcome stands' };
      await close([withDetails('review.ruled', { ruling: decision.decision, reason: decision.reason, ...(reply ?? {}), complainantNote: note })], { finalRulingAt: at, ...(reply ? { reply } : {}) });
      await sendEmail(rulingEmail({ ...(await recipient()), upheld: !overturned, reason: decision.reason, reply: reply?.reply, grounds: reply?.grounds }));
      break;
    }
  }
  log.info('decision recorded', { complaintId: complaint.id, step: input.step, decision: decision.decision, next: stage.next });
  return { next: stage.next };
}

export const handler = middy<RecordDecisionInput, { next: NextStage['next'] }>().use(logContext()).handler(recordDecision);
