/**
 * The desk's custom CloudWatch metrics: emitted by functions/lib/metrics.ts (EMF), read by the
 * stack's alarms and dashboard. One list, so a renamed metric cannot silently stop an alarm.
 */
import type { StalledReason } from '../domain/stalled';

export const METRIC_NAMESPACE = 'Redress';
/** Powertools adds `service` as a dimension to every metric; alarms must name it too. */
export const METRIC_SERVICE = 'redress';

/** The `service` of one desk's metrics: each stage of several desks in one account counts apart. */
export function metricServiceOf(stage?: string): string {
  return stage ? `${METRIC_SERVICE}-${stage}` : METRIC_SERVICE;
}

export const METRICS = {
  /** A complaint stored and its workflow started (FileComplaint). */
  complaintsReceived: 'ComplaintsReceived',
  /** A missed staff deadline moved the task one person up; dimension `to`: supervisor | manager. */
  escalations: 'Escalations',
  /** A task passed its last escalation (breached) or, breached, went unanswered again (overdue); dimension `stage`. */
  breaches: 'Breaches',
  /** A human step's decision applied (RecordDecision); dimension `step`. */
  decisions: 'Decisions',
  /** An address SES reported as a hard bounce or a complaint, now suppressed; dimension `reason`. */
  mailSuppressed: 'MailSuppressed',
  /** An email recorded with a change and given up (refused for good, or unsent for days); dimension `why`: refused | too-old. */
  mailUndelivered: 'MailUndelivered',
  /** An email not sent because its recipient is suppressed. */
  mailSkipped: 'MailSkipped',
  /** A deadline ran into a year without holiday data in its working calendar (counted as ordinary weekdays): it is provisional. */
  provisionalDeadlines: 'ProvisionalDeadlines',
  /** An open case with nothing left to move it (no running execution, or no live task long past its deadline) started again at its step (SweepStalledCases); dimension `reason`. */
  casesRedriven: 'CasesRedriven',
  /** Step Functions refused to start a workflow (the complaint waits, marked pending, for the reconciler); dimension `reason`. */
  workflowStartsRefused: 'WorkflowStartsRefused',
  /** Platform events the outbox's publisher found waiting past their due time in one run (DeliverQueuedEvents). */
  eventsWaiting: 'PlatformEventsWaiting',
  /** How long (seconds) the oldest of those has waited since its change; 0 when none. */
  oldestWaitingEventAge: 'OldestWaitingPlatformEventAge',
} as const;

export type MetricName = (typeof METRICS)[keyof typeof METRICS];

export const ESCALATION_TARGETS = ['supervisor', 'manager'] as const;
export const BREACH_STAGES = ['breached', 'overdue'] as const;
/** Why Step Functions refused a start (app/shared/workflow.ts). */
export const START_REFUSAL_REASONS = ['throttled', 'execution-limit', 'other'] as const;
export const SUPPRESSION_REASONS = ['bounce', 'complaint'] as const;
/** Why an email of the outbox was given up (domain/mail-delivery.ts). */
export const UNDELIVERED_REASONS = ['refused', 'too-old'] as const;
/** Why the sweeper re-drove a case (domain/stalled.ts StalledReason). */
export const REDRIVE_REASONS = ['execution-not-running'] as const satisfies readonly StalledReason[];
