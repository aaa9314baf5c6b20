import { handlerFor } from './assignment';
import type { ComplaintRecord } from './complaint';
import type { ServiceLevels, Team } from './config';
import { acceptanceDeadline, serviceSecondsLeft } from './deadlines';
import type { ComplaintEvent } from './history';
import { REJECTION_EXPLANATIONS, STEP_ROLE, type RejectionReason } from './lifecycle';
import type { StepDecision } from './steps';
import { messageEvent, type SentMessage } from './messages';

/** A decided step as the workflow hands it on: the decision, who made it and when. */
export type TaskOutcome = StepDecision & { decidedBy: string; decidedAt: string };

/** Who is told what, once the change is written. */
export type DecisionNotice =
  | { kind: 'accepted' }
  | { kind: 'rejected'; reason: RejectionReason; message?: string }
  | { kind: 'ruling'; upheld: boolean; reason: string; reply?: string; grounds?: string }
  | { kind: 'message'; message: SentMessage };

/**
 * What a decision does to a case: the record's changes, the event that says why, and who is told.
 * Whether it closes the case, and with which outcome, is `stageAfter`'s to say (steps.ts).
 */
export interface DecisionEffect {
  changes: Partial<ComplaintRecord>;
  event: ComplaintEvent;
  notice?: DecisionNotice;
}

/**
 * The case state machine for decisions: given the case and a decided step, what changes. Pure:
 * the caller writes it in one transaction and sends the notice. `at` is when it is recorded.
 */
