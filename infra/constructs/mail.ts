import { ArnFormat, CfnOutput, Duration, type Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sesActions from 'aws-cdk-lib/aws-ses-actions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { FUNCTIONS } from '../../functions/catalog';
import type { DeploymentConfig } from '../deploy-config';
import { iamFindingText, type RedressFunction } from './redress-function';
import { MailFromDomainRecords, mailFromDomainOf } from './mail-from-domain';

/*
 * Mail out (the SES configuration set and the sender identity) and mail in (receipt rules for the
 * inbound domain). Every resource is created in the stack's own scope, as it was when the stack
 * built them inline: a construct of its own would change their logical IDs, and CloudFormation
 * replaces a resource whose logical ID changes.
 */

export interface MailSending {
  configurationSet: ses.ConfigurationSet;
  /** The configuration set's ARN, which the send grant names. */
  configurationSetArn: string;
  mailIdentity: ses.EmailIdentity;
}

/** The mail sender: a configuration set that suppresses bounces and complaints, and the identity. */
export function mailSending(stack: Stack, config: DeploymentConfig): MailSending {
  const configurationSet = new ses.ConfigurationSet(stack, 'MailConfigurationSet', {
    reputationMetrics: true,
    suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
  });
  // A whole domain when the operator gives one (Easy DKIM: publish the three CNAMEs in the
  // outputs), else the one sender address (SES mails it a verification link).
  const mailIdentity = new ses.EmailIdentity(stack, 'MailFromIdentity', {
    identity: config.mailDomain ? ses.Identity.domain(config.mailDomain) : ses.Identity.email(config.mailFrom),
    configurationSet,
    ...(config.mailDomain
      ? {
          dkimSigning: true,
          dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
          mailFromDomain: mailFromDomainOf(config.mailDomain),
        }
      : {}),
  });
  if (config.mailDomain) new MailFromDomainRecords(stack, 'MailFromDomain', { mailDomain: config.mailDomain });
  // Hard bounces and spam complaints go to the default event bus, where RecordMailEvent takes
  // them (triggers.ts) and records the addresses so Redress stops mailing them.
  configurationSet.addEventDestination('BouncesAndComplaints', {
    destination: ses.EventDestination.eventBus(events.EventBus.fromEventBusName(stack, 'DefaultEventBus', 'default')),
    events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
  });
  const configurationSetArn = stack.formatArn({
    service: 'ses',
    resource: 'configuration-set',
    resourceName: configurationSet.configurationSetName,
  });
  return { configurationSet, configurationSetArn, mailIdentity };
}

/**
 * Email in (desk.inbound.enabled): SES receives for the inbound domain, writes the raw message
 * under inbound/ (S3 action), then invokes the receiving function with its verdicts.
 */
export function inboundMail(
  stack: Stack,
  config: DeploymentConfig,
  functions: ReadonlyMap<string, RedressFunction>,
  bucket: s3.Bucket,
): void {
  const receiver = FUNCTIONS.find((spec) => spec.onInboundMail);
  if (config.desk.inbound.enabled && receiver)
    wireInboundMail(stack, functions.get(receiver.id)!, bucket, config.desk.inbound.address);
}

/**
 * SES receiving: one rule set with one rule for the inbound domain (every `reply+…` address too),
 * scanning for spam and viruses; its actions write the raw message to S3 and then invoke the
 * receiving function asynchronously with the verdicts (which the S3 object alone does not carry).
 * CloudFormation cannot make a rule set active, so a custom resource calls SetActiveReceiptRuleSet.
 */
function wireInboundMail(stack: Stack, fn: RedressFunction, bucket: s3.Bucket, address: string): void {
  const domain = address.split('@').pop()!;
  grantInboundMail(stack, fn, bucket);
  // Failed asynchronous invocations (after Lambda's retries) land in the function's dead-letter queue, which alarms.
  fn.asyncDeadLetters({ retryAttempts: 2, maxEventAge: Duration.hours(6) });
  const ruleSet = new ses.ReceiptRuleSet(stack, 'InboundMailRuleSet', {
    receiptRuleSetName: `${stack.stackName}-inbound`,
    rules: [
      {
        receiptRuleName: 'complaints',
        recipients: [domain],
        scanEnabled: true,
        actions: [
          new sesActions.S3({ bucket, objectKeyPrefix: 'inbound/' }),
          new sesActions.Lambda({ function: fn.function, invocationType: sesActions.LambdaInvocationType.EVENT }),
        ],
      },
    ],
  });
  activateRuleSet(stack, ruleSet);
  new CfnOutput(stack, 'InboundMailMxRecord', {
    value: `${domain} MX 10 inbound-smtp.${stack.region}.amazonaws.com`,
    description: 'Publish this MX record so mail to the inbound address reaches SES',
  });
}

/** The receiving function reads raw mail under inbound/ and moves what landed to its case's prefix. */
function grantInboundMail(stack: Stack, fn: RedressFunction, bucket: s3.Bucket): void {
  const raw = bucket.arnForObjects('inbound/*');
  const landed = bucket.arnForObjects('mail/complaints/*');
  fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: 'InboundMailRead', actions: ['s3:GetObject'], resources: [raw] }),
  );
  // A mail that landed on a case moves to the case's prefix (copy, then delete the original: the
  // version copied, so no non-current copy stays behind on the versioned bucket).
  fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'InboundMailMove',
      actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
      resources: [raw],
    }),
  );
  fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: 'LandedMailWrite', actions: ['s3:PutObject'], resources: [landed] }),
  );
  Validations.of(fn.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${iamFindingText(stack, raw)}]`,
    reason:
      'SES names each received message by its message id at run time, so the raw messages need the inbound/ prefix wildcard; GetObject, and DeleteObject (of the version copied) once it moved to its case.',
  });
  Validations.of(fn.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${iamFindingText(stack, landed)}]`,
    reason:
      'A landed mail is kept under its case id and message id, both known at run time only; PutObject only, under mail/complaints/.',
  });
}

