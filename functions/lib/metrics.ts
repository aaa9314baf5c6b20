import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { EscalationStep } from '../domain/escalation';
import type { Team } from '../domain/config';
import { METRIC_NAMESPACE, METRIC_SERVICE, METRICS, type MetricName } from './metric-names';
import { log } from './log';

/**
 * Business metrics as CloudWatch Embedded Metric Format: one JSON line on stdout per metric,
 * which Lambda's log pipeline turns into a metric (no PutMetricData call, no IAM, no latency).
 * Each call flushes at once (a single-metric instance), so no handler needs a middleware and a
 * failed invocation still counts what it did before failing.
 *
 * Outside Lambda (the local stack, tests) nothing is printed: EMF lines would only be noise on a
 * laptop. `POWERTOOLS_METRICS_DISABLED=false` turns them on anywhere (the unit test does);
 * `POWERTOOLS_METRICS_DISABLED=true` or `REDRESS_LOG_LEVEL=silent` turns them off anywhere.
 */
function enabled(): boolean {
  const flag = process.env.POWERTOOLS_METRICS_DISABLED;
  if (flag !== undefined && flag !== '') return flag.toLowerCase() !== 'true' && flag !== '1';
  if (process.env.REDRESS_LOG_LEVEL === 'silent') return false;
  return !!process.env.AWS_LAMBDA_FUNCTION_NAME;
}

let metrics: Metrics | undefined;

/** Counts `value` of `name` now, with optional dimensions (besides `service`). Never throws. */
export function recordMetric(name: MetricName, value = 1, dimensions: Record<string, string> = {}): void {
  if (!enabled()) return;
  try {
    // The deployment names its desk's service (one per stage); the default otherwise.
    metrics ??= new Metrics({
      namespace: METRIC_NAMESPACE,
      serviceName: process.env.POWERTOOLS_SERVICE_NAME || METRIC_SERVICE,
    });
    const single = metrics.singleMetric();
    for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
    single.addMetric(name, MetricUnit.Count, value);
  } catch (error) {
    // A metric is never worth failing a complaint for.
    log.warn('metric not recorded', { metric: name, error });
  }
}

/** EscalateStep's outcome as metrics: an escalation to the supervisor or manager, or a breach. */
export function recordEscalation(next: EscalationStep, team: Pick<Team, 'manager'>, firstBreach: boolean): void {
  if (next.breached) recordMetric(METRICS.breaches, 1, { stage: firstBreach ? 'breached' : 'overdue' });
  else recordMetric(METRICS.escalations, 1, { to: next.assignee === team.manager ? 'manager' : 'supervisor' });
}

/**
 * A deadline counted in a working calendar ran into years without holiday data: it is
 * provisional until the desk config has those years. Counted once per deadline computed.
 */
export function recordProvisionalDeadline(step: string, years: readonly number[]): void {
  log.warn('provisional deadline: no holiday data', { step, years });
  recordMetric(METRICS.provisionalDeadlines);
}

export { METRICS };
