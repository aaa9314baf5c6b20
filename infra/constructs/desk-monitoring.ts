import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { HUMAN_STEPS } from '../../functions/domain/lifecycle';
import {
  BREACH_STAGES,
  ESCALATION_TARGETS,
  METRIC_NAMESPACE,
  METRIC_SERVICE,
  METRICS,
  REDRIVE_REASONS,
  SUPPRESSION_REASONS,
  UNDELIVERED_REASONS,
} from '../../functions/lib/metric-names';
import type { RedressFunction } from './redress-function';

export interface DeskMonitoringProps {
  functions: ReadonlyMap<string, RedressFunction>;
  stateMachine: sfn.StateMachine;
  api: apigw.RestApi;
  apiAccessLogs: logs.ILogGroup;
  /** Receives every alarm by email (SNS subscription, confirmed from the first mail). */
  alarmEmail?: string;
  /** The WAF web ACL's name and its rate-based rule, when WAF is on. */
  waf?: { webAclName: string; rateRuleName: string };
  /** The `service` dimension of this desk's metrics (one per stage). */
  metricService?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * What the operator watches: alarms to one SNS topic (the alarm email subscribes to it) and the
 * complaint desk's dashboard. Alarms exist with or without an alarm email, so an operator can
 * subscribe a pager or chat later without a deploy.
 */
export class DeskMonitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DeskMonitoringProps) {
    super(scope, id);
    const { functions, stateMachine, api } = props;

