import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ArnFormat,
  Aws,
  CfnOutput,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  TimeZone,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sesActions from 'aws-cdk-lib/aws-ses-actions';
import * as cr from 'aws-cdk-lib/custom-resources';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import * as xray from 'aws-cdk-lib/aws-xray';
import type { Construct } from 'constructs';
import { FUNCTIONS, WORKFLOW_DEFINITION_FILE, type FunctionSpec } from '../functions/catalog';
import { metricServiceOf } from '../functions/lib/metric-names';
import { DeskMonitoring } from './constructs/desk-monitoring';
import {
  functionEnvironment,
  iamFindingText,
  RedressFunction,
  type DeploymentValues,
  type WorkflowRef,
} from './constructs/redress-function';
import { REPO_ROOT, type DeploymentConfig } from './deploy-config';
import { projectionOf, TABLE_INDEXES, TABLE_KEYS, TTL_ATTRIBUTE, type IndexName } from '../functions/store/schema';

export interface RedressStackProps extends StackProps {
  config: DeploymentConfig;
}

export const API_STAGE = 'prod';
/** The share of requests beyond the first each second that X-Ray records (the stack's sampling rules). */
export const TRACE_SAMPLED_SHARE = 0.05;

/**
 * Redress in one stack: the complaints table, the evidence bucket, the mail sender, one Lambda
 * per catalog entry, the complaint-handling workflow and the public REST API. Only wiring here;
 * how a function is built and what a grant allows live in the house construct.
 */
export class RedressStack extends Stack {
  readonly functions: ReadonlyMap<string, RedressFunction>;

