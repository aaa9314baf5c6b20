import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { AssetHashType, DockerImage, Duration, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE, METRIC_SERVICE } from '../../functions/lib/metric-names';
import { REPO_ROOT } from '../deploy-config';
import type { FunctionSpec } from '../../functions/catalog';
import type { DeskConfig } from '../../functions/domain/config';
import { partitionKeyPattern, TABLE_INDEXES, type PartitionName } from '../../functions/store/schema';
import { buildFunctionBundle } from './function-bundle';

/**
 * The house Lambda: every Redress function is one of these, so runtime, architecture, tracing,
 * log retention and bundling are decided once, and stacks only say what a function may touch
 * (through the intent-named grants below, which write least-privilege statements by hand).
 */

/**
 * The variables `functions/lib/settings.ts` and `functions/lib/links.ts` read. A function gets
 * the ones its catalog entry needs (infra/constructs/functions.ts), nothing more; the desk config is no
 * variable, it is compiled into the bundle.
 */
export interface RedressEnvironment {
  TABLE_NAME?: string;
  EVIDENCE_BUCKET?: string;
  STATE_MACHINE_ARN?: string;
  PUBLIC_BASE_URL?: string;
  MAIL_FROM?: string;
  /** Secrets Manager secret holding the tracking-link HMAC key (functions/lib/links.ts). */
  LINK_SIGNING_SECRET_ARN?: string;
  /** SES configuration set every sent mail goes through (functions/app/shared/mailer.ts). */
  SES_CONFIGURATION_SET?: string;
}

/** Every variable's value in this deployment; `functionEnvironment` picks a function's own. */
export type DeploymentValues = Required<RedressEnvironment>;

/**
 * The variables a function's catalog entry needs, and no others (the form page has no table
 * name, no state machine): each is read by the module that needs it, and fails with its name if
 * a function without it ever did.
 */
export function functionEnvironment(spec: FunctionSpec, values: DeploymentValues): RedressEnvironment {
  const pick = (names: (keyof RedressEnvironment)[]) => Object.fromEntries(names.map((name) => [name, values[name]]));
  return {
    ...(spec.table ? pick(['TABLE_NAME']) : {}),
    ...(spec.workflow?.length ? pick(['STATE_MACHINE_ARN']) : {}),
    ...(spec.evidence || spec.onInboundMail || spec.pageUploadsEvidence ? pick(['EVIDENCE_BUCKET']) : {}),
    // Pages, cookies and links name the public address.
    ...(spec.routes?.length || spec.signsLinks || spec.sendsEmail ? pick(['PUBLIC_BASE_URL']) : {}),
    ...(spec.sendsEmail ? pick(['MAIL_FROM', 'SES_CONFIGURATION_SET']) : {}),
    ...(spec.signsLinks ? pick(['LINK_SIGNING_SECRET_ARN']) : {}),
  };
}

/** The workflow as a function sees it: ARNs only, so granting never depends on the machine itself. */
export interface WorkflowRef {
  stateMachineArn: string;
  /** `arn:…:execution:<name>:*`: every execution of that machine (names are complaint ids). */
  executionsArn: string;
}

export interface RedressFunctionProps {
  /** Module under functions/, without extension (catalog `entry`); it exports `handler`. */
  entry: string;
  description: string;
  environment: RedressEnvironment;
  /** The validated desk config (defaults applied), bundled into the function as a constant. */
  desk: DeskConfig;
  /** 10–29 s; API Gateway gives up on an integration at 29 s. Default 20 s. */
  timeout?: Duration;
  /** Whether API Gateway invokes it (then its timeout is at most 29 s); unknown counts as yes. */
  behindApi?: boolean;
  /** The `service` its logs and metrics carry (metricServiceOf the deployment's stage). */
  metricService?: string;
}

export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/** The item writes a function of the table may make, on the partitions it names. */
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/**
 * The function's code: its entry bundled with esbuild on this machine (the options of
 * function-bundle.ts, which the bundle bench measures), with the desk config compiled in. No
 * Docker: the image is never pulled, local bundling always succeeds. Skipped, like any asset
 * bundling, for stacks the CLI is not deploying (`aws:cdk:bundling-stacks`).
 */