export function applyDecision(
  complaint: ComplaintRecord,
  decision: TaskOutcome,
  context: { team: Team; levels: ServiceLevels; clockScale: number; at: string },
): DecisionEffect {
  const { at } = context;
  const base: ComplaintEvent = {
    at,
    actor: STEP_ROLE[decision.step],
    action: 'decision.recorded',
    details: {
      step: decision.step,
      decision: decision.decision,
      decidedBy: decision.decidedBy,
      decidedAt: decision.decidedAt,
    },
  };
  const event = (action: ComplaintEvent['action'], details: Record<string, unknown> = {}): ComplaintEvent => ({
    ...base,
    action,
    details: { ...base.details, ...details },
  });
  const note = 'note' in decision && decision.note ? { note: decision.note } : {};
  const changes = (more: Partial<ComplaintRecord> = {}): Partial<ComplaintRecord> => ({
    ...more,
    lastDecisionAt: decision.decidedAt,
  });

  if (decision.decision === 'await-answer') {
    // The step's clock stops: what was left of its deadline is kept, and given back when it resumes.
    const message: SentMessage = {
      to: decision.to,
      text: decision.text,
      by: decision.decidedBy,
      at,
      awaitUntil: decision.until,
      attachments: decision.attachments ?? [],
    };
    return {
      changes: changes({
        paused: {
          step: decision.step,
          level: complaint.level ?? 0,
          remainingMs: Math.max(0, new Date(complaint.deadlineAt ?? at).getTime() - new Date(at).getTime()),
          remainingServiceSeconds: serviceSecondsLeft(
            new Date(complaint.deadlineAt ?? at),
            new Date(at),
            context.clockScale,
            context.levels.calendar,
          ),
          to: decision.to,
          until: decision.until,
          since: at,
        },
      }),
      event: { ...messageEvent(message, decision.decidedBy), actor: STEP_ROLE[decision.step] },
      notice: { kind: 'message', message },
    };
  }
  switch (decision.step) {
    case 'answer':
      // The paused step opens next with its time left (deadlines.ts openingDeadline).
      return {
        changes: changes(),
        event: event('message.answered', {
          decision: undefined,
          resumes: complaint.paused?.step,
          answeredBy: decision.decision === 'answer' ? decision.by : undefined,
        }),
      };
    case 'evidence':
      // Waiting for the complainant's evidence does not eat the desk's time: the acceptance
      // review is counted from when the case became ready for it.
      return {
        changes: changes({
          acceptanceDeadlineAt: acceptanceDeadline(new Date(at), context.levels, context.clockScale).toISOString(),
        }),
        event: event('decision.recorded', {
          complainantNote: {
            'zh-CN': '证据已收到，受理审核时限自此起算',
            en: 'Evidence received; the acceptance review’s time starts now',
          },
        }),
      };
    case 'acceptance':
      if (decision.decision === 'accept') {
        // An escalated acceptance was decided by a supervisor or manager: the case goes to a handler of the team.
        const handler = complaint.level
          ? handlerFor(context.team, complaint.id)
          : (complaint.assignee ?? decision.decidedBy);
        return {
          changes: changes({ handler, pendingQuestion: undefined }),
          event: event('decision.recorded', {
            ...note,
            complainantNote: { 'zh-CN': '已受理，进入调查', en: 'Accepted; under investigation' },
          }),
          notice: { kind: 'accepted' },
        };
      }
      if (decision.decision === 'reject') {
        return {
          changes: changes(),
          event: event('decision.recorded', {
            reason: decision.reason,
            ...note,
            ...(decision.message ? { message: decision.message } : {}),
            complainantNote: decision.message
              ? {
                  'zh-CN': `${REJECTION_EXPLANATIONS[decision.reason]['zh-CN']}\n${decision.message}`,
                  en: `${REJECTION_EXPLANATIONS[decision.reason].en}\n${decision.message}`,
                }
              : REJECTION_EXPLANATIONS[decision.reason],
          }),
          notice: {
            kind: 'rejected',
            reason: decision.reason,
            ...(decision.message ? { message: decision.message } : {}),
          },
        };
      }
      return {
        changes: changes({ pendingQuestion: decision.question }),
        event: event('information.requested', {
          question: decision.question,
          complainantNote: { 'zh-CN': decision.question, en: decision.question },
        }),
      };
    case 'information':
      // The acceptance review starts its time again from the answer.
      return {
        changes: changes({
          pendingQuestion: undefined,
          acceptanceDeadlineAt: acceptanceDeadline(new Date(at), context.levels, context.clockScale).toISOString(),
        }),
        event: event('information.provided', {
          answer: decision.answer,
          complainantNote: { 'zh-CN': decision.answer, en: decision.answer },
        }),
      };
    case 'investigation':
      if (decision.decision === 'record-findings')
        return {
          changes: changes(),
          event: event('findings.recorded', { findings: decision.findings, actions: decision.actions, ...note }),
        };
      return {
        changes: changes({ respondentEmail: decision.respondentEmail, pendingQuestion: decision.question }),
        event: event('statement.requested', { respondentEmail: decision.respondentEmail, question: decision.question }),
      };
    case 'statement':
      return {
        changes: changes({ pendingQuestion: undefined }),
        event: event('statement.received', { statement: decision.statement }),
      };
    case 'reply': {
      const reply = {
        reply: decision.reply,
        grounds: decision.grounds,
        ...(decision.followUp ? { followUp: decision.followUp } : {}),
      };
      // The reply itself is emailed with the survey link when the survey opens (next step).
      return {
        changes: changes({ reply, repliedAt: at }),
        event: event('reply.sent', { ...reply, complainantNote: { 'zh-CN': decision.reply, en: decision.reply } }),
      };
    }
    case 'survey':
      if (decision.decision === 'rate')
        return {
          changes: changes({ satisfaction: decision.rating }),
          event: event('survey.answered', {
            rating: decision.rating,
            ...(decision.comment ? { comment: decision.comment } : {}),
          }),
        };
      return {
        changes: changes({ reviewRequestedAt: at }),
        event: event('review.requested', { reason: decision.reason }),
      };
    case 'review': {
      const overturned = decision.decision === 'overturn';
      const reply = overturned
        ? { reply: decision.reply, ...(decision.grounds ? { grounds: decision.grounds } : {}) }
        : undefined;
      const complainantNote = overturned
        ? { 'zh-CN': `撤销原结果：${decision.reply}`, en: `Overturned: ${decision.reply}` }
        : { 'zh-CN': '维持原处理结果', en: 'The original outcome stands' };
      return {
        changes: changes({ finalRulingAt: at, ...(reply ? { reply } : {}) }),
        event: event('review.ruled', {
          ruling: decision.decision,
          reason: decision.reason,
          ...(reply ?? {}),
          complainantNote,
        }),
        notice: {
          kind: 'ruling',
          upheld: !overturned,
          reason: decision.reason,
          reply: reply?.reply,
          grounds: reply?.grounds,
        },
      };
    }
  }
}