  constructor(scope: Construct, id: string, props: RedressStackProps) {
    super(scope, id, props);
    const { config } = props;

    // ---- Complaints table (built from functions/store/schema.ts)
    const string = dynamodb.AttributeType.STRING;
    const table = new dynamodb.TableV2(this, 'ComplaintsTable', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: string },
      sortKey: { name: TABLE_KEYS.sortKey, type: string },
      billing: dynamodb.Billing.onDemand(),
      globalSecondaryIndexes: Object.entries(TABLE_INDEXES).map(([indexName, index]) => ({
        indexName,
        partitionKey: { name: index.partitionKey, type: string },
        sortKey: { name: index.sortKey, type: string },
        // Each index carries only what its reader reads (functions/store/schema.ts).
        ...(projectionOf(indexName as IndexName).ProjectionType === 'KEYS_ONLY'
          ? { projectionType: dynamodb.ProjectionType.KEYS_ONLY }
          : {
              projectionType: dynamodb.ProjectionType.INCLUDE,
              nonKeyAttributes: projectionOf(indexName as IndexName).NonKeyAttributes,
            }),
      })),
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // Both images: ExpireEvidence reads a removed record's old image for where the case's other
      // items are (its number, the complainant's pointer on the matter); AggregateAnalytics reads
      // each added history event's new image. Each function's filter takes only its records.
      dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // ---- Public REST API (created first: its id gives the default public URL and upload origin)
    const apiLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR });
    const api = new apigw.RestApi(this, 'PublicApi', {
      restApiName: `${this.stackName}-public`,
      description: 'Redress: public complaint intake, tracking links and emailed task links',
      // REST API stages refuse any CloudWatch logging (access logs included) until the region's
      // API Gateway account setting names a role; a fresh account has none, so the stack sets it.
      // The role is kept on stack deletion: other APIs in the account may rely on it by then.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      // Case archives (export, referral bundle) are ZIPs returned base64 by their functions.
      binaryMediaTypes: ['application/zip'],
      deployOptions: {
        stageName: API_STAGE,
        accessLogDestination: new apigw.LogGroupLogDestination(apiLogs),
        accessLogFormat: accessLogFormat(),
        tracingEnabled: true,
        metricsEnabled: true,
        // Errors only, and never bodies (dataTrace): complaints carry personal data.
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        // All clients together; the per-client limit is WAF's rate-based rule (config waf).
        throttlingRateLimit: config.api.rateLimitPerSecond,
        throttlingBurstLimit: config.api.burstLimit,
        // Filing is the costly route (a transaction, a workflow, emails): a lower limit of its own.
        // A method setting replaces the stage's for that method, so it repeats logging and metrics.
        methodOptions: {
          '/complaints/POST': {
            throttlingRateLimit: config.api.intakeRateLimitPerSecond,
            throttlingBurstLimit: Math.min(config.api.burstLimit, config.api.intakeRateLimitPerSecond * 2),
            metricsEnabled: true,
            loggingLevel: apigw.MethodLoggingLevel.ERROR,
            dataTraceEnabled: false,
          },
        },
      },
    });
    // The API's own `Endpoint` output repeats ApiUrl below.
    api.node.tryRemoveChild('Endpoint');
    // Not `api.url`: that names the stage, which depends on every method, hence every function.
    const apiUrl = Fn.join('', [
      'https://',
      api.restApiId,
      '.execute-api.',
      Aws.REGION,
      '.',
      Aws.URL_SUFFIX,
      `/${API_STAGE}`,
    ]);
    const apiOrigin = Fn.join('', ['https://', api.restApiId, '.execute-api.', Aws.REGION, '.', Aws.URL_SUFFIX]);
    const publicBaseUrl = config.publicBaseUrl ?? apiUrl;
    const pageOrigin = config.publicBaseUrl ? new URL(config.publicBaseUrl).origin : apiOrigin;

    // ---- Evidence bucket, and the bucket that receives its access logs
    const accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // Server access log delivery supports SSE-S3 only. (No access logs of its own: cdk-nag's S1
      // exempts a bucket that is another bucket's log destination.)
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(config.desk.retentionDays + 30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const evidenceBucket = new s3.Bucket(this, 'EvidenceBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogsBucket,
      serverAccessLogsPrefix: 'evidence/',
      // Browsers upload with a presigned POST and view with a presigned GET, from Redress's own
      // pages and any origin the operator lists.
      cors: [
        {
          allowedMethods: [s3.HttpMethods.POST, s3.HttpMethods.GET],
          allowedOrigins: [pageOrigin, ...config.allowedOrigins.filter((origin) => origin !== pageOrigin)],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      // Evidence is deleted with its record (ExpireEvidence, on the record's TTL expiry, at least
      // retentionDays after the case closed). S3 counts from upload, not from closing, so this rule
      // is only the backstop for anything that was missed, a year later still.
      lifecycleRules: [
        {
          expiration: Duration.days(config.desk.retentionDays + 365),
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        // Raw mail that landed on no case (ignored, spam, refused): what landed moved to its
        // case's prefix (mail/complaints/) and goes with the case.
        {
          id: 'UnlandedInboundMail',
          prefix: 'inbound/',
          expiration: Duration.days(config.desk.inbound.unlandedRetentionDays),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Object Created events go to EventBridge, where the evidence check subscribes (below).
    (evidenceBucket.node.defaultChild as s3.CfnBucket).addPropertyOverride(
      'NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled',
      true,
    );

    // ---- Mail sender
    const configurationSet = new ses.ConfigurationSet(this, 'MailConfigurationSet', {
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // A whole domain when the operator gives one (Easy DKIM: publish the three CNAMEs in the
    // outputs), else the one sender address (SES mails it a verification link).
    const mailIdentity = new ses.EmailIdentity(this, 'MailFromIdentity', {
      identity: config.mailDomain ? ses.Identity.domain(config.mailDomain) : ses.Identity.email(config.mailFrom),
      configurationSet,
      ...(config.mailDomain
        ? { dkimSigning: true, dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT) }
        : {}),
    });
    // Hard bounces and spam complaints go to the default event bus, where RecordMailEvent takes
    // them (below) and records the addresses so Redress stops mailing them.
    configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: ses.EventDestination.eventBus(events.EventBus.fromEventBusName(this, 'DefaultEventBus', 'default')),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
    const configurationSetArn = this.formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: configurationSet.configurationSetName,
    });

    // ---- Workflow ARN, known before the machine exists: every function's settings need it, and
    // the machine needs the step functions' ARNs, so a fixed name breaks the cycle.
    const stateMachineName = `${this.stackName}-ComplaintHandling`;
    const workflow: WorkflowRef = {
      stateMachineArn: this.formatArn({
        service: 'states',
        resource: 'stateMachine',
        resourceName: stateMachineName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      executionsArn: this.formatArn({
        service: 'states',
        resource: 'execution',
        resourceName: `${stateMachineName}:*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    };

    // ---- The key that signs tracking links: generated in Secrets Manager at deploy time, never
    // in the template; functions read it once per container.
    const linkSigningKey = new secretsmanager.Secret(this, 'LinkSigningKey', {
      description: 'Redress: HMAC key of complaint tracking links',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(linkSigningKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotating this key revokes every tracking link already emailed to complainants; it is rotated by hand when compromised (docs/operating.md runbook), not on a schedule.',
    });

    // ---- One function per catalog entry
    // Each function gets the variables its catalog entry needs; the desk config is bundled in.
    const deploymentValues: DeploymentValues = {
      LINK_SIGNING_SECRET_ARN: linkSigningKey.secretArn,
      TABLE_NAME: table.tableName,
      EVIDENCE_BUCKET: evidenceBucket.bucketName,
      STATE_MACHINE_ARN: workflow.stateMachineArn,
      PUBLIC_BASE_URL: publicBaseUrl,
      MAIL_FROM: config.mailFrom,
      SES_CONFIGURATION_SET: configurationSet.configurationSetName,
    };
    const functions = new Map<string, RedressFunction>();
    for (const spec of FUNCTIONS) {
      const fn = new RedressFunction(this, spec.id, {
        entry: spec.entry,
        description: spec.description,
        environment: functionEnvironment(spec, deploymentValues),
        desk: config.desk,
        ...(spec.timeoutSeconds ? { timeout: Duration.seconds(spec.timeoutSeconds) } : {}),
        behindApi: !!spec.routes?.length,
        metricService: metricServiceOf(config.stage),
      });
      functions.set(spec.id, fn);
      if (spec.table) fn.grantComplaintsTable(table, spec.table, spec.tableBulk, spec.tableWrites);
      if (spec.signsLinks) linkSigningKey.grantRead(fn.function);
      if (spec.workflow?.length) fn.grantWorkflow(workflow, spec.workflow);
      if (spec.sendsEmail) fn.grantSendEmail(mailIdentity.emailIdentityArn, configurationSetArn);
      if (spec.evidence === 'upload' || spec.evidence === 'download') fn.grantEvidence(evidenceBucket, spec.evidence);
      if (spec.evidence === 'review') fn.grantEvidenceReview(evidenceBucket);
      if (spec.evidence === 'purge') fn.grantEvidencePurge(evidenceBucket);
      if (spec.onRecordExpired) {
        fn.function.addEventSource(
          new DynamoEventSource(table, {
            startingPosition: lambda.StartingPosition.TRIM_HORIZON,
            batchSize: 10,
            retryAttempts: 10,
            bisectBatchOnError: true,
            onFailure: new SqsDlq(fn.asyncDeadLetters({ retryAttempts: 2, maxEventAge: Duration.hours(6) })),
            // Only deletions by DynamoDB's TTL: a record removed by a person is not an expiry.
            filters: [
              lambda.FilterCriteria.filter({
                eventName: lambda.FilterRule.isEqual('REMOVE'),
                userIdentity: {
                  type: lambda.FilterRule.isEqual('Service'),
                  principalId: lambda.FilterRule.isEqual('dynamodb.amazonaws.com'),
                },
              }),
            ],
          }),
        );
        Validations.of(fn.role).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'The DynamoDB stream event source needs dynamodb:ListStreams, which has no resource-level permissions; the stream read actions themselves are scoped to the complaints table stream. (X-Ray writes also use *.)',
        });
      }
      // Every upload is checked again when it lands: the presigned POST's policy is not the guard.
      // Through EventBridge, not a bucket notification: that needs a custom resource (with an AWS
      // managed policy) to break the bucket ↔ function reference cycle.
      if (spec.onEvidenceUploaded) {
        new events.Rule(this, `${spec.id}OnEvidenceUploaded`, {
          description: `Runs ${spec.id} when an object lands under complaints/ in the evidence bucket`,
          eventPattern: {
            source: ['aws.s3'],
            detailType: ['Object Created'],
            detail: {
              bucket: { name: [evidenceBucket.bucketName] },
              object: { key: events.Match.prefix('complaints/') },
            },
          },
          targets: [
            new targets.LambdaFunction(fn.function, {
              retryAttempts: 8,
              maxEventAge: Duration.hours(6),
              deadLetterQueue: fn.asyncDeadLetters({ retryAttempts: 2, maxEventAge: Duration.hours(6) }),
            }),
          ],
        });
      }
      if (spec.everyMinutes) {
        new events.Rule(this, `${spec.id}Schedule`, {
          description: `Runs ${spec.id} every ${spec.everyMinutes} minute(s)`,
          schedule: events.Schedule.rate(Duration.minutes(spec.everyMinutes)),
          // A failed run is superseded by the next one: no Lambda retries, but a run that fails
          // for good still leaves its event in the dead-letter queue (and trips its alarm).
          targets: [
            new targets.LambdaFunction(fn.function, {
              retryAttempts: 2,
              maxEventAge: Duration.minutes(spec.everyMinutes * 5),
              deadLetterQueue: fn.asyncDeadLetters({
                retryAttempts: 0,
                maxEventAge: Duration.minutes(spec.everyMinutes * 5),
              }),
            }),
          ],
        });
      }
      // The desk's figures: every history event added, in order per case (one batch at a time per
      // shard), retried from the record that failed (ReportBatchItemFailures), and parked in a
      // dead-letter queue after its retries; a batch is stored under its first record, so a retry
      // counts nothing twice. A table of a year at a million complaints a day has hundreds of
      // shards, each a trickle: batches wait up to 5 minutes to fill (the figures are rolled up
      // every few minutes anyway), so each stored batch holds many events.
      if (spec.onTableChange) {
        fn.function.addEventSource(
          new DynamoEventSource(table, {
            startingPosition: lambda.StartingPosition.TRIM_HORIZON,
            batchSize: 1000,
            maxBatchingWindow: Duration.seconds(300),
            retryAttempts: 10,
            reportBatchItemFailures: true,
            onFailure: new SqsDlq(fn.asyncDeadLetters({ retryAttempts: 2, maxEventAge: Duration.hours(6) })),
            filters: [
              lambda.FilterCriteria.filter({
                eventName: lambda.FilterRule.isEqual('INSERT'),
                dynamodb: {
                  Keys: {
                    pk: { S: lambda.FilterRule.beginsWith('COMPLAINT#') },
                    sk: { S: lambda.FilterRule.beginsWith('EVENT#') },
                  },
                },
              }),
            ],
          }),
        );
        Validations.of(fn.role).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'The DynamoDB stream event source needs dynamodb:ListStreams, which has no resource-level permissions; the stream read actions themselves are scoped to the complaints table stream. (X-Ray writes also use *.)',
        });
      }
      // The weekly report: desk.reports.weekly, on the desk's own clock (EventBridge Scheduler
      // keeps the time zone, daylight saving included).
      if (spec.onWeeklyReport) {
        const weekly = config.desk.reports.weekly;
        const [hour, minute] = weekly.time.split(':');
        const scheduleRole = new iam.Role(this, `${spec.id}ScheduleRole`, {
          assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
          description: `EventBridge Scheduler invokes ${spec.id}`,
        });
        const functionLogicalId = this.getLogicalId(fn.function.node.defaultChild as lambda.CfnFunction);
        Validations.of(scheduleRole).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
          reason:
            "Lambda's grantInvoke names the function and its versions (`<arn>:*`); the role may invoke this one function and nothing else.",
        });
        new scheduler.Schedule(this, `${spec.id}Schedule`, {
          description: `Runs ${spec.id} every ${weekly.day} at ${weekly.time} (${config.desk.timeZone})`,
          schedule: scheduler.ScheduleExpression.cron({
            minute: String(Number(minute)),
            hour: String(Number(hour)),
            weekDay: weekly.day.slice(0, 3).toUpperCase(),
            timeZone: TimeZone.of(config.desk.timeZone),
          }),
          target: new schedulerTargets.LambdaInvoke(fn.function, {
            role: scheduleRole,
            input: scheduler.ScheduleTargetInput.fromObject({ source: 'redress.weekly-report' }),
            retryAttempts: 2,
            maxEventAge: Duration.hours(2),
            deadLetterQueue: fn.asyncDeadLetters({ retryAttempts: 0, maxEventAge: Duration.hours(2) }),
          }),
        });
      }
      if (spec.onMailEvent) {
        new events.Rule(this, `${spec.id}OnMailEvent`, {
          description: `Runs ${spec.id} on SES bounce and complaint events of Redress's configuration set`,
          eventPattern: {
            source: ['aws.ses'],
            detail: {
              eventType: ['Bounce', 'Complaint'],
              mail: { tags: { 'ses:configuration-set': [configurationSet.configurationSetName] } },
            },
          },
          targets: [
            new targets.LambdaFunction(fn.function, {
              retryAttempts: 8,
              maxEventAge: Duration.hours(6),
              deadLetterQueue: fn.asyncDeadLetters({ retryAttempts: 2, maxEventAge: Duration.hours(6) }),
            }),
          ],
        });
      }
      // No case stops silently: an execution that ends (failed, timed out, stopped) while its case
      // is open makes the case due for the stalled-case sweep at once. Step Functions sends these
      // events to the default bus for every Standard workflow.
      if (spec.onExecutionEnded) {
        new events.Rule(this, `${spec.id}OnExecutionEnded`, {
          description: `Runs ${spec.id} when an execution of the complaint-handling workflow fails, times out or is stopped`,
          eventPattern: {
            source: ['aws.states'],
            detailType: ['Step Functions Execution Status Change'],
            detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [workflow.stateMachineArn] },
          },
          targets: [
            new targets.LambdaFunction(fn.function, {
              retryAttempts: 8,
              maxEventAge: Duration.hours(6),
              deadLetterQueue: fn.asyncDeadLetters({ retryAttempts: 2, maxEventAge: Duration.hours(6) }),
            }),
          ],
        });
      }
    }
    this.functions = functions;

    // ---- Email in (desk.inbound.enabled): SES receives for the inbound domain, writes the raw
    // message under inbound/ (S3 action), then invokes the receiving function with its verdicts.
    const receiver = FUNCTIONS.find((spec) => spec.onInboundMail);
    if (config.desk.inbound.enabled && receiver)
      wireInboundMail(this, functions.get(receiver.id)!, evidenceBucket, config.desk.inbound.address);

    // ---- Workflow (workflows/complaint-handling.asl.json, as the local engine runs it)
    const stepFunctions = FUNCTIONS.filter(
      (spec): spec is FunctionSpec & { workflowArnPlaceholder: string } => !!spec.workflowArnPlaceholder,
    );
    checkWorkflowPlaceholders(stepFunctions.map((spec) => spec.workflowArnPlaceholder));
    const workflowLogs = new logs.LogGroup(this, 'WorkflowLogs', { retention: logs.RetentionDays.ONE_YEAR });
    const stateMachine = new sfn.StateMachine(this, 'ComplaintWorkflow', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: 'Redress: the handling of one complaint (execution name = complaint id)',
      definitionBody: sfn.DefinitionBody.fromFile(join(REPO_ROOT, WORKFLOW_DEFINITION_FILE)),
      definitionSubstitutions: Object.fromEntries(
        stepFunctions.map((spec) => [spec.workflowArnPlaceholder, functions.get(spec.id)!.functionArn]),
      ),
      // Task tokens travel in the step payloads; they stay out of the logs.
      logs: { destination: workflowLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    // Traces begin at the API stage and the workflow, and the functions they call follow their
    // decision (active tracing respects an upstream sampled flag): these rules keep a reservoir
    // of one trace a second and 5 % beyond it, instead of X-Ray's default for every request.
    for (const [name, serviceName, serviceType] of [
      ['api', `${api.restApiName}/${API_STAGE}`, 'AWS::ApiGateway::Stage'],
      ['workflow', stateMachineName, 'AWS::StepFunctions::StateMachine'],
    ] as const) {
      new xray.CfnSamplingRule(this, `TraceSampling-${name}`, {
        samplingRule: {
          ruleName: `${this.stackName.slice(0, 22)}-${name}`,
          priority: 100,
          fixedRate: TRACE_SAMPLED_SHARE,
          reservoirSize: 1,
          serviceName,
          serviceType,
          host: '*',
          httpMethod: '*',
          urlPath: '*',
          resourceArn: '*',
          version: 1,
        },
      });
    }
    stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'InvokeWorkflowSteps',
        actions: ['lambda:InvokeFunction'],
        // Unqualified ARNs only: the definition invokes $LATEST, never a version or alias.
        resources: stepFunctions.map((spec) => functions.get(spec.id)!.functionArn),
      }),
    );
    Validations.of(stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the statements CDK adds for execution logging (logs:CreateLogDelivery and related vended-log APIs) and X-Ray tracing use Resource "*"; neither API supports resource-level permissions.',
    });

    // ---- Routes (functions/catalog.ts), one integration per function
    const bodyValidator = api.addRequestValidator('BodyAndParameters', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const parameterValidator = api.addRequestValidator('ParametersOnly', {
      validateRequestBody: false,
      validateRequestParameters: true,
    });
    // A coarse gate only: the handler validates every field and answers in the complainant's language.
    const jsonObject = api.addModel('JsonObjectBody', {
      contentType: 'application/json',
      modelName: 'JsonObjectBody',
      schema: { schema: apigw.JsonSchemaVersion.DRAFT4, title: 'JsonObjectBody', type: apigw.JsonSchemaType.OBJECT },
    });
    // What API Gateway answers itself speaks the handlers' language: problem+json, in both languages.
    api.addGatewayResponse('BadRequestBody', {
      type: apigw.ResponseType.BAD_REQUEST_BODY,
      statusCode: '400',
      responseHeaders: { 'Content-Type': "'application/problem+json'" },
      templates: {
        'application/json': JSON.stringify({
          type: 'urn:redress:problem:validation-failed',
          title: '提交的内容有误 / The request has invalid fields',
          status: 400,
          errors: [{ path: '(body)', message: '请求体应为 JSON 对象 / the body must be a JSON object' }],
        }),
      },
    });
    for (const [id, type, title] of [
      ['Default4xx', apigw.ResponseType.DEFAULT_4XX, '请求无法处理 / The request could not be handled'],
      [
        'Default5xx',
        apigw.ResponseType.DEFAULT_5XX,
        '服务暂时不可用，请稍后重试 / The service is unavailable; please try again later',
      ],
    ] as const) {
      api.addGatewayResponse(id, {
        type,
        responseHeaders: { 'Content-Type': "'application/problem+json'" },
        // messageString comes quoted; the HTTP status is the gateway's own (no context variable).
        templates: {
          'application/json': `{"type":"urn:redress:problem:gateway","title":"${title}","detail":$context.error.messageString,"errorType":"$context.error.responseType"}`,
        },
      });
    }
    // Overload is never a 500: a throttled client, a function that could not run (Lambda throttled
    // or failed) or a timeout gets 429/503 with Retry-After, as the handlers answer a busy dependency.
    for (const [id, type, statusCode, retryAfter, title] of [
      [
        'Throttled',
        apigw.ResponseType.THROTTLED,
        '429',
        '1',
        '请求过于频繁，请稍后重试 / Too many requests; please retry shortly',
      ],
      [
        'IntegrationFailure',
        apigw.ResponseType.INTEGRATION_FAILURE,
        '503',
        '2',
        '服务繁忙，请稍后重试 / The service is busy; please retry shortly',
      ],
      [
        'IntegrationTimeout',
        apigw.ResponseType.INTEGRATION_TIMEOUT,
        '503',
        '2',
        '服务繁忙，请稍后重试 / The service is busy; please retry shortly',
      ],
    ] as const) {
      api.addGatewayResponse(id, {
        type,
        statusCode,
        responseHeaders: { 'Content-Type': "'application/problem+json'", 'Retry-After': `'${retryAfter}'` },
        templates: {
          'application/json': `{"type":"urn:redress:problem:service-unavailable","title":"${title}","status":${statusCode}}`,
        },
      });
    }
    const methods: { method: apigw.Method; path: string }[] = [];
    for (const spec of FUNCTIONS) {
      if (!spec.routes?.length) continue;
      const integration = new apigw.LambdaIntegration(functions.get(spec.id)!.function, { allowTestInvoke: false });
      for (const route of spec.routes) {
        const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
        const jsonBody = route.method === 'POST' && route.path === '/complaints';
        const method = api.root.resourceForPath(route.path).addMethod(route.method, integration, {
          operationName: `${spec.id}${route.method === 'GET' ? 'Get' : 'Post'}`,
          requestParameters: Object.fromEntries(pathParameters.map((name) => [`method.request.path.${name}`, true])),
          requestValidator: jsonBody ? bodyValidator : parameterValidator,
          ...(jsonBody ? { requestModels: { 'application/json': jsonObject } } : {}),
        });
        methods.push({ method, path: route.path });
      }
    }
    for (const { method, path } of methods) {
      // Route by route, what stands in for an API Gateway authorizer.
      const apig4 =
        path === '/staff' || path === '/staff/sign-in' || path === '/staff/sign-in/{linkId}'
          ? 'Staff sign-in, public by design: the page, a request that answers the same for any address (rate-limited per address and per client) and mails a link only to a configured staff address, and that link (a random id of 128 bits, stored hashed, single use, 15 minutes; a POST with its nonce signs in).'
          : path.startsWith('/staff')
            ? 'Not public: every staff route checks a server-side staff session in the handler (an HttpOnly, SameSite=Strict cookie holding a random secret, stored hashed, 12 hours, revoked at sign-out and refused once its address leaves the config), answers 401 or redirects to sign-in without one, and state-changing posts need the session nonce. The same check runs on the laptop, which has no authorizer.'
            : 'Public by design: anyone may file a complaint; tracking and task routes are capability URLs (a random id of at least 128 bits, stored hashed, checked by the handler), and task decisions need a per-page nonce.';
      Validations.of(method).acknowledge(
        { id: 'AwsSolutions-APIG4', reason: apig4 },
        {
          id: 'AwsSolutions-COG4',
          reason: path.startsWith('/staff')
            ? 'No Cognito user pool: staff are the addresses of the desk config and sign in by an emailed single-use link to a server-side session (see APIG4); an operator may put the organisation identity provider in front (Cognito with SAML/OIDC federation).'
            : 'No Cognito user pool: complainants are anonymous and staff act through emailed capability links (see APIG4); the handlers authorise each link.',
        },
      );
    }
    // ---- Per-client limits: AWS WAF with rate-based rules per IP, on by default (an operator may turn it off: it costs a monthly fee).
    let waf: { webAclName: string; rateRuleName: string } | undefined;
    if (config.waf.enabled) {
      waf = { webAclName: `${this.stackName}-public-api`, rateRuleName: 'PerClientRateLimit' };
      const visibility = (metricName: string) => ({
        cloudWatchMetricsEnabled: true,
        sampledRequestsEnabled: true,
        metricName,
      });
      const webAcl = new wafv2.CfnWebACL(this, 'ApiWebAcl', {
        name: waf.webAclName,
        description: 'Redress public API: per-IP rate limit, AWS IP reputation and known bad inputs',
        scope: 'REGIONAL',
        defaultAction: { allow: {} },
        visibilityConfig: visibility(waf.webAclName),
        customResponseBodies: {
          TooManyRequests: {
            contentType: 'APPLICATION_JSON',
            content: JSON.stringify({
              type: 'about:blank',
              title: 'Too Many Requests',
              status: 429,
              detail: 'Too many requests from your network; try again in a few minutes.',
            }),
          },
        },
        rules: [
          {
            name: waf.rateRuleName,
            priority: 0,
            action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'TooManyRequests' } } },
            statement: {
              rateBasedStatement: {
                limit: config.waf.rateLimitPer5Minutes,
                evaluationWindowSec: 300,
                aggregateKeyType: 'IP',
              },
            },
            visibilityConfig: visibility(waf.rateRuleName),
          },
          {
            // Filing is what costs (mail, a workflow, records): one network files at most this many in 5 minutes.
            name: 'PerClientFilingLimit',
            priority: 3,
            action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'TooManyRequests' } } },
            statement: {
              rateBasedStatement: {
                limit: config.waf.filingsPer5Minutes,
                evaluationWindowSec: 300,
                aggregateKeyType: 'IP',
                scopeDownStatement: {
                  andStatement: {
                    statements: [
                      {
                        byteMatchStatement: {
                          fieldToMatch: { method: {} },
                          positionalConstraint: 'EXACTLY',
                          searchString: 'POST',
                          textTransformations: [{ priority: 0, type: 'NONE' }],
                        },
                      },
                      {
                        byteMatchStatement: {
                          fieldToMatch: { uriPath: {} },
                          positionalConstraint: 'ENDS_WITH',
                          searchString: '/complaints',
                          textTransformations: [{ priority: 0, type: 'NONE' }],
                        },
                      },
                    ],
                  },
                },
              },
            },
            visibilityConfig: visibility('PerClientFilingLimit'),
          },
          // Two low-false-positive groups; the Core rule set is left out, its 8 KB body rule would refuse long complaints.
          ...['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet'].map((name, index) => ({
            name,
            priority: index + 1,
            overrideAction: { none: {} },
            statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
            visibilityConfig: visibility(name),
          })),
        ],
      });
      new wafv2.CfnWebACLAssociation(this, 'ApiWebAclAssociation', {
        resourceArn: api.deploymentStage.stageArn,
        webAclArn: webAcl.attrArn,
      });
    } else {
      Validations.of(api.deploymentStage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason: `WAF is switched off in this deployment's configuration (waf.enabled: false), an operator's cost choice. Without it there is no per-client limit: stage throttling (${config.api.rateLimitPerSecond} requests/s, burst ${config.api.burstLimit}; filing ${config.api.intakeRateLimitPerSecond}/s) caps all clients together, and the handlers' own rules (duplicates, bans, idempotency) limit repeated filings. Set waf.enabled to add the per-IP rate-based rule.`,
      });
    }
    Validations.of(api.node.findChild('CloudWatchRole')).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level role API Gateway assumes to write execution and access logs; AWS documents this managed policy for it, and the role is only assumable by apigateway.amazonaws.com.',
    });

    // ---- Alarms (to the alarm email) and the complaint desk's dashboard
    const monitoring = new DeskMonitoring(this, 'Monitoring', {
      metricService: metricServiceOf(config.stage),
      functions,
      stateMachine,
      api,
      apiAccessLogs: apiLogs,
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
      ...(waf ? { waf } : {}),
    });

    // ---- Outputs
    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the public API (stage prod)' });
    new CfnOutput(this, 'PublicBaseUrl', { value: publicBaseUrl, description: 'Base of the links in emails' });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'BucketName', { value: evidenceBucket.bucketName, description: 'Evidence bucket' });
    new CfnOutput(this, 'StateMachineArn', { value: stateMachine.stateMachineArn });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: monitoring.topic.topicArn,
      description: 'Every alarm publishes here (the alarm email is subscribed)',
    });
    new CfnOutput(this, 'DashboardName', { value: monitoring.dashboard.dashboardName });
    new CfnOutput(this, 'WorkflowLogGroup', {
      value: workflowLogs.logGroupName,
      description: 'Step Functions execution history (no execution data)',
    });
    if (config.mailDomain) {
      // Publish these three CNAMEs in the domain's DNS; SES verifies the domain once they resolve.
      for (const [index, record] of mailIdentity.dkimRecords.entries()) {
        new CfnOutput(this, `DkimRecord${index + 1}`, { value: Fn.join(' ', [record.name, 'CNAME', record.value]) });
      }
    }
  }
}

