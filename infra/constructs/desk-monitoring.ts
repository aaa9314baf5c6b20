import { Duration, NestedStack, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { HUMAN_STEPS } from '../../functions/domain/lifecycle';
import { OUTBOX_ALARM_SECONDS } from '../../functions/domain/platform-events';
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

/** The sum of several metrics, a missing point counting as 0. */
const sumOf = (label: string, metrics: Record<string, cloudwatch.IMetric>) =>
  new cloudwatch.MathExpression({
    expression: Object.keys(metrics)
      .map((k) => `FILL(${k}, 0)`)
      .join(' + '),
    usingMetrics: metrics,
    label,
    period: FIVE_MINUTES,
  });

/** The account's SES reputation (SES suspends accounts at 10 % bounces / 0.5 % complaints). */
const sesRate = (metricName: string) =>
  new cloudwatch.Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });

const graph = (
  title: string,
  left: cloudwatch.IMetric[],
  width = 8,
  extra: Partial<cloudwatch.GraphWidgetProps> = {},
) => new cloudwatch.GraphWidget({ title, left, width, height: 6, ...extra });

const hourly = (metric: cloudwatch.Metric) => metric.with({ period: Duration.hours(1) });

/** The API's request counts that the alarms and the dashboard share. */
interface ApiRefusals {
  apiThrottled: cloudwatch.IMetric;
  wafRateLimited?: cloudwatch.Metric;
}

/**
 * What the operator watches: alarms to one SNS topic (the alarm email subscribes to it) and the
 * complaint desk's dashboard. Alarms exist with or without an alarm email, so an operator can
 * subscribe a pager or chat later without a deploy.
 */
export class DeskMonitoring extends Construct {
  readonly topic: sns.Topic;
  /**
   * The alarms and the dashboard, in a nested stack of their own: one alarm per function brings
   * the desk past CloudFormation's 500 resources in one stack. The topic stays in the parent, so
   * its subscriptions (the alarm email) live as long as the desk does.
   */
  readonly alarmsStack: NestedStack;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  private readonly notify: SnsAction;
  private readonly metricService: string;