    // No SSE: CloudWatch alarms cannot publish to a topic under the AWS managed SNS key, and the
    // messages carry alarm names and metric values only.
    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Redress alarms', enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const notify = new SnsAction(this.topic);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string, threshold = 1) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(notify);
      this.alarms.push(created);
      return created;
    };
    const desk = (metricName: string, dimensions: Record<string, string> = {}, label?: string) =>
      new cloudwatch.Metric({
        namespace: METRIC_NAMESPACE,
        metricName,
        dimensionsMap: { service: props.metricService ?? METRIC_SERVICE, ...dimensions },
        statistic: 'Sum',
        period: FIVE_MINUTES,
        ...(label ? { label } : {}),
      });
    const sumOf = (label: string, metrics: Record<string, cloudwatch.IMetric>) =>
      new cloudwatch.MathExpression({
        expression: Object.keys(metrics)
          .map((k) => `FILL(${k}, 0)`)
          .join(' + '),
        usingMetrics: metrics,
        label,
        period: FIVE_MINUTES,
      });

    // ---- Functions: a failed or throttled invocation (a throttled async event is retried, a
    // throttled API call is a 5xx to the complainant).
    for (const [fnId, fn] of functions) {
      alarm(
        `${fnId}ErrorsOrThrottles`,
        sumOf(`${fnId} errors + throttles`, {
          e: fn.function.metricErrors({ period: FIVE_MINUTES }),
          t: fn.function.metricThrottles({ period: FIVE_MINUTES }),
        }),
        `${fnId} failed or was throttled at least once in 5 minutes`,
      );
      const deadLetters = fn.asyncDeadLetterQueue;
      if (deadLetters) {
        alarm(
          `${fnId}DeadLetters`,
          deadLetters.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
          `${fnId}: an asynchronous event failed for good and waits in its dead-letter queue (docs/operating.md runbook)`,
        );
      }
    }

    // ---- Workflow
    alarm(
      'WorkflowFailures',
      stateMachine.metricFailed({ period: FIVE_MINUTES }),
      'A complaint-handling execution failed (missed deadlines are caught and never fail it, so this is a fault; docs/operating.md runbook)',
    );
    alarm(
      'WorkflowTimeouts',
      stateMachine.metricTimedOut({ period: FIVE_MINUTES }),
      'A complaint-handling execution timed out (docs/operating.md runbook)',
    );
    alarm(
      'EscalatedToManager',
      desk(METRICS.escalations, { to: 'manager' }),
      'A missed deadline moved a task to the desk manager',
    );
    alarm(
      'DeadlinesBreached',
      sumOf('Breaches', Object.fromEntries(BREACH_STAGES.map((stage) => [stage, desk(METRICS.breaches, { stage })]))),
      'A task passed its last escalation (breached), or went unanswered again by the last resort (overdue)',
    );
    alarm(
      'OpenExecutionQuotaReached',
      desk(METRICS.workflowStartsRefused, { reason: 'execution-limit' }),
      "Step Functions refused a start: the account's open executions reached their quota. New complaints are stored and wait, marked pending, for the start reconciler; request a higher quota (docs/scale.md)",
    );
    alarm(
      'ProvisionalDeadlines',
      desk(METRICS.provisionalDeadlines),
      'A deadline ran into a year without holiday data in its working calendar: it counted ordinary weekdays there and is marked provisional. Add the year to desk.calendars (docs/usage.md: business calendars)',
    );
    alarm(
      'StalledCasesRedriven',
      sumOf(
        'Stalled cases re-driven',
        Object.fromEntries(
          REDRIVE_REASONS.map((reason) => [reason.replace(/-/g, '_'), desk(METRICS.casesRedriven, { reason })]),
        ),
      ),
      'The sweeper found an open case that nothing would move (no running execution, or no live task long past its deadline) and started it again at its step: look for the fault that stopped it (docs/operating.md: no case stops silently)',
    );

    // ---- API: server errors, and requests refused for throttling (stage limits or WAF's per-IP rule).
    alarm(
      'ApiServerErrors',
      api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
      'The public API answered with a 5xx',
    );
    const throttledFilter = new logs.MetricFilter(this, 'ApiThrottledFilter', {
      logGroup: props.apiAccessLogs,
      metricNamespace: METRIC_NAMESPACE,
      metricName: 'ApiThrottled',
      filterPattern: logs.FilterPattern.stringValue('$.status', '=', '429'),
      metricValue: '1',
    });
    const apiThrottled = throttledFilter.metric({
      period: FIVE_MINUTES,
      statistic: 'Sum',
      label: 'API 429 (stage throttling)',
    });
    alarm(
      'ApiThrottled',
      apiThrottled,
      'The public API refused requests with 429 (stage or intake throttling): raise api.* limits if this is real traffic',
    );
    let wafRateLimited: cloudwatch.Metric | undefined;
    if (props.waf) {
      wafRateLimited = new cloudwatch.Metric({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensionsMap: { WebACL: props.waf.webAclName, Region: Stack.of(this).region, Rule: props.waf.rateRuleName },
        statistic: 'Sum',
        period: FIVE_MINUTES,
        label: 'WAF per-IP rate limit (429)',
      });
      alarm(
        'ApiClientRateLimited',
        wafRateLimited,
        "WAF's per-IP rate-based rule answered 429 to a client (waf.rateLimitPer5Minutes)",
      );
    }

    // ---- Mail: bounces and complaints (SES suspends accounts at 10 % bounces / 0.5 % complaints).
    const sesRate = (metricName: string) =>
      new cloudwatch.Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });
    alarm(
      'MailBounceRate',
      sesRate('Reputation.BounceRate'),
      "The account's SES bounce rate reached 5 % (SES reviews the account at 10 %)",
      0.05,
    );
    alarm(
      'MailComplaintRate',
      sesRate('Reputation.ComplaintRate'),
      "The account's SES complaint rate reached 0.1 % (SES reviews the account at 0.5 %)",
      0.001,
    );
    const suppressed = sumOf(
      'Addresses suppressed',
      Object.fromEntries(SUPPRESSION_REASONS.map((reason) => [reason, desk(METRICS.mailSuppressed, { reason })])),
    );
    const undelivered = sumOf(
      'Emails given up',
      Object.fromEntries(
        UNDELIVERED_REASONS.map((why) => [why.replace(/-/g, '_'), desk(METRICS.mailUndelivered, { why })]),
      ),
    );
    alarm(
      'MailUndelivered',
      undelivered,
      "An email recorded with a change of a case was given up (SES refused it, or it stayed unsent for three days): the case's history names it (mail.undelivered); reach the recipient another way",
    );
    alarm(
      'MailBouncedOrComplained',
      suppressed,
      'SES reported a hard bounce or a spam complaint; Redress stopped mailing that address (docs/operating.md: suppressed addresses)',
    );

    // ---- The complaint desk's dashboard
    const graph = (
      title: string,
      left: cloudwatch.IMetric[],
      width = 8,
      extra: Partial<cloudwatch.GraphWidgetProps> = {},
    ) => new cloudwatch.GraphWidget({ title, left, width, height: 6, ...extra });
    const perFunction = (make: (fn: RedressFunction) => cloudwatch.IMetric) => [...functions.values()].map(make);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-complaint-desk`,
      defaultInterval: Duration.days(7),
      widgets: [
        [
          graph('Complaints received', [
            desk(METRICS.complaintsReceived, {}, 'received').with({ period: Duration.hours(1) }),
          ]),
          graph(
            'Decisions by step',
            HUMAN_STEPS.map((step) => desk(METRICS.decisions, { step }, step).with({ period: Duration.hours(1) })),
            8,
            { stacked: true },
          ),
          graph('Escalations and breaches', [
            ...ESCALATION_TARGETS.map((to) =>
              desk(METRICS.escalations, { to }, `escalated to ${to}`).with({ period: Duration.hours(1) }),
            ),
            ...BREACH_STAGES.map((stage) =>
              desk(METRICS.breaches, { stage }, stage).with({ period: Duration.hours(1) }),
            ),
          ]),
        ],
        [
          graph(
            'Workflow executions',
            [
              stateMachine.metricStarted({ label: 'started' }),
              stateMachine.metricSucceeded({ label: 'succeeded' }),
              stateMachine.metricFailed({ label: 'failed' }),
              stateMachine.metricTimedOut({ label: 'timed out' }),
              stateMachine.metricAborted({ label: 'aborted (withdrawn)' }),
            ].map((m) => m.with({ period: Duration.hours(1) })),
          ),
          graph('API requests and errors', [
            api.metricCount({ label: 'requests', statistic: 'Sum' }),
            api.metricClientError({ label: '4xx', statistic: 'Sum' }),
            api.metricServerError({ label: '5xx', statistic: 'Sum' }),
            apiThrottled,
            ...(wafRateLimited ? [wafRateLimited] : []),
          ]),
          graph(
            'API latency',
            ['p50', 'p90', 'p99'].map((statistic) => api.metricLatency({ statistic, label: statistic })),
          ),
        ],
        [
          graph(
            'Lambda errors',
            perFunction((fn) => fn.function.metricErrors({ label: fn.node.id })),
          ),
          graph(
            'Lambda throttles',
            perFunction((fn) => fn.function.metricThrottles({ label: fn.node.id })),
          ),
          graph(
            'Lambda duration p90',
            perFunction((fn) => fn.function.metricDuration({ label: fn.node.id, statistic: 'p90' })),
          ),
        ],
        [
          graph('Mail: suppressed and skipped', [
            ...SUPPRESSION_REASONS.map((reason) => desk(METRICS.mailSuppressed, { reason }, `suppressed (${reason})`)),
            desk(METRICS.mailSkipped, {}, 'emails skipped'),
          ]),
          graph('SES reputation (account)', [sesRate('Reputation.BounceRate'), sesRate('Reputation.ComplaintRate')]),
          graph(
            'Dead-letter queues',
            [...functions.values()].flatMap((fn) =>
              fn.asyncDeadLetterQueue
                ? [
                    fn.asyncDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
                      label: fn.node.id,
                      statistic: 'Maximum',
                    }),
                  ]
                : [],
            ),
          ),
        ],
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 6 })],
      ],
    });
  }
}