/**
 * SES receiving: one rule set with one rule for the inbound domain (every `reply+…` address too),
 * scanning for spam and viruses; its actions write the raw message to S3 and then invoke the
 * receiving function asynchronously with the verdicts (which the S3 object alone does not carry).
 * CloudFormation cannot make a rule set active, so a custom resource calls SetActiveReceiptRuleSet.
 */
function wireInboundMail(stack: Stack, fn: RedressFunction, bucket: s3.Bucket, address: string): void {
  const domain = address.split('@').pop()!;
  const raw = bucket.arnForObjects('inbound/*');
  const landed = bucket.arnForObjects('mail/complaints/*');
  fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: 'InboundMailRead', actions: ['s3:GetObject'], resources: [raw] }),
  );
  // A mail that landed on a case moves to the case's prefix (copy, then delete the original).
  fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: 'InboundMailMove', actions: ['s3:DeleteObject'], resources: [raw] }),
  );
  fn.role.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: 'LandedMailWrite', actions: ['s3:PutObject'], resources: [landed] }),
  );
  Validations.of(fn.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${iamFindingText(stack, raw)}]`,
    reason:
      'SES names each received message by its message id at run time, so the raw messages need the inbound/ prefix wildcard; GetObject, and DeleteObject once it moved to its case.',
  });
  Validations.of(fn.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${iamFindingText(stack, landed)}]`,
    reason:
      'A landed mail is kept under its case id and message id, both known at run time only; PutObject only, under mail/complaints/.',
  });
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
  const activatorRole = new iam.Role(stack, 'InboundMailActivatorRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Makes the inbound mail rule set the active one (SetActiveReceiptRuleSet)',
  });
  const activator = new cr.AwsCustomResource(stack, 'ActivateInboundMailRuleSet', {
    onCreate: {
      service: 'SES',
      action: 'SetActiveReceiptRuleSet',
      parameters: { RuleSetName: ruleSet.receiptRuleSetName },
      physicalResourceId: cr.PhysicalResourceId.of(`${stack.stackName}-inbound-active`),
    },
    onUpdate: {
      service: 'SES',
      action: 'SetActiveReceiptRuleSet',
      parameters: { RuleSetName: ruleSet.receiptRuleSetName },
      physicalResourceId: cr.PhysicalResourceId.of(`${stack.stackName}-inbound-active`),
    },
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
  new CfnOutput(stack, 'InboundMailMxRecord', {
    value: `${domain} MX 10 inbound-smtp.${stack.region}.amazonaws.com`,
    description: 'Publish this MX record so mail to the inbound address reaches SES',
  });
}

function accessLogFormat(): apigw.AccessLogFormat {
  const field = apigw.AccessLogField;
  // JSON with the standard fields plus latency and errors. $context.resourcePath is the route
  // template (/tasks/{linkId}), so capability ids never reach the access logs.
  return apigw.AccessLogFormat.custom(
    JSON.stringify({
      requestId: field.contextRequestId(),
      ip: field.contextIdentitySourceIp(),
      caller: field.contextIdentityCaller(),
      user: field.contextIdentityUser(),
      requestTime: field.contextRequestTime(),
      httpMethod: field.contextHttpMethod(),
      resourcePath: field.contextResourcePath(),
      status: field.contextStatus(),
      protocol: field.contextProtocol(),
      responseLength: field.contextResponseLength(),
      responseLatency: field.contextResponseLatency(),
      integrationStatus: field.contextIntegrationStatus(),
      integrationLatency: field.contextIntegrationLatency(),
      errorMessage: field.contextErrorMessage(),
      userAgent: field.contextIdentityUserAgent(),
      xrayTraceId: field.contextXrayTraceId(),
    }),
  );
}

/**
 * Every ${Placeholder} in the definition must name a catalog function, or the deployment would
 * fail late in CloudFormation. (A catalog function the definition does not use yet is harmless.)
 */
function checkWorkflowPlaceholders(placeholders: string[]): void {
  const definition = readFileSync(join(REPO_ROOT, WORKFLOW_DEFINITION_FILE), 'utf8');
  const known = new Set(placeholders);
  const unknown = [...new Set([...definition.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]!))].filter(
    (name) => !known.has(name),
  );
  if (unknown.length) {
    throw new Error(
      `${WORKFLOW_DEFINITION_FILE} uses ${unknown.map((name) => `\${${name}}`).join(', ')}, which no function in functions/catalog.ts provides (workflowArnPlaceholder)`,
    );
  }
}
