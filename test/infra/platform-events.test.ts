import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/catalog';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { parseDeploymentConfig, REPO_ROOT, stackIdOf } from '../../infra/deploy-config';
import { RedressStack } from '../../infra/redress-stack';
import { withNestedStacks } from '../support/synth';

/** The app as `cdk synth` builds it (cdk.json's flags, the nag gate), with two webhooks configured. */
function synthesizeWithWebhooks(): Template {
  const { context } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const config = parseDeploymentConfig({
    mailFrom: 'desk@example.org',
    desk: {
      ...DEFAULT_DESK_CONFIG,
      integrations: {
        webhooks: [
          {
            id: 'forum',
            url: 'https://forum.example.org/hooks/redress',
            events: ['complaint.accepted', 'decision.recorded'],
          },
          { id: 'audit-log', url: 'https://audit.example.org/in', events: ['complaint.closed'] },
        ],
      },
    },
  });
  // Throws «ValidationFailed» on any unacknowledged cdk-nag finding.
  return withNestedStacks(new RedressStack(app, stackIdOf(config), { config }));
}

let template: Template | undefined;
const built = () => (template ??= synthesizeWithWebhooks());
const idsOf = (type: string, pattern: RegExp) =>
  Object.entries(built().toJSON().Resources as Record<string, { Type: string }>)
    .filter(([id, r]) => r.Type === type && pattern.test(id))
    .map(([id]) => id);

describe('events for the platform (cdk synth)', () => {
  it('passes the cdk-nag AWS Solutions checks with webhooks configured', () => {
    expect(() => built()).not.toThrow();
  });

  it('creates the bus, and lets exactly the functions that publish put events on it', () => {
    const t = built();
    t.resourceCountIs('AWS::Events::EventBus', 1);
    const [bus] = idsOf('AWS::Events::EventBus', /^PlatformEventsBus/);
    const publishers = FUNCTIONS.filter((spec) => spec.publishesEvents);
    expect(publishers.map((s) => s.id)).toEqual(
      expect.arrayContaining(['AcknowledgeReceipt', 'TaskPage', 'DeliverQueuedEvents']),
    );
    for (const spec of FUNCTIONS) {
      const [fnId] = idsOf('AWS::Lambda::Function', new RegExp(`^${spec.id}Function[0-9A-F]{8}$`));
      const variables = (t.toJSON().Resources[fnId!].Properties.Environment?.Variables ?? {}) as Record<
        string,
        unknown
      >;
      if (spec.publishesEvents) expect(variables.EVENT_BUS_NAME, spec.id).toEqual({ Ref: bus });
      else expect(variables, spec.id).not.toHaveProperty('EVENT_BUS_NAME');
      if (spec.webhookSecrets)
        expect(JSON.stringify(variables.WEBHOOK_SECRET_ARNS), spec.id).toMatch(
          /forum.*audit-log.*inbound|inbound.*forum/,
        );
      else expect(variables, spec.id).not.toHaveProperty('WEBHOOK_SECRET_ARNS');
    }
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [bus, 'Arn'] } }),
        ]),
      },
    });
  });

  it('routes each webhook’s event types from the bus to the delivery queue, tagged with the webhook, with retries and a dead-letter queue', () => {
    const t = built();
    const [bus] = idsOf('AWS::Events::EventBus', /^PlatformEventsBus/);
    const [queue] = idsOf('AWS::SQS::Queue', /^PlatformEventsWebhookDeliveries/);
    for (const [id, types] of [
      ['forum', ['complaint.accepted', 'decision.recorded']],
      ['audit-log', ['complaint.closed']],
    ] as const) {
      t.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: { Ref: bus },
        EventPattern: { source: ['redress'], 'detail-type': types },
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [queue, 'Arn'] },
            InputTransformer: Match.objectLike({ InputTemplate: Match.stringLikeRegexp(`"webhook":"${id}"`) }),
            RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 20 }),
            DeadLetterConfig: Match.anyValue(),
          }),
        ],
      });
    }
    const deliveries = t.toJSON().Resources[queue!].Properties;
    expect(deliveries.RedrivePolicy.maxReceiveCount).toBe(8);
    expect(deliveries.VisibilityTimeout).toBe(300);
  });

  it('keeps one generated secret per webhook and one for what the platform sends back, never in the template', () => {
    const t = built();
    const secrets = idsOf('AWS::SecretsManager::Secret', /^PlatformEvents/);
    expect(secrets.map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'PlatformEventsInboundSecret',
      'PlatformEventsWebhookAuditLogSecret',
      'PlatformEventsWebhookForumSecret',
    ]);
    for (const id of secrets) expect(t.toJSON().Resources[id].Properties.SecretString).toBeUndefined();
  });

  it('alarms when an event waits in the outbox past 15 minutes (the publisher’s metric), and when a webhook delivery gives up into the dead-letter queue', () => {
    const alarms = Object.values(
      built().toJSON().Resources as Record<string, { Type: string; Properties: any }>,
    ).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    const stuck = alarms.find((a) => a.Properties.MetricName === 'OldestWaitingPlatformEventAge');
    expect(stuck?.Properties).toMatchObject({
      Namespace: 'Redress',
      Statistic: 'Maximum',
      Threshold: 900,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(stuck?.Properties.AlarmActions).toHaveLength(1);
    const [deadLetters] = idsOf('AWS::SQS::Queue', /^SendWebhookDeadLetters/);
    const gaveUp = alarms.find(
      (a) =>
        a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
        JSON.stringify(a.Properties.Dimensions).includes(deadLetters!),
    );
    expect(gaveUp?.Properties).toMatchObject({ Threshold: 1, Statistic: 'Maximum' });
  });
});