function bundledCode(entry: string, desk: DeskConfig): Code {
  const deskHash = createHash('sha256').update(JSON.stringify(desk)).digest('hex');
  return Code.fromAsset(join(REPO_ROOT, 'functions'), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('redress-bundles-locally'),
      // Never run; it tells one function's bundle from another's in the asset cache.
      command: ['esbuild', entry, deskHash],
      local: {
        tryBundle(outputDir: string): boolean {
          buildFunctionBundle(entry, outputDir, desk);
          return true;
        },
      },
    },
  });
}

/**
 * The functions' log groups, in a nested stack of their own: one per function would bring the
 * desk past CloudFormation's 500 resources in one stack. Nothing in it refers back to the parent,
 * so the functions can refer to their groups without a cycle.
 */
function logsStackOf(scope: Construct): NestedStack {
  const stack = Stack.of(scope);
  return (
    (stack.node.tryFindChild('FunctionLogs') as NestedStack | undefined) ??
    new NestedStack(stack, 'FunctionLogs', { description: 'Redress: one log group per function' })
  );
}

export class RedressFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: RedressFunctionProps) {
    super(scope, id);
    const timeout = props.timeout ?? Duration.seconds(20);
    // API Gateway waits 29 s for its integration; a function nobody waits on may run to 15 minutes.
    const longest = props.behindApi === false ? 900 : 29;
    if (timeout.toSeconds() < 10 || timeout.toSeconds() > longest)
      throw new Error(`${id}: timeout must be 10–${longest} s, got ${timeout.toSeconds()} s`);

    this.logGroup = new logs.LogGroup(logsStackOf(this), `${id}Logs`, { retention: logs.RetentionDays.ONE_YEAR });

