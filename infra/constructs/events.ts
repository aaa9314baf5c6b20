import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FUNCTIONS } from '../../functions/catalog';
import type { DeskConfig } from '../../functions/domain/config';
import { PLATFORM_EVENT_SOURCE } from '../../functions/domain/platform-events';
import { WEBHOOK_MAX_ATTEMPTS } from '../../functions/domain/webhook-signing';
import type { RedressFunction } from './redress-function';

export interface PlatformEventsProps {
  functions: ReadonlyMap<string, RedressFunction>;
  desk: DeskConfig;
}

/** The wait between two tries of one delivery (SQS offers a failed message again after it). */
const RETRY_WAIT = Duration.minutes(5);

/** `forum-east` → `ForumEast`, for construct ids. */
const pascal = (id: string) =>
  id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/**
 * The desk's events for the platform beside it (domain/platform-events.ts): a custom EventBridge
 * bus the event outbox publishes to, and one rule per configured webhook that puts the events it
 * wants on the delivery queue, from which the webhook function sends each signed (HMAC-SHA256
 * over `timestamp.body` under the webhook's secrets, docs/webhooks.md). A failed try is offered
 * again after RETRY_WAIT, up to WEBHOOK_MAX_ATTEMPTS times, then it waits in the dead-letter queue
 * (an alarm fires on its first message). Platforms inside AWS add their own rules on the bus.
 *
 * Not API destinations: an API destination's connection sends a fixed API key, basic or OAuth
 * credentials, never a signature computed over each request's body, which is what lets the
 * platform reject a forged or replayed request.
 *
 * Secrets: one Secrets Manager secret per webhook and one for what the platform sends back
 * (`inbound`, POST /integrations/actions), generated at deploy; a secret holds one value, or a JSON
 * array of two while it is rotated (functions/lib/webhook-secrets.ts).
 */
export class PlatformEvents extends Construct {
  readonly bus: events.EventBus;
  readonly deliveries: sqs.Queue;

  constructor(scope: Construct, id: string, props: PlatformEventsProps) {
    super(scope, id);
    const { functions, desk } = props;
    this.bus = new events.EventBus(this, 'Bus', {
      description: 'Redress: events the platform may act on (source redress; docs/events)',
    });

    const secret = (name: string, description: string) => {
      const created = new secretsmanager.Secret(this, name, {
        description,
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(created).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'A webhook secret is shared with the platform, which must hold the new one before the old one goes: it is rotated by hand in two steps (docs/webhooks.md), not by a rotation Lambda.',
      });
      return created;
    };
    const secrets = new Map<string, secretsmanager.Secret>([
      ['inbound', secret('InboundSecret', 'Redress: the secret the platform signs POST /integrations/actions with')],
      ...desk.integrations.webhooks.map(
        (webhook) =>
          [webhook.id, secret(`Webhook${pascal(webhook.id)}Secret`, `Redress: signs webhook "${webhook.id}"`)] as const,
      ),
    ]);
    const secretArns = JSON.stringify(Object.fromEntries([...secrets].map(([key, s]) => [key, s.secretArn])));

    let sender: RedressFunction | undefined;
    for (const spec of FUNCTIONS) {
      const fn = functions.get(spec.id);
      if (!fn) continue;
      if (spec.publishesEvents) {
        this.bus.grantPutEventsTo(fn.function);
        fn.function.addEnvironment('EVENT_BUS_NAME', this.bus.eventBusName);
      }
      if (spec.webhookSecrets) {
        for (const s of secrets.values()) s.grantRead(fn.function);
        fn.function.addEnvironment('WEBHOOK_SECRET_ARNS', secretArns);
      }
      if (spec.onWebhookDelivery) sender = fn;
    }
    if (!sender) throw new Error('no function in the catalog delivers webhooks (onWebhookDelivery)');

    // The sender's dead-letter queue: its alarm is the desk's (DeskMonitoring alarms on every one).
    const deadLetters = sender.asyncDeadLetters({ retryAttempts: 2, maxEventAge: Duration.hours(6) });
    this.deliveries = new sqs.Queue(this, 'WebhookDeliveries', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: RETRY_WAIT,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: WEBHOOK_MAX_ATTEMPTS },
    });
    sender.function.addEventSource(
      new SqsEventSource(this.deliveries, { batchSize: 1, reportBatchItemFailures: true }),
    );

    for (const webhook of desk.integrations.webhooks) {
      new events.Rule(this, `Webhook${pascal(webhook.id)}`, {
        eventBus: this.bus,
        description: `Redress events of types ${webhook.events.join(', ')} to webhook "${webhook.id}"`,
        eventPattern: { source: [PLATFORM_EVENT_SOURCE], detailType: [...webhook.events] },
        targets: [
          new targets.SqsQueue(this.deliveries, {
            message: events.RuleTargetInput.fromObject({
              webhook: webhook.id,
              event: events.EventField.fromPath('$.detail'),
            }),
            // An event the queue could not take: retried by EventBridge, then kept beside the failed deliveries.
            deadLetterQueue: deadLetters,
            retryAttempts: 20,
            maxEventAge: Duration.hours(24),
          }),
        ],
      });
    }
  }
}