  constructor(scope: Construct, id: string, props: DeskMonitoringProps) {
    super(scope, id);
    // No SSE: CloudWatch alarms cannot publish to a topic under the AWS managed SNS key, and the
    // messages carry alarm names and metric values only.
    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Redress alarms', enforceSSL: true });
    this.alarmsStack = new NestedStack(this, 'Alarms', { description: 'Redress: the desk’s alarms and dashboard' });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.notify = new SnsAction(this.topic);
    this.metricService = props.metricService ?? METRIC_SERVICE;
    this.functionAlarms(props.functions);
    this.workflowAlarms(props.stateMachine);
    const refusals = this.apiAlarms(props);
    this.mailAlarms();
    this.eventAlarms();
    this.dashboard = new cloudwatch.Dashboard(this.alarmsStack, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-complaint-desk`,
      defaultInterval: Duration.days(7),
      widgets: [
        this.caseRow(),
        this.platformRow(props, refusals),
        functionRow(props.functions),
        this.mailRow(props.functions),
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 6 })],
      ],
    });
  }

  private alarm(alarmId: string, metric: cloudwatch.IMetric, description: string, threshold = 1): cloudwatch.Alarm {
    const created = new cloudwatch.Alarm(this.alarmsStack, alarmId, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    created.addAlarmAction(this.notify);
    this.alarms.push(created);
    return created;
  }

  /** One of the desk's own metrics (functions/lib/metric-names.ts), summed over 5 minutes. */
  private desk(metricName: string, dimensions: Record<string, string> = {}, label?: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRIC_NAMESPACE,
      metricName,
      dimensionsMap: { service: this.metricService, ...dimensions },
      statistic: 'Sum',
      period: FIVE_MINUTES,
      ...(label ? { label } : {}),
    });
  }

  /** A failed or throttled invocation (a throttled async event is retried, a throttled API call is a 5xx to the complainant). */
  private functionAlarms(functions: ReadonlyMap<string, RedressFunction>): void {
    for (const [fnId, fn] of functions) {
      this.alarm(
        `${fnId}ErrorsOrThrottles`,
        sumOf(`${fnId} errors + throttles`, {
          e: fn.function.metricErrors({ period: FIVE_MINUTES }),
          t: fn.function.metricThrottles({ period: FIVE_MINUTES }),
        }),
        `${fnId} failed or was throttled at least once in 5 minutes`,
      );
      const deadLetters = fn.asyncDeadLetterQueue;
      if (deadLetters) {
        this.alarm(
          `${fnId}DeadLetters`,
          deadLetters.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: 'Maximum' }),
          `${fnId}: an asynchronous event failed for good and waits in its dead-letter queue (docs/operating.md runbook)`,
        );
      }
    }
  }

  private workflowAlarms(stateMachine: sfn.StateMachine): void {
    this.alarm(
      'WorkflowFailures',
      stateMachine.metricFailed({ period: FIVE_MINUTES }),
      'A complaint-handling execution failed (missed deadlines are caught and never fail it, so this is a fault; docs/operating.md runbook)',
    );
    this.alarm(
      'WorkflowTimeouts',
      stateMachine.metricTimedOut({ period: FIVE_MINUTES }),
      'A complaint-handling execution timed out (docs/operating.md runbook)',
    );
    this.alarm(
      'EscalatedToManager',
      this.desk(METRICS.escalations, { to: 'manager' }),
      'A missed deadline moved a task to the desk manager',
    );
    this.alarm(
      'DeadlinesBreached',
      sumOf(
        'Breaches',
        Object.fromEntries(BREACH_STAGES.map((stage) => [stage, this.desk(METRICS.breaches, { stage })])),
      ),
      'A task passed its last escalation (breached), or went unanswered again by the last resort (overdue)',
    );
    this.alarm(
      'OpenExecutionQuotaReached',
      this.desk(METRICS.workflowStartsRefused, { reason: 'execution-limit' }),
      "Step Functions refused a start: the account's open executions reached their quota. New complaints are stored and wait, marked pending, for the start reconciler; request a higher quota (docs/scale.md)",
    );
    this.alarm(
      'ProvisionalDeadlines',
      this.desk(METRICS.provisionalDeadlines),
      'A deadline ran into a year without holiday data in its working calendar: it counted ordinary weekdays there and is marked provisional. Add the year to desk.calendars (docs/usage.md: business calendars)',
    );
    this.alarm(
      'StalledCasesRedriven',
      sumOf(
        'Stalled cases re-driven',
        Object.fromEntries(
          REDRIVE_REASONS.map((reason) => [reason.replace(/-/g, '_'), this.desk(METRICS.casesRedriven, { reason })]),
        ),
      ),
      'The sweeper found an open case that nothing would move (no running execution, or no live task long past its deadline) and started it again at its step: look for the fault that stopped it (docs/operating.md: no case stops silently)',
    );
  }

  /** Server errors, and requests refused for throttling (stage limits or WAF's per-IP rule). */
  private apiAlarms(props: DeskMonitoringProps): ApiRefusals {
    this.alarm(
      'ApiServerErrors',
      props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
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
    this.alarm(
      'ApiThrottled',
      apiThrottled,
      'The public API refused requests with 429 (stage or intake throttling): raise api.* limits if this is real traffic',
    );
    if (!props.waf) return { apiThrottled };
    const wafRateLimited = new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      dimensionsMap: { WebACL: props.waf.webAclName, Region: Stack.of(this).region, Rule: props.waf.rateRuleName },
      statistic: 'Sum',
      period: FIVE_MINUTES,
      label: 'WAF per-IP rate limit (429)',
    });
    this.alarm(
      'ApiClientRateLimited',
      wafRateLimited,
      "WAF's per-IP rate-based rule answered 429 to a client (waf.rateLimitPer5Minutes)",
    );
    return { apiThrottled, wafRateLimited };
  }

  /** Bounces and complaints (SES suspends accounts at 10 % bounces / 0.5 % complaints), and mail given up. */
  private mailAlarms(): void {
    this.alarm(
      'MailBounceRate',
      sesRate('Reputation.BounceRate'),
      "The account's SES bounce rate reached 5 % (SES reviews the account at 10 %)",
      0.05,
    );
    this.alarm(
      'MailComplaintRate',
      sesRate('Reputation.ComplaintRate'),
      "The account's SES complaint rate reached 0.1 % (SES reviews the account at 0.5 %)",
      0.001,
    );
    const suppressed = sumOf(
      'Addresses suppressed',
      Object.fromEntries(SUPPRESSION_REASONS.map((reason) => [reason, this.desk(METRICS.mailSuppressed, { reason })])),
    );
    const undelivered = sumOf(
      'Emails given up',
      Object.fromEntries(
        UNDELIVERED_REASONS.map((why) => [why.replace(/-/g, '_'), this.desk(METRICS.mailUndelivered, { why })]),
      ),
    );
    this.alarm(
      'MailUndelivered',
      undelivered,
      "An email recorded with a change of a case was given up (SES refused it, or it stayed unsent for three days): the case's history names it (mail.undelivered); reach the recipient another way",
    );
    this.alarm(
      'MailBouncedOrComplained',
      suppressed,
      'SES reported a hard bounce or a spam complaint; Redress stopped mailing that address (docs/operating.md: suppressed addresses)',
    );
  }

  /**
   * Platform events stuck in the outbox: the publisher (DeliverQueuedEvents, every minute) reports
   * how long the oldest event it found waiting has waited; past 15 minutes the bus has been
   * refusing events for a while and the platform is not being told. (Webhook deliveries that gave
   * up alarm as SendWebhook's dead-letter queue, with every function's.)
   */
  private eventAlarms(): void {
    this.alarm(
      'PlatformEventsStuck',
      this.desk(METRICS.oldestWaitingEventAge).with({ statistic: 'Maximum' }),
      `A platform event has waited in the outbox more than ${OUTBOX_ALARM_SECONDS / 60} minutes: the bus refuses PutEvents (see DeliverQueuedEvents' log: "event not published; tried again later"). Events are kept and published once it takes them (docs/webhooks.md)`,
      OUTBOX_ALARM_SECONDS,
    );
  }

  /** The dashboard's first row: complaints in, decisions, escalations and breaches. */
  private caseRow(): cloudwatch.IWidget[] {
    return [
      graph('Complaints received', [hourly(this.desk(METRICS.complaintsReceived, {}, 'received'))]),
      graph(
        'Decisions by step',
        HUMAN_STEPS.map((step) => hourly(this.desk(METRICS.decisions, { step }, step))),
        8,
        { stacked: true },
      ),
      graph('Escalations and breaches', [
        ...ESCALATION_TARGETS.map((to) => hourly(this.desk(METRICS.escalations, { to }, `escalated to ${to}`))),
        ...BREACH_STAGES.map((stage) => hourly(this.desk(METRICS.breaches, { stage }, stage))),
      ]),
    ];
  }

  /** The workflow's executions, and the API's requests, errors and latency. */
  private platformRow({ stateMachine, api }: DeskMonitoringProps, refusals: ApiRefusals): cloudwatch.IWidget[] {
    return [
      graph(
        'Workflow executions',
        [
          stateMachine.metricStarted({ label: 'started' }),
          stateMachine.metricSucceeded({ label: 'succeeded' }),
          stateMachine.metricFailed({ label: 'failed' }),
          stateMachine.metricTimedOut({ label: 'timed out' }),
          stateMachine.metricAborted({ label: 'aborted (withdrawn)' }),
        ].map(hourly),
      ),
      graph('API requests and errors', [
        api.metricCount({ label: 'requests', statistic: 'Sum' }),
        api.metricClientError({ label: '4xx', statistic: 'Sum' }),
        api.metricServerError({ label: '5xx', statistic: 'Sum' }),
        refusals.apiThrottled,
        ...(refusals.wafRateLimited ? [refusals.wafRateLimited] : []),
      ]),
      graph(
        'API latency',
        ['p50', 'p90', 'p99'].map((statistic) => api.metricLatency({ statistic, label: statistic })),
      ),
    ];
  }

  /** Mail suppressed and skipped, SES reputation, and the dead-letter queues. */
  private mailRow(functions: ReadonlyMap<string, RedressFunction>): cloudwatch.IWidget[] {
    return [
      graph('Mail: suppressed and skipped', [
        ...SUPPRESSION_REASONS.map((reason) => this.desk(METRICS.mailSuppressed, { reason }, `suppressed (${reason})`)),
        this.desk(METRICS.mailSkipped, {}, 'emails skipped'),
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
    ];
  }
}

/** Errors, throttles and duration, one line per function. */
function functionRow(functions: ReadonlyMap<string, RedressFunction>): cloudwatch.IWidget[] {
  const perFunction = (make: (fn: RedressFunction) => cloudwatch.IMetric) => [...functions.values()].map(make);
  return [
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
  ];
}
