import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/catalog';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { parseDeploymentConfig, REPO_ROOT, stackIdOf } from '../../infra/deploy-config';
import { RedressStack } from '../../infra/redress-stack';
import { withNestedStacks } from '../support/synth';

/** The stack as `cdk synth` builds it (cdk.json's flags, the nag gate), with texts on. */
function synthesize(sms: Record<string, unknown>): Record<string, { Type: string; Properties: any }> {
  const { context } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const config = parseDeploymentConfig({
    mailFrom: 'desk@complaints.example.cn',
    desk: { ...DEFAULT_DESK_CONFIG, sms },
  });
  // Throws «ValidationFailed» on any unacknowledged cdk-nag finding.
  return withNestedStacks(new RedressStack(app, stackIdOf(config), { config })).toJSON().Resources;
}

const texters = (resources: ReturnType<typeof synthesize>) =>
  Object.entries(resources)
    .filter(
      ([, r]) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties).includes('sms-voice:SendTextMessage'),
    )
    .map(([id, r]) => ({ id, policy: JSON.stringify(r.Properties.PolicyDocument) }));

describe('texts in the cloud (desk.sms)', () => {
  it('grants SendTextMessage on the configured identity to the outbox sender alone, subscribes ReceiveText to the inbound topic, and passes cdk-nag', () => {
    const identity = 'arn:aws:sms-voice:cn-north-1:111122223333:sender-id/Redress/CN';
    const resources = synthesize({ enabled: true, originationIdentity: identity, configurationSet: 'redress-texts' });
    const granted = texters(resources);
    expect(granted).toHaveLength(1);
    expect(granted[0]!.id).toMatch(/^DeliverQueuedMail/);
    expect(granted[0]!.policy).toContain(identity);
    expect(granted[0]!.policy).toMatch(/configuration-set\/",\{"Fn::GetAtt":\["TextsDeliveryEventsStack/);
    expect(FUNCTIONS.filter((f) => f.sendsTexts).map((f) => f.id)).toEqual(['DeliverQueuedMail']);
    const topics = Object.values(resources).filter((r) => r.Type === 'AWS::SNS::Topic');
    expect(topics.some((t) => /two-way SMS/.test(t.Properties.DisplayName))).toBe(true);
    const subscriptions = Object.values(resources).filter((r) => r.Type === 'AWS::SNS::Subscription');
    expect(subscriptions.some((s) => JSON.stringify(s.Properties.Endpoint).includes('ReceiveText'))).toBe(true);
  });

  it('creates the configuration set with an SNS destination for delivery events, which RecordMailEvent reads; the texter names it and may use it (cdk-nag clean)', () => {
    const identity = 'arn:aws:sms-voice:cn-north-1:111122223333:sender-id/Redress/CN';
    const resources = synthesize({ enabled: true, originationIdentity: identity, configurationSet: 'redress-texts' });
    const sets = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SMSVOICE::ConfigurationSet');
    expect(sets).toHaveLength(1);
    const [setId, set] = sets[0]!;
    expect(set.Properties.ConfigurationSetName).toBe('redress-texts');
    const [destination] = set.Properties.EventDestinations;
    expect(destination).toMatchObject({ Enabled: true });
    expect(destination.MatchingEventTypes).toEqual(
      expect.arrayContaining(['TEXT_DELIVERED', 'TEXT_CARRIER_UNREACHABLE', 'TEXT_BLOCKED', 'TEXT_INVALID']),
    );
    const topicId = destination.SnsDestination.TopicArn.Ref as string;
    expect(resources[topicId]!.Type).toBe('AWS::SNS::Topic');
    // End User Messaging may publish to the topic, from this account only.
    const topicPolicy = Object.values(resources).find(
      (r) => r.Type === 'AWS::SNS::TopicPolicy' && JSON.stringify(r.Properties.Topics).includes(topicId),
    );
    expect(JSON.stringify(topicPolicy?.Properties.PolicyDocument)).toContain('sms-voice.amazonaws.com');
    expect(JSON.stringify(topicPolicy?.Properties.PolicyDocument)).toContain('aws:SourceAccount');
    // RecordMailEvent is subscribed, may be invoked by SNS, and writes the case's partition.
    const subscription = Object.values(resources).find(
      (r) => r.Type === 'AWS::SNS::Subscription' && r.Properties.TopicArn?.Ref === topicId,
    );
    expect(JSON.stringify(subscription?.Properties.Endpoint)).toContain('RecordMailEvent');
    expect(subscription?.Properties.RedrivePolicy).toBeDefined();
    expect(
      Object.values(resources).some(
        (r) =>
          r.Type === 'AWS::Lambda::Permission' &&
          r.Properties.Principal === 'sns.amazonaws.com' &&
          JSON.stringify(r.Properties.FunctionName).includes('RecordMailEvent'),
      ),
    ).toBe(true);
    expect(FUNCTIONS.find((f) => f.onTextEvent)?.tableWrites).toContain('complaint');
    // The texter names the configuration set and may send through it.
    const texter = Object.entries(resources).find(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('DeliverQueuedMail'),
    )![1];
    expect(JSON.stringify(texter.Properties.Environment.Variables.SMS_CONFIGURATION_SET)).toMatch(
      /DeliveryEventsStack/,
    );
    expect(setId).toMatch(/^ConfigurationSet/);
    expect(texters(resources)[0]!.policy).toContain('configuration-set/');
  });

  it('with a sender ID by name, grants the account’s identities of each kind (acknowledged), and passes cdk-nag', () => {
    const granted = texters(synthesize({ enabled: true, originationIdentity: 'Redress' }));
    expect(granted).toHaveLength(1);
    expect(granted[0]!.policy).toContain('sender-id/*');
  });

  it('grants nothing when texts are off (the default)', () => {
    expect(texters(synthesize({}))).toEqual([]);
  });

  it('refuses texts on without an origination identity', () => {
    expect(() =>
      parseDeploymentConfig({ mailFrom: 'desk@example.cn', desk: { ...DEFAULT_DESK_CONFIG, sms: { enabled: true } } }),
    ).toThrow(/originationIdentity/);
  });
});
