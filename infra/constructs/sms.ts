import { ArnFormat, CfnOutput, Duration, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as smsvoice from 'aws-cdk-lib/aws-smsvoice';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { DeskConfig } from '../../functions/domain/config';
import { FUNCTIONS } from '../../functions/catalog';
import type { RedressFunction } from './redress-function';

export interface TextMessagingProps {
  sms: DeskConfig['sms'];
  functions: ReadonlyMap<string, RedressFunction>;
}

/**
 * Texts (AWS End User Messaging SMS), when `desk.sms.enabled`: the function that texts (the
 * outbox's sender, `sendsTexts`) may call SendTextMessage from the configured origination
 * identity (and its configuration set), and nothing else of the service; texts *to* the desk's
 * number arrive on an SNS topic (the number's two-way destination, set by the operator: the stack
 * prints its ARN) that the inbound-text function (`onInboundText`) reads for opt-outs.
 *
 * Delivery receipts: the stack's configuration set (named `desk.sms.configurationSet` when given)
 * publishes each text's delivery events to an SNS topic that the delivery-event function
 * (`onTextEvent`) reads. SNS because a configuration set's destinations are CloudWatch Logs,
 * Firehose or SNS (no EventBridge), and SNS is the one that invokes a function directly, retried,
 * with a dead-letter queue, as the inbound texts already arrive. They live in a nested stack of
 * their own, so the desk's stack keeps its room under CloudFormation's 500 resources.
 */
export const TEXT_DELIVERY_EVENTS = [
  'TEXT_DELIVERED',
  'TEXT_SUCCESSFUL',
  'TEXT_BLOCKED',
  'TEXT_TTL_EXPIRED',
  'TEXT_CARRIER_UNREACHABLE',
  'TEXT_INVALID',
  'TEXT_INVALID_MESSAGE',
  'TEXT_CARRIER_BLOCKED',
  'TEXT_UNREACHABLE',
  'TEXT_SPAM',
  'TEXT_UNKNOWN',
] as const;

export class TextMessaging extends Construct {
  readonly inboundTopic?: sns.Topic;
  deliveryEventsTopic?: sns.Topic;

  constructor(scope: Construct, id: string, props: TextMessagingProps) {
    super(scope, id);
    const { sms } = props;
    if (!sms.enabled || !sms.originationIdentity) return;
    const stack = Stack.of(this);
    // An ARN names the identity itself; a phone number, sender ID or pool given by id or number
    // can only be granted by its kind (IAM matches ARNs, and a number's ARN holds its id).
    const identities = sms.originationIdentity.startsWith('arn:')
      ? [sms.originationIdentity]
      : [
          `arn:${stack.partition}:sms-voice:${stack.region}:${stack.account}:phone-number/*`,
          `arn:${stack.partition}:sms-voice:${stack.region}:${stack.account}:sender-id/*`,
          `arn:${stack.partition}:sms-voice:${stack.region}:${stack.account}:pool/*`,
        ];
    const configurationSet = this.deliveryEvents(props);
    const resources = [
      ...identities,
      stack.formatArn({
        service: 'sms-voice',
        resource: 'configuration-set',
        resourceName: configurationSet.ref,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
    ];
    for (const spec of FUNCTIONS.filter((f) => f.sendsTexts)) {
      const fn = props.functions.get(spec.id);
      if (!fn) continue;
      fn.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['sms-voice:SendTextMessage'], resources }));
      // Texts name the configuration set, so their delivery events are published.
      fn.function.addEnvironment('SMS_CONFIGURATION_SET', configurationSet.ref);
      if (!sms.originationIdentity.startsWith('arn:'))
        for (const kind of ['phone-number', 'sender-id', 'pool'])
          Validations.of(fn.role).acknowledge({
            id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:${kind}/*]`,
            reason:
              'desk.sms.originationIdentity is a number, sender ID or pool id rather than an ARN, so SendTextMessage is granted on the account’s numbers, sender IDs and pools in this region (IAM matches ARNs only); give the identity’s ARN to narrow it to that one.',
          });
    }

    this.inboundTopic = new sns.Topic(this, 'InboundTexts', {
      displayName: 'Redress: texts to the desk (two-way SMS)',
      enforceSSL: true,
    });
    this.inboundTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['sns:Publish'],
        principals: [new iam.ServicePrincipal('sms-voice.amazonaws.com')],
        resources: [this.inboundTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    for (const spec of FUNCTIONS.filter((f) => f.onInboundText)) {
      const fn = props.functions.get(spec.id);
      if (!fn) continue;
      this.inboundTopic.addSubscription(
        new subscriptions.LambdaSubscription(fn.function, {
          deadLetterQueue: fn.asyncDeadLetters({ retryAttempts: 2, maxEventAge: Duration.hours(6) }),
        }),
      );
    }
    new CfnOutput(stack, 'InboundTextTopicArn', {
      description:
        'Set as the two-way SMS destination of the desk’s number, so opt-out replies (T, TD, STOP) reach Redress',
      value: this.inboundTopic.topicArn,
    });
  }

  /**
   * The topic the configuration set publishes delivery events to, and its subscriber
   * (`onTextEvent`), all in `scope` (the subscription's invoke permission too, rather than on the
   * function's side). Answers the configuration set that publishes to it.
   */
  private deliveryEvents(props: TextMessagingProps): smsvoice.CfnConfigurationSet {
    const stack = Stack.of(this);
    const scope = new NestedStack(this, 'DeliveryEventsStack', {
      description: 'Redress: texts’ delivery events (End User Messaging SMS configuration set → SNS → RecordMailEvent)',
    });
    const topic = new sns.Topic(scope, 'DeliveryEvents', {
      displayName: 'Redress: texts’ delivery events (End User Messaging SMS configuration set)',
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['sns:Publish'],
        principals: [new iam.ServicePrincipal('sms-voice.amazonaws.com')],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    for (const spec of FUNCTIONS.filter((f) => f.onTextEvent)) {
      const fn = props.functions.get(spec.id);
      if (!fn) continue;
      new lambda.CfnPermission(scope, `Invoke${spec.id}`, {
        action: 'lambda:InvokeFunction',
        functionName: fn.function.functionArn,
        principal: 'sns.amazonaws.com',
        sourceArn: topic.topicArn,
      });
      new sns.Subscription(scope, `${spec.id}Subscription`, {
        topic,
        protocol: sns.SubscriptionProtocol.LAMBDA,
        endpoint: fn.function.functionArn,
        deadLetterQueue: fn.asyncDeadLetters({ retryAttempts: 2, maxEventAge: Duration.hours(6) }),
      });
    }
    this.deliveryEventsTopic = topic;
    return new smsvoice.CfnConfigurationSet(scope, 'ConfigurationSet', {
      ...(props.sms.configurationSet ? { configurationSetName: props.sms.configurationSet } : {}),
      eventDestinations: [
        {
          eventDestinationName: 'DeliveryReceipts',
          enabled: true,
          matchingEventTypes: [...TEXT_DELIVERY_EVENTS],
          snsDestination: { topicArn: topic.topicArn },
        },
      ],
    });
  }
}