/** CloudFormation cannot make a rule set the active one: a custom resource calls SetActiveReceiptRuleSet. */
function activateRuleSet(stack: Stack, ruleSet: ses.ReceiptRuleSet): void {
  const activatorRole = new iam.Role(stack, 'InboundMailActivatorRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Makes the inbound mail rule set the active one (SetActiveReceiptRuleSet)',
  });
  const activate = {
    service: 'SES',
    action: 'SetActiveReceiptRuleSet',
    parameters: { RuleSetName: ruleSet.receiptRuleSetName },
    physicalResourceId: cr.PhysicalResourceId.of(`${stack.stackName}-inbound-active`),
  };
  const activator = new cr.AwsCustomResource(stack, 'ActivateInboundMailRuleSet', {
    onCreate: activate,
    onUpdate: activate,
    // No name deactivates receiving: the rule set can then be deleted.
    onDelete: { service: 'SES', action: 'SetActiveReceiptRuleSet', parameters: {} },
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['ses:SetActiveReceiptRuleSet'], resources: ['*'] }),
    ]),
    role: activatorRole,
    installLatestAwsSdk: false,
  });
  activator.node.addDependency(ruleSet);
  const lambdaLogs = stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: '/aws/lambda/*',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  activatorRole.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [lambdaLogs],
    }),
  );
  Validations.of(activatorRole).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${iamFindingText(stack, lambdaLogs)}]`,
    reason:
      "The custom resource's provider function is a CDK singleton whose name is generated (and depends on this role), so its log group can only be matched under /aws/lambda/; it writes its own logs only, and runs only on deploy.",
  });
  Validations.of(activator).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'ses:SetActiveReceiptRuleSet has no resource-level permissions (the active rule set is a per-region account setting); the policy allows that one action only.',
  });
}