    // Our own role, so no AWS managed policy (AWSLambdaBasicExecutionRole writes to any log
    // group): it may write to its own log group and nothing else until a grant says so.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      // IAM descriptions allow Latin-1 only; catalog descriptions may not stay that way.
      description: `Execution role of the Redress ${id} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new LambdaFunction(this, 'Function', {
      code: bundledCode(props.entry, props.desk),
      // function-bundle.ts writes index.mjs.
      handler: 'index.handler',
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout,
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        ...Object.fromEntries(
          Object.entries(props.environment).filter((entry): entry is [string, string] => entry[1] !== undefined),
        ),
        NODE_OPTIONS: '--enable-source-maps',
        // Powertools (functions/lib/log.ts, metrics.ts): one service name, one namespace.
        POWERTOOLS_SERVICE_NAME: props.metricService ?? METRIC_SERVICE,
        POWERTOOLS_METRICS_NAMESPACE: METRIC_NAMESPACE,
      },
    });

    // X-Ray's PutTraceSegments/PutTelemetryRecords have no resource-level permissions.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the X-Ray actions (xray:PutTraceSegments, xray:PutTelemetryRecords) added by active tracing use Resource "*"; X-Ray does not support resource-level permissions.',
    });
  }

  get functionArn(): string {
    return this.function.functionArn;
  }

  private deadLetters?: sqs.Queue;

  /**
   * The dead-letter queue of this function's asynchronous invocations (schedules, EventBridge
   * rules): events that EventBridge could not deliver, and events whose invocation still failed
   * after Lambda's retries, land here instead of vanishing. An alarm watches its depth.
   * Created on first use; the same queue serves both the rule target and the function.
   */
  asyncDeadLetters(options: { retryAttempts: number; maxEventAge: Duration }): sqs.Queue {
    if (!this.deadLetters) {
      this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      this.function.configureAsyncInvoke({
        retryAttempts: options.retryAttempts,
        maxEventAge: options.maxEventAge,
        onFailure: new SqsDestination(this.deadLetters),
      });
      Validations.of(this.deadLetters).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `This queue is itself a dead-letter queue (failed asynchronous invocations of ${this.node.id} and undeliverable EventBridge events); nothing consumes it automatically, so it needs no dead-letter queue of its own. An alarm fires on its first message.`,
      });
    }
    return this.deadLetters;
  }

  get asyncDeadLetterQueue(): sqs.Queue | undefined {
    return this.deadLetters;
  }

  /**
   * Items and the named indexes of the complaints table: the DynamoDB actions Redress uses, bulk
   * calls only where the catalog names them, no table admin. Reads reach the whole table (an
   * index query is authorised on the index's own partition key, so no key condition can apply to
   * reads); writes reach only the partitions named (`writes`), by `dynamodb:LeadingKeys`.
   */
  grantComplaintsTable(
    table: ITableV2,
    access: 'read' | 'write',
    bulk: readonly ('batchGet' | 'batchWrite' | 'scan')[] = [],
    writes: readonly PartitionName[] = [],
  ): void {
    const reads = [
      'dynamodb:GetItem',
      'dynamodb:Query',
      ...(bulk.includes('batchGet') ? ['dynamodb:BatchGetItem'] : []),
      ...(bulk.includes('scan') ? ['dynamodb:Scan'] : []),
    ];
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ComplaintsTableItems', actions: reads, resources: [table.tableArn] }),
    );
    // A writer that names no partitions is granted no writes (test/infra/function-access.test.ts fails on it).
    if (access === 'write' && writes.length) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ComplaintsTableWrites',
          // Transactions are authorised per item action (TransactWriteItems → Put/Update/Delete/ConditionCheck), each on its own key.
          actions: [...TABLE_WRITE_ACTIONS, ...(bulk.includes('batchWrite') ? ['dynamodb:BatchWriteItem'] : [])],
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': writes.map(partitionKeyPattern) } },
        }),
      );
    }
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ComplaintsTableIndexes',
        actions: ['dynamodb:Query'],
        // Named, not index/*: a new index is not readable until it is listed in functions/store/schema.ts.
        resources: Object.keys(TABLE_INDEXES).map((name) => `${table.tableArn}/index/${name}`),
      }),
    );
  }

  /** Send mail as the configured sender (SES v1 SendEmail/SendRawEmail), through its configuration set. */
  grantSendEmail(identityArn: string, configurationSetArn?: string): void {
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendEmail',
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: configurationSetArn ? [identityArn, configurationSetArn] : [identityArn],
      }),
    );
    // The account's sending rate, which paces the outbox (an account-level read: no resource).
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ReadSendQuota', actions: ['ses:GetSendQuota'], resources: ['*'] }),
    );
  }

  /**
   * Start, signal, read and stop executions of the complaint-handling workflow. Takes ARNs,
   * not the machine, so a function the machine invokes could hold this grant without a cycle.
   */
  grantWorkflow(workflow: WorkflowRef, calls: readonly ('start' | 'signal' | 'stop' | 'describe')[]): void {
    const onMachine = [
      ...(calls.includes('start') ? ['states:StartExecution'] : []),
      // Task tokens belong to the machine: SendTaskSuccess/Failure are authorised on its ARN.
      ...(calls.includes('signal') ? ['states:SendTaskSuccess', 'states:SendTaskFailure'] : []),
    ];
    if (onMachine.length)
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'WorkflowMachine', actions: onMachine, resources: [workflow.stateMachineArn] }),
      );
    const onExecutions = [
      ...(calls.includes('stop') ? ['states:StopExecution'] : []),
      ...(calls.includes('describe') ? ['states:DescribeExecution'] : []),
    ];
    if (!onExecutions.length) return;
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WorkflowExecutions',
        actions: onExecutions,
        resources: [workflow.executionsArn],
      }),
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${iamFindingText(this, workflow.executionsArn)}]`,
      reason:
        'Executions are named by complaint id at run time, so their ARNs can only be matched by a wildcard; it is scoped to the executions of the one Redress state machine and allows only StopExecution (a withdrawal, or a stuck execution before its case is re-driven) and DescribeExecution (the stalled-case sweep).',
    });
  }

  /**
   * Presign evidence uploads (PutObject) or downloads (GetObject) under `complaints/`: a presigned
   * request carries the signer's rights, so the signer needs exactly the one action it hands out.
   */
  grantEvidence(bucket: IBucket, access: 'upload' | 'download'): void {
    // Uploads write only `complaints/`; downloads read recorded evidence (`recorded/complaints/`,
    // and `complaints/` for evidence recorded before it moved there).
    const objects =
      access === 'upload'
        ? [bucket.arnForObjects('complaints/*')]
        : [bucket.arnForObjects('recorded/complaints/*'), bucket.arnForObjects('complaints/*')];
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: access === 'upload' ? 'EvidenceUploads' : 'EvidenceDownloads',
        actions: [access === 'upload' ? 's3:PutObject' : 's3:GetObject'],
        resources: objects,
      }),
    );
    for (const resource of objects) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${iamFindingText(this, resource)}]`,
        reason: `Evidence keys are generated per complaint and upload at run time, so object ARNs need a wildcard; it covers only one evidence prefix of the bucket, with ${access === 'upload' ? 'PutObject (presigned uploads)' : 'GetObject (presigned downloads for staff)'} alone.`,
      });
    }
  }

  /** Write case archives under `exports/` and read them (the presigned downloads are signed with this role). */
  grantArchives(bucket: IBucket): void {
    const archives = bucket.arnForObjects('exports/*');
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'CaseArchives',
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [archives],
      }),
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${iamFindingText(this, archives)}]`,
      reason:
        'Archive keys are generated per case and download at run time, so the object ARN needs a wildcard; it covers only the exports/ prefix (expired after a day), with PutObject and GetObject (the presigned download) alone.',
    });
  }

  /** Delete a complaint's evidence (recorded and quarantined), the raw mails kept with it and its archives when its record expires or it is erased. */
  grantEvidencePurge(bucket: IBucket): void {
    const prefixes = [
      'complaints/*',
      'recorded/complaints/*',
      'quarantine/complaints/*',
      'mail/complaints/*',
      'exports/*',
    ];
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EvidenceList',
        // The versions too: a purge deletes every version and delete marker (store/bucket-prefix.ts).
        actions: ['s3:ListBucket', 's3:ListBucketVersions'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': prefixes } },
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EvidenceDelete',
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: prefixes.map((prefix) => bucket.arnForObjects(prefix)),
      }),
    );
    for (const prefix of prefixes) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${iamFindingText(this, bucket.arnForObjects(prefix))}]`,
        reason:
          'A complaint’s evidence keys are generated at run time under its own prefix; deleting them (every version) when the record expires or the case is erased needs the prefix wildcard, with DeleteObject and DeleteObjectVersion only (listing is limited to the same prefixes by condition).',
      });
    }
  }

  /**
   * Check landed evidence: read each upload under `complaints/` once (the version its event names),
   * write the bytes read to `recorded/` (checked) or `quarantine/` (breaks the policy), and delete
   * that version of the upload; a copy it wrote and does not keep (the case refused it, or it
   * repeats recorded evidence) it deletes again. Nothing else.
   */
  grantEvidenceReview(bucket: IBucket): void {
    const uploads = bucket.arnForObjects('complaints/*');
    const quarantine = bucket.arnForObjects('quarantine/*');
    const recorded = bucket.arnForObjects('recorded/*');
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EvidenceUploadsReview',
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [uploads],
      }),
    );
    // Writes only: checked evidence to `recorded/`, what breaks the policy to `quarantine/`.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EvidenceQuarantine',
        actions: ['s3:PutObject'],
        resources: [quarantine, recorded],
      }),
    );
    // A copy it wrote and does not keep: one the case refused (it ended, or took its last file
    // meanwhile), or the same bytes as recorded evidence uploaded again.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EvidenceOwnCopies',
        actions: ['s3:DeleteObject'],
        resources: [quarantine, recorded],
      }),
    );
    for (const objects of [uploads, quarantine, recorded]) {
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${iamFindingText(this, objects)}]`,
        reason:
          'Evidence keys are generated per complaint and upload at run time; the wildcard is limited to one prefix of the evidence bucket (read and delete uploads, write recorded and quarantine copies and delete those it does not keep).',
      });
    }
  }
}

/**
 * The text cdk-nag shows for a resource ARN in a granular finding: literals as they are,
 * `Ref`/`Fn::GetAtt` of a resource as `<LogicalId>` / `<LogicalId.Attr>`, pseudo parameters as
 * `<AWS::Region>`. Acknowledgements must name the finding exactly.
 */
export function iamFindingText(scope: Construct, value: string): string {
  const render = (node: unknown): string => {
    if (typeof node === 'string') return node;
    if (node && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      if ('Fn::Join' in obj) {
        const [separator, parts] = obj['Fn::Join'] as [string, unknown[]];
        return parts.map(render).join(separator);
      }
      if ('Ref' in obj) return `<${obj.Ref as string}>`;
      if ('Fn::GetAtt' in obj) {
        const [logicalId, attr] = obj['Fn::GetAtt'] as [string, string];
        return `<${logicalId}.${attr}>`;
      }
    }
    throw new Error(`Cannot render ${JSON.stringify(node)} as a cdk-nag finding`);
  };
  return render(Stack.of(scope).resolve(value));
}
