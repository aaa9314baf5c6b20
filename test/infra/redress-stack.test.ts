import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, UNKNOWN_ADDRESS_RESOURCE } from '../../functions/catalog';
import { DEFAULT_DESK_CONFIG, InvalidConfigError } from '../../functions/domain/config';
import {
  defaultDeploymentConfig,
  loadDeploymentConfig,
  parseDeploymentConfig,
  REPO_ROOT,
  stackIdOf,
  type DeploymentConfig,
} from '../../infra/deploy-config';
import { RedressStack } from '../../infra/redress-stack';
import {
  PARTITIONS,
  partitionKeyPattern,
  projectionOf,
  TABLE_INDEXES,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
  type IndexName,
} from '../../functions/store/schema';
import { TABLE_WRITE_ACTIONS } from '../../infra/constructs/redress-function';
import { withNestedStacks } from '../support/synth';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

/** The app as `cdk synth` builds it (cdk.json's feature flags, the nag gate), minus bundling. */
function synthesize(config: DeploymentConfig): Template {
  const { context } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new RedressStack(app, stackIdOf(config), { config });
  // Throws «ValidationFailed» on any unacknowledged cdk-nag finding.
  return withNestedStacks(stack);
}

// Synthesised once, on first use, so a nag failure shows up as the failing first test rather than
// as a suite that cannot load.
let built: { template: Template; resources: Record<string, Resource> } | undefined;
function defaultStack() {
  if (!built) {
    const template = synthesize(defaultDeploymentConfig());
    built = { template, resources: template.toJSON().Resources as Record<string, Resource> };
  }
  return built;
}
const ofType = (type: string) =>
  Object.entries(defaultStack().resources).filter(([, resource]) => resource.Type === type);
const logicalIdOf = (type: string, pattern: RegExp) => {
  const ids = ofType(type)
    .map(([id]) => id)
    .filter((id) => pattern.test(id));
  expect(ids, `${type} matching ${pattern}`).toHaveLength(1);
  return ids[0]!;
};
const functionIdOf = (specId: string) =>
  logicalIdOf('AWS::Lambda::Function', new RegExp(`^${specId}Function[0-9A-F]{8}$`));

describe('Redress stack', () => {
  it('samples traces at the API stage and the workflow (a reservoir of one a second, 5 % beyond), which the functions follow', () => {
    const { template } = defaultStack();
    template.resourceCountIs('AWS::XRay::SamplingRule', 2);
    for (const serviceType of ['AWS::ApiGateway::Stage', 'AWS::StepFunctions::StateMachine']) {
      template.hasResourceProperties('AWS::XRay::SamplingRule', {
        SamplingRule: { ServiceType: serviceType, FixedRate: 0.05, ReservoirSize: 1 },
      });
    }
  });

  it('counts every added history event into the figures from the stream, and sends the weekly report on the desk clock', () => {
    const { template } = defaultStack();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionIdOf('AggregateAnalytics') },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { Keys: { pk: { S: [{ prefix: 'COMPLAINT#' }] }, sk: { S: [{ prefix: 'EVENT#' }] } } },
            }),
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 ? * MON *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [functionIdOf('SendWeeklyReport'), 'Arn'] } }),
    });
  });

  it('deletes a complaint’s whole case and evidence when TTL removes its record, and only then', () => {
    const { template } = defaultStack();
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionIdOf('ExpireEvidence') },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['REMOVE'],
              userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] },
            }),
          },
        ],
      },
    });
  });

  it('grants each function only what the catalog declares it touches', () => {
    const actionsOf = (specId: string): string[] => {
      const fn = defaultStack().resources[functionIdOf(specId)]!;
      const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
      return ofType('AWS::IAM::Policy')
        .filter(([, policy]) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>)
        .flatMap((statement) => [statement.Action].flat());
    };
    const holders = (action: string) =>
      FUNCTIONS.filter((spec) => actionsOf(spec.id).includes(action))
        .map((spec) => spec.id)
        .sort();
    expect(holders('dynamodb:PutItem')).toEqual(
      FUNCTIONS.filter((spec) => spec.table === 'write')
        .map((spec) => spec.id)
        .sort(),
    );
    expect([...new Set(actionsOf('TrackComplaint').filter((a) => a.startsWith('dynamodb:')))].sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
    ]);
    expect(actionsOf('ComplaintForm').filter((a) => !a.startsWith('xray:') && !a.startsWith('logs:'))).toEqual([]);
    // Withdrawing stops a case's execution, and so do asking for erasure of an open case (it withdraws first) and a merge.
    expect(holders('states:StopExecution')).toEqual(['RequestErasure', 'StaffMerge', 'WithdrawComplaint']);
    expect(holders('states:StartExecution')).toEqual([
      'FileComplaint',
      'ReceiveMail',
      'RequestReview',
      'StaffComplaint',
      'StartPendingWorkflows',
      'SweepStalledCases',
    ]);
    expect(holders('states:DescribeExecution')).toEqual(['SweepStalledCases']);
    // Scans: the analytics rebuild alone (the stalled-case sweep queries its due index); bulk reads where hotspots are counted, stream batches rolled up, the due cases' records and the weekly reports.
    expect(holders('dynamodb:Scan')).toEqual(['AggregateAnalytics']);
    expect(holders('dynamodb:BatchGetItem')).toEqual([
      'AggregateAnalytics',
      'DeliverWeeklyReports',
      'SendWeeklyReport',
      'StaffAnalytics',
      'StaffBoard',
      'StaffBulkAction',
      'StaffCases',
      'StaffViews',
      'SweepStalledCases',
    ]);
    expect(holders('states:SendTaskSuccess')).toEqual([
      'ComplainantMessage',
      'OpenTask',
      'ReceiveMail',
      'RecordEvidence',
      'RequestReview',
      'RespondentMessages',
      'StaffCase',
      'StaffMessage',
      'SweepStalledCases',
      'TaskPage',
    ]);
    expect(holders('states:SendTaskFailure')).toEqual(holders('states:SendTaskSuccess'));
    expect(holders('s3:DeleteObject')).toEqual(['ExpireEvidence', 'PurgeDueErasures', 'RecordEvidence']);
    // Presigned evidence uploads (the complainant's, the caller's at staff entry, staff's and the
    // respondent's attachments), the case archives and the landed raw mail.
    expect(holders('s3:PutObject')).toEqual([
      'CaseArchive',
      'ReceiveMail',
      'RecordEvidence',
      'RequestEvidenceUpload',
      'RespondentMessages',
      'StaffComplaint',
      'StaffMessage',
      'StaffReferralBundle',
    ]);
    expect(holders('secretsmanager:GetSecretValue')).toEqual(
      FUNCTIONS.filter((spec) => spec.signsLinks || spec.webhookSecrets)
        .map((spec) => spec.id)
        .sort(),
    );
  });

  it('lets each function write only the table partitions its catalog entry names (dynamodb:LeadingKeys), and read without a key condition', () => {
    const WRITES = [...TABLE_WRITE_ACTIONS, 'dynamodb:BatchWriteItem'];
    const tableArn = { 'Fn::GetAtt': [logicalIdOf('AWS::DynamoDB::GlobalTable', /^ComplaintsTable/), 'Arn'] };
    type Statement = {
      Sid?: string;
      Action: string | string[];
      Resource: unknown;
      Condition?: Record<string, Record<string, string | string[]>>;
    };
    const statementsOf = (specId: string): Statement[] => {
      const roleId = defaultStack().resources[functionIdOf(specId)]!.Properties.Role['Fn::GetAtt'][0] as string;
      return ofType('AWS::IAM::Policy')
        .filter(([, policy]) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Statement[]);
    };
    for (const spec of FUNCTIONS) {
      const statements = statementsOf(spec.id);
      const writing = statements.filter((statement) =>
        [statement.Action].flat().some((action) => WRITES.includes(action)),
      );
      if (spec.table !== 'write') {
        expect(writing, spec.id).toEqual([]);
        continue;
      }
      // One statement holds every write, on the table itself, under the partitions' patterns.
      expect(writing, spec.id).toHaveLength(1);
      const [write] = writing;
      expect([write!.Action].flat().sort(), spec.id).toEqual(
        [...TABLE_WRITE_ACTIONS, ...(spec.tableBulk?.includes('batchWrite') ? ['dynamodb:BatchWriteItem'] : [])].sort(),
      );
      expect(write!.Resource, spec.id).toEqual(tableArn);
      const patterns = spec.tableWrites!.map(partitionKeyPattern);
      expect(write!.Condition, spec.id).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': patterns } });
      expect(
        patterns.every((pattern) => pattern.endsWith('#*') || pattern === PARTITIONS.analytics),
        spec.id,
      ).toBe(true);
      // Reads (and the index queries, authorised on each index's own key) carry no key condition.
      const reading = statements.filter((statement) => [statement.Action].flat().includes('dynamodb:Query'));
      expect(reading.length, spec.id).toBeGreaterThan(0);
      for (const statement of reading) expect(statement.Condition, `${spec.id} ${statement.Sid}`).toBeUndefined();
    }
  });

  it('keeps the link-signing key in Secrets Manager, generated at deploy, readable by the functions', () => {
    // Besides the webhook secrets (PlatformEvents).
    const secrets = ofType('AWS::SecretsManager::Secret').filter(([id]) => id.startsWith('LinkSigningKey'));
    expect(secrets).toHaveLength(1);
    const [secretId, secret] = secrets[0]!;
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect(secret.Properties.SecretString).toBeUndefined();
    for (const spec of FUNCTIONS) {
      const variables = defaultStack().resources[functionIdOf(spec.id)]!.Properties.Environment.Variables;
      if (spec.signsLinks) expect(variables.LINK_SIGNING_SECRET_ARN, spec.id).toEqual({ Ref: secretId });
      else expect(variables, spec.id).not.toHaveProperty('LINK_SIGNING_SECRET_ARN');
      expect(JSON.stringify(variables)).not.toMatch(/LINK_SIGNING_KEY/);
    }
  });

  it('passes the cdk-nag AWS Solutions checks (default config)', () => {
    expect(() => defaultStack()).not.toThrow();
  });

  it('passes the cdk-nag AWS Solutions checks with the operator config too', () => {
    expect(() =>
      synthesize(
        parseDeploymentConfig({
          mailFrom: 'desk@complaints.example.cn',
          publicBaseUrl: 'https://complaints.example.cn/',
          alarmEmail: 'ops@example.cn',
          allowedOrigins: ['https://www.example.cn/help/complain'],
        }),
      ),
    ).not.toThrow();
  });

  it('keeps complaints in a table built from the store schema, recoverable and never deleted with the stack', () => {
    const { template } = defaultStack();
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: Object.entries(TABLE_INDEXES).map(([indexName, index]) => ({
          IndexName: indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: projectionOf(indexName as IndexName),
        })),
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        SSESpecification: Match.objectLike({ SSEEnabled: true }),
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      }),
    });
  });

  it('lets the archive functions write and read exports/ alone, and the purges delete every version of a case’s objects, archives included', () => {
    const statementsOf = (specId: string) => {
      const roleId = defaultStack().resources[functionIdOf(specId)]!.Properties.Role['Fn::GetAtt'][0] as string;
      return ofType('AWS::IAM::Policy')
        .filter(([, policy]) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
        .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
    };
    for (const id of ['CaseArchive', 'StaffReferralBundle']) {
      const archives = statementsOf(id).find((statement) => statement.Sid === 'CaseArchives');
      expect([archives?.Action].flat().sort(), id).toEqual(['s3:GetObject', 's3:PutObject']);
      expect(JSON.stringify(archives?.Resource), id).toMatch(/\/exports\/\*"\]+\}$/);
    }
    for (const id of FUNCTIONS.filter((spec) => !spec.archives).map((spec) => spec.id))
      expect(
        statementsOf(id).find((statement) => statement.Sid === 'CaseArchives'),
        id,
      ).toBeUndefined();
    // Every version of a case's objects, in every prefix it has, archives included (store/bucket-prefix.ts).
    for (const id of ['ExpireEvidence', 'PurgeDueErasures']) {
      const purge = statementsOf(id).find((s) => s.Sid === 'EvidenceDelete');
      expect([purge?.Action].flat().sort(), id).toEqual(['s3:DeleteObject', 's3:DeleteObjectVersion']);
      expect(JSON.stringify(purge), id).toContain('/exports/*');
      const list = statementsOf(id).find((s) => s.Sid === 'EvidenceList');
      expect([list?.Action].flat().sort(), id).toEqual(['s3:ListBucket', 's3:ListBucketVersions']);
    }
  });

  it('keeps evidence private, encrypted, versioned, access-logged and expiring after the retention period', () => {
    const { template } = defaultStack();
    const logsBucket = logicalIdOf('AWS::S3::Bucket', /^AccessLogsBucket/);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        LoggingConfiguration: Match.objectLike({ DestinationBucketName: { Ref: logsBucket } }),
        LifecycleConfiguration: {
          Rules: [
            Match.objectLike({
              ExpirationInDays: DEFAULT_DESK_CONFIG.retentionDays + 365,
              NoncurrentVersionExpiration: { NoncurrentDays: 30 },
              Status: 'Enabled',
            }),
            // Raw mail that landed on no case (test/infra/inbound-wiring.test.ts).
            Match.objectLike({
              Prefix: 'inbound/',
              ExpirationInDays: DEFAULT_DESK_CONFIG.inbound.unlandedRetentionDays,
            }),
            // Case archives, handed out by a five-minute link (store/archive-objects.ts).
            Match.objectLike({
              Prefix: 'exports/',
              ExpirationInDays: 1,
              NoncurrentVersionExpiration: { NoncurrentDays: 1 },
            }),
          ],
        },
        CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ['POST', 'GET'] })] },
      }),
    });
    for (const [, bucket] of ofType('AWS::S3::Bucket')) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption).toBeDefined();
    }
    // Both buckets refuse plain HTTP.
    const denyPlainHttp = Match.objectLike({
      Effect: 'Deny',
      Action: 's3:*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(
      template.findResources('AWS::S3::BucketPolicy', {
        Properties: { PolicyDocument: { Statement: Match.arrayWith([denyPlainHttp]) } },
      }),
    ).toSatisfy((found: object) => Object.keys(found).length === 2);
  });

  it('runs the workflow as a Standard state machine that logs ALL events and traces', () => {
    const { template } = defaultStack();
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    const placeholders = FUNCTIONS.filter((spec) => spec.workflowArnPlaceholder);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
      TracingConfiguration: { Enabled: true },
      DefinitionSubstitutions: Object.fromEntries(
        placeholders.map((spec) => [spec.workflowArnPlaceholder, { 'Fn::GetAtt': [functionIdOf(spec.id), 'Arn'] }]),
      ),
    });
    // The machine may invoke exactly its step functions.
    const [, machine] = ofType('AWS::StepFunctions::StateMachine')[0]!;
    const roleId = machine.Properties.RoleArn['Fn::GetAtt'][0] as string;
    const invoke = ofType('AWS::IAM::Policy')
      .filter(([, policy]) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>)
      .filter((statement) => statement.Action === 'lambda:InvokeFunction');
    expect(invoke).toHaveLength(1);
    // (minimizePolicies sorts the list)
    const sortedIds = (resources: Array<{ 'Fn::GetAtt': [string, string] }>) =>
      resources.map((r) => r['Fn::GetAtt'][0]).sort();
    expect(sortedIds(invoke[0]!.Resource)).toEqual(placeholders.map((spec) => functionIdOf(spec.id)).sort());
  });

  it('gives every function the same ARN for the state machine that the machine gets as its name', () => {
    const [, machine] = ofType('AWS::StepFunctions::StateMachine')[0]!;
    const name = machine.Properties.StateMachineName as string;
    const starters = FUNCTIONS.filter((spec) => spec.workflow?.length);
    expect(starters.length).toBeGreaterThan(0);
    for (const spec of starters) {
      const arn = defaultStack().resources[functionIdOf(spec.id)]!.Properties.Environment.Variables.STATE_MACHINE_ARN;
      expect(JSON.stringify(arn), spec.id).toContain(`:stateMachine:${name}"`);
    }
  });

  it('builds one arm64 Node.js Lambda per catalog entry, traced, with the variables its catalog entry needs', () => {
    const { template, resources } = defaultStack();
    template.resourceCountIs('AWS::Lambda::Function', FUNCTIONS.length);
    for (const spec of FUNCTIONS) {
      const [, fn] = Object.entries(resources).find(([id]) => id === functionIdOf(spec.id))!;
      expect(fn.Properties).toMatchObject({
        Architectures: ['arm64'],
        Description: spec.description,
        MemorySize: 512,
        TracingConfig: { Mode: 'Active' },
      });
      expect(fn.Properties.Runtime).toMatch(/^nodejs\d+\.x$/);
      expect(fn.Properties.Timeout).toBeGreaterThanOrEqual(10);
      // Behind the API, within its 29 s integration wait; a scheduled function as its entry says.
      expect(fn.Properties.Timeout).toBeLessThanOrEqual(spec.routes?.length ? 29 : (spec.timeoutSeconds ?? 29));
      expect(fn.Properties.Timeout).toBe(spec.timeoutSeconds ?? 20);
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
      const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
      const needs = {
        TABLE_NAME: !!spec.table,
        STATE_MACHINE_ARN: !!spec.workflow?.length,
        EVIDENCE_BUCKET: !!(spec.evidence || spec.onInboundMail || spec.pageUploadsEvidence),
        MAIL_FROM: !!spec.sendsEmail,
        SES_CONFIGURATION_SET: !!spec.sendsEmail,
        LINK_SIGNING_SECRET_ARN: !!spec.signsLinks,
      };
      for (const [name, needed] of Object.entries(needs)) expect(name in variables, `${spec.id} ${name}`).toBe(needed);
      // The desk config is bundled into the code, not carried in the environment.
      expect(variables).not.toHaveProperty('REDRESS_CONFIG');
      expect(variables).not.toHaveProperty('REDRESS_CLOCK_SCALE');
    }
    for (const [, group] of ofType('AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(365);
  });

  it('schedules the functions that run every few minutes', () => {
    const { template } = defaultStack();
    for (const spec of FUNCTIONS.filter((s) => s.everyMinutes)) {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: spec.everyMinutes === 1 ? 'rate(1 minute)' : `rate(${spec.everyMinutes} minutes)`,
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionIdOf(spec.id), 'Arn'] } })],
      });
    }
  });

  it('serves each catalog route from its function on the REST API', () => {
    const { template, resources } = defaultStack();
    const paths = new Map<string, string>();
    const pathOf = (id: string): string => {
      if (!paths.has(id)) {
        const resource = resources[id]!;
        const parent = resource.Properties.ParentId;
        paths.set(id, `${parent['Fn::GetAtt'] ? '' : pathOf(parent.Ref)}/${resource.Properties.PathPart}`);
      }
      return paths.get(id)!;
    };
    const methods = ofType('AWS::ApiGateway::Method').map(([, method]) => ({
      // The root resource (GET /, the complaint form) is the API's RootResourceId, not a Ref.
      route: `${method.Properties.HttpMethod} ${method.Properties.ResourceId.Ref ? pathOf(method.Properties.ResourceId.Ref) : '/'}`,
      integration: method.Properties.Integration,
    }));
    const routes = FUNCTIONS.flatMap((spec) => [
      ...(spec.routes ?? []).map((route) => ({ spec, route: `${route.method} ${route.path}` })),
      // The catch-all: any method at any address no route has, answered by that function's 404.
      ...(spec.answersUnknownAddresses ? [{ spec, route: `ANY ${UNKNOWN_ADDRESS_RESOURCE}` }] : []),
    ]);
    expect(FUNCTIONS.filter((spec) => spec.answersUnknownAddresses)).toHaveLength(1);
    expect(methods.map((m) => m.route).sort()).toEqual(routes.map((r) => r.route).sort());
    for (const { spec, route } of routes) {
      const method = methods.find((m) => m.route === route)!;
      expect(method.integration.Type, route).toBe('AWS_PROXY');
      expect(JSON.stringify(method.integration.Uri), route).toContain(`"${functionIdOf(spec.id)}"`);
    }
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ Format: Match.stringLikeRegexp('^\\{"requestId":"\\$context.requestId"') }),
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
          MetricsEnabled: true,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
        // Filing has its own, lower limit; the override repeats logging and metrics.
        Match.objectLike({
          HttpMethod: 'POST',
          ResourcePath: '/~1complaints',
          ThrottlingRateLimit: 10,
          ThrottlingBurstLimit: 20,
          MetricsEnabled: true,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ],
    });
    // Without the account's CloudWatch role a REST stage with logging does not deploy.
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    // Every body is text: files go to and from S3 by presigned links, none through the API.
    const [[, api]] = ofType('AWS::ApiGateway::RestApi') as [[string, Resource]];
    expect(api.Properties.BinaryMediaTypes).toBeUndefined();
  });

  it('grants no wildcard actions, and "*" resources only to actions that cannot be scoped', () => {
    const statements = ofType('AWS::IAM::Policy').flatMap(
      ([, policy]) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>,
    );
    expect(statements.length).toBeGreaterThan(0);
    const unscopable =
      /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)|ses:GetSendQuota)$/;
    for (const statement of statements) {
      const actions = ([] as string[]).concat(statement.Action);
      for (const action of actions) {
        expect(action).not.toBe('*');
        expect(action, 'wildcard action').not.toMatch(/\*/);
      }
      if ([].concat(statement.Resource).includes('*' as never)) {
        for (const action of actions) expect(action, 'action on Resource "*"').toMatch(unscopable);
      }
    }
    // Inline statements only, except the account-level role API Gateway logs with (AWS's own policy for it).
    for (const [id, role] of ofType('AWS::IAM::Role')) {
      if (id.startsWith('PublicApiCloudWatchRole')) {
        expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toMatch(
          /:iam::aws:policy\/service-role\/AmazonAPIGatewayPushToCloudWatchLogs"\]\]\}\]$/,
        );
        expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
          expect.objectContaining({ Principal: { Service: 'apigateway.amazonaws.com' } }),
        ]);
      } else {
        expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
      }
    }
  });

  it('lets only the mailing functions send mail, and only as the configured sender', () => {
    const { template } = defaultStack();
    const identity = logicalIdOf('AWS::SES::EmailIdentity', /^MailFromIdentity/);
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'complaints@example.org' });
    const sendStatements = ofType('AWS::IAM::Policy').flatMap(([, policy]) =>
      (policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>)
        .filter((statement) => [].concat(statement.Action).includes('ses:SendEmail' as never))
        .map((statement) => ({ role: policy.Properties.Roles[0].Ref as string, statement })),
    );
    expect(sendStatements.map((s) => s.role).sort()).toEqual(
      FUNCTIONS.filter((spec) => spec.sendsEmail)
        .map((spec) => logicalIdOf('AWS::IAM::Role', new RegExp(`^${spec.id}Role[0-9A-F]{8}$`)))
        .sort(),
    );
    for (const { statement } of sendStatements) {
      const resources = JSON.stringify(statement.Resource);
      expect(resources).toContain(`":identity/",{"Ref":"${identity}"}`);
      expect(resources).not.toContain('"*"');
    }
  });

  it('gives the form page only what it shows: no table, no state machine, no mail, no signing key', () => {
    const variables = defaultStack().resources[functionIdOf('ComplaintForm')]!.Properties.Environment
      .Variables as Record<string, unknown>;
    for (const name of ['TABLE_NAME', 'STATE_MACHINE_ARN', 'MAIL_FROM', 'LINK_SIGNING_SECRET_ARN', 'REDRESS_CONFIG'])
      expect(variables, name).not.toHaveProperty(name);
    expect(Object.keys(variables).sort()).toEqual([
      'EVIDENCE_BUCKET',
      'NODE_OPTIONS',
      'POWERTOOLS_METRICS_NAMESPACE',
      'POWERTOOLS_SERVICE_NAME',
      'PUBLIC_BASE_URL',
    ]);
  });

  it('synthesizes a desk config of 20 KB and more (it is bundled, not an environment variable)', () => {
    const handlers = Array.from(
      { length: 50 },
      (_, i) => `handler.number.${String(i).padStart(2, '0')}@complaints.example.org`,
    );
    const teams = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => `region-${i}`).map((team) => [
        team,
        { handlers, supervisor: `${team}.supervisor@example.org`, manager: 'desk.manager@example.org' },
      ]),
    );
    const desk = { ...DEFAULT_DESK_CONFIG, teams: { ...DEFAULT_DESK_CONFIG.teams, ...teams } };
    expect(Buffer.byteLength(JSON.stringify(desk))).toBeGreaterThan(20_000);
    const large = synthesize(parseDeploymentConfig({ mailFrom: 'desk@example.org', desk })).toJSON()
      .Resources as Record<string, Resource>;
    const functions = FUNCTIONS.map(
      (spec) => Object.entries(large).find(([id]) => new RegExp(`^${spec.id}Function[0-9A-F]{8}$`).test(id))?.[1],
    );
    for (const fn of functions)
      expect(Buffer.byteLength(JSON.stringify(fn!.Properties.Environment.Variables))).toBeLessThan(4096);
  });

  it('exports the URLs and names an operator needs', () => {
    const { template } = defaultStack();
    for (const name of ['ApiUrl', 'TableName', 'BucketName', 'StateMachineArn']) template.hasOutput(name, {});
  });

  it('uses the configured public base URL, origins and alarm address', () => {
    const custom = synthesize(
      parseDeploymentConfig({
        mailFrom: 'desk@example.cn',
        publicBaseUrl: 'https://complaints.example.cn/',
        alarmEmail: 'ops@example.cn',
        allowedOrigins: ['https://www.example.cn/help', 'https://complaints.example.cn'],
        desk: { ...DEFAULT_DESK_CONFIG, retentionDays: 730 },
      }),
    );
    for (const spec of FUNCTIONS.filter((f) => f.sendsEmail)) {
      custom.hasResourceProperties('AWS::Lambda::Function', {
        Description: spec.description,
        Environment: {
          Variables: Match.objectLike({
            PUBLIC_BASE_URL: 'https://complaints.example.cn',
            MAIL_FROM: 'desk@example.cn',
          }),
        },
      });
    }
    custom.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedOrigins: ['https://complaints.example.cn', 'https://www.example.cn'] })],
      },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({ ExpirationInDays: 730 + 365 }),
          Match.objectLike({ Prefix: 'inbound/' }),
          Match.objectLike({ Prefix: 'exports/' }),
        ],
      },
    });
    custom.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.cn' });
    // One per function, one per dead-letter queue, and the desk's own 15: workflow (2), open-execution quota, escalation (2), provisional deadlines, stalled cases re-driven, API (3, WAF's per-IP limit with WAF on by default), mail (4: bounce rate, complaint rate, suppressed, undelivered), platform events stuck in the outbox.
    const asyncFunctions = asyncSpecs.length;
    custom.resourceCountIs('AWS::CloudWatch::Alarm', FUNCTIONS.length + asyncFunctions + 15);
  });
});

// The checked-in example config: WAF on, a mail domain with DKIM, an alarm email.
let example: { template: Template; resources: Record<string, Resource> } | undefined;
function exampleStack() {
  if (!example) {
    const template = synthesize(loadDeploymentConfig(join(REPO_ROOT, 'redress.config.example.json')));
    example = { template, resources: template.toJSON().Resources as Record<string, Resource> };
  }
  return example;
}
const asyncSpecs = FUNCTIONS.filter(
  (spec) =>
    spec.everyMinutes ||
    spec.onEvidenceUploaded ||
    spec.onMailEvent ||
    spec.onRecordExpired ||
    spec.onTableChange ||
    spec.onWebhookDelivery ||
    spec.onWeeklyReport,
);

describe('Redress stack: security and operations', () => {
  it('passes the cdk-nag AWS Solutions checks with WAF on and a DKIM-signed mail domain (the example config)', () => {
    expect(() => exampleStack()).not.toThrow();
  });

  it('validates JSON bodies where a route takes one, and path parameters everywhere; no CORS on the API', () => {
    const { template, resources } = defaultStack();
    const validators = Object.fromEntries(
      ofType('AWS::ApiGateway::RequestValidator').map(([id, v]) => [id, v.Properties]),
    );
    for (const [, method] of ofType('AWS::ApiGateway::Method')) {
      const validator = validators[method.Properties.RequestValidatorId.Ref as string]!;
      expect(validator, `${method.Properties.HttpMethod} validator`).toBeDefined();
      expect(validator.ValidateRequestParameters).toBe(true);
      // Only POST /complaints takes a JSON body: a body validator and a model on it alone.
      const resource = resources[method.Properties.ResourceId.Ref]?.Properties;
      const isFiling =
        method.Properties.HttpMethod === 'POST' &&
        resource?.PathPart === 'complaints' &&
        JSON.stringify(resource?.ParentId).includes('RootResourceId');
      expect(validator.ValidateRequestBody, 'body validation').toBe(isFiling);
      if (isFiling) expect(Object.keys(method.Properties.RequestModels)).toEqual(['application/json']);
      else expect(method.Properties.RequestModels).toBeUndefined();
      expect(method.Properties.HttpMethod, 'no CORS preflight: pages and API share an origin').not.toBe('OPTIONS');
      expect(method.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
    }
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: Match.objectLike({ type: 'object' }),
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'BAD_REQUEST_BODY',
      StatusCode: '400',
    });
    // Overload at the gateway is 429/503 with Retry-After, never a 500.
    for (const [ResponseType, StatusCode] of [
      ['THROTTLED', '429'],
      ['INTEGRATION_FAILURE', '503'],
      ['INTEGRATION_TIMEOUT', '503'],
    ])
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType,
        StatusCode,
        ResponseParameters: Match.objectLike({
          'gatewayresponse.header.Retry-After': Match.stringLikeRegexp("'\\d+'"),
        }),
      });
    // Access logs: JSON to a log group kept a year, route templates only (no capability ids).
    const [, stage] = ofType('AWS::ApiGateway::Stage')[0]!;
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format as string) as Record<string, string>;
    expect(format).toMatchObject({
      resourcePath: '$context.resourcePath',
      status: '$context.status',
      ip: '$context.identity.sourceIp',
    });
    expect(JSON.stringify(format)).not.toMatch(/\$context\.path|requestOverride|\$input/);
    expect(stage.Properties.AccessLogSetting.DestinationArn).toEqual({
      'Fn::GetAtt': [logicalIdOf('AWS::Logs::LogGroup', /^ApiAccessLogs/), 'Arn'],
    });
  });

  it('WAF is on by default with a per-IP limit and a per-IP filing limit; an operator may turn it off, and then only stage throttling limits clients (the nag acknowledgement says so)', () => {
    defaultStack().template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    defaultStack().template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'PerClientFilingLimit',
          Statement: {
            RateBasedStatement: Match.objectLike({
              Limit: 20,
              AggregateKeyType: 'IP',
              ScopeDownStatement: Match.anyValue(),
            }),
          },
        }),
      ]),
    });
    synthesize(parseDeploymentConfig({ mailFrom: 'desk@example.org', waf: { enabled: false } })).resourceCountIs(
      'AWS::WAFv2::WebACL',
      0,
    );
    const { template } = exampleStack();
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'PerClientRateLimit',
          Action: { Block: { CustomResponse: Match.objectLike({ ResponseCode: 429 }) } },
          Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
        }),
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesAmazonIpReputationList' },
          },
        }),
      ]),
    });
    const [, association] = Object.entries(exampleStack().resources).find(
      ([, r]) => r.Type === 'AWS::WAFv2::WebACLAssociation',
    )!;
    expect(JSON.stringify(association.Properties.ResourceArn)).toMatch(/\/stages\/.*PublicApiDeploymentStageprod/);
    // A lower per-client limit from the config reaches the rule.
    const custom = synthesize(
      parseDeploymentConfig({ mailFrom: 'desk@example.org', waf: { enabled: true, rateLimitPer5Minutes: 200 } }),
    );
    custom.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 200 }) } }),
      ]),
    });
  });

  it('expires records with DynamoDB TTL on expiresAt and encrypts the table at rest', () => {
    const { template } = defaultStack();
    expect(TTL_ATTRIBUTE).toBe('expiresAt');
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    });
  });

  it('limits evidence CORS to the page origin and the configured origins, for POST and GET only', () => {
    const { template } = exampleStack();
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({
            AllowedMethods: ['POST', 'GET'],
            AllowedOrigins: ['https://complaints.example.org', 'https://www.example.org'],
          }),
        ],
      },
    });
    for (const [, bucket] of ofType('AWS::S3::Bucket')) {
      for (const rule of bucket.Properties.CorsConfiguration?.CorsRules ?? [])
        expect(rule.AllowedOrigins).not.toContain('*');
    }
  });

  it('gives every asynchronously invoked function a dead-letter queue for both delivery and invocation failures, with an alarm on it', () => {
    const { template, resources } = defaultStack();
    expect(asyncSpecs.map((spec) => spec.id)).toEqual(
      expect.arrayContaining(['StartPendingWorkflows', 'RecordMailEvent']),
    );
    // Each one's dead-letter queue, and the webhook delivery queue.
    template.resourceCountIs('AWS::SQS::Queue', asyncSpecs.length + 1);
    for (const spec of asyncSpecs) {
      const queueId = logicalIdOf('AWS::SQS::Queue', new RegExp(`^${spec.id}DeadLetters[0-9A-F]{8}$`));
      const queueArn = { 'Fn::GetAtt': [queueId, 'Arn'] };
      expect(resources[queueId]!.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 86400,
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: functionIdOf(spec.id) },
        DestinationConfig: { OnFailure: { Destination: queueArn } },
      });
      if (spec.onRecordExpired || spec.onTableChange) {
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          FunctionName: { Ref: functionIdOf(spec.id) },
          DestinationConfig: { OnFailure: { Destination: queueArn } },
        });
      } else if (spec.onWebhookDelivery) {
        // Its queue's messages go to the dead-letter queue after the last try.
        const deliveries = logicalIdOf('AWS::SQS::Queue', /^PlatformEventsWebhookDeliveries/);
        expect(resources[deliveries]!.Properties.RedrivePolicy).toMatchObject({ deadLetterTargetArn: queueArn });
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          FunctionName: { Ref: functionIdOf(spec.id) },
          EventSourceArn: { 'Fn::GetAtt': [deliveries, 'Arn'] },
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        });
      } else if (spec.onWeeklyReport) {
        template.hasResourceProperties('AWS::Scheduler::Schedule', {
          Target: Match.objectLike({
            Arn: { 'Fn::GetAtt': [functionIdOf(spec.id), 'Arn'] },
            DeadLetterConfig: { Arn: queueArn },
          }),
        });
      } else {
        template.hasResourceProperties('AWS::Events::Rule', {
          Targets: [
            Match.objectLike({
              Arn: { 'Fn::GetAtt': [functionIdOf(spec.id), 'Arn'] },
              DeadLetterConfig: { Arn: queueArn },
            }),
          ],
        });
      }
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
        Threshold: 1,
      });
    }
    // Every queue refuses plain HTTP.
    const queuePolicies = ofType('AWS::SQS::QueuePolicy').map(([, p]) => JSON.stringify(p.Properties.PolicyDocument));
    expect(queuePolicies.filter((doc) => doc.includes('"aws:SecureTransport":"false"'))).toHaveLength(
      asyncSpecs.length + 1,
    );
  });

  it('sends every execution of the workflow that fails, times out or is stopped to the stalled-case sweep, which makes its open case due', () => {
    const { template } = defaultStack();
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [Match.anyValue()] },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionIdOf('SweepStalledCases'), 'Arn'] } })],
    });
  });

  it('sends SES bounces and complaints of its configuration set to RecordMailEvent', () => {
    const { template } = defaultStack();
    const configurationSet = logicalIdOf('AWS::SES::ConfigurationSet', /^MailConfigurationSet/);
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      ReputationOptions: { ReputationMetricsEnabled: true },
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: configurationSet },
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint'],
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
      }),
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ses'],
        detail: {
          eventType: ['Bounce', 'Complaint'],
          mail: { tags: { 'ses:configuration-set': [{ Ref: configurationSet }] } },
        },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionIdOf('RecordMailEvent'), 'Arn'] } })],
    });
    // Every mailing function sends through the configuration set (so its events are published).
    for (const spec of FUNCTIONS.filter((s) => s.sendsEmail)) {
      expect(
        defaultStack().resources[functionIdOf(spec.id)]!.Properties.Environment.Variables.SES_CONFIGURATION_SET,
      ).toEqual({ Ref: configurationSet });
    }
  });

  it('verifies a whole mail domain with Easy DKIM when one is configured, and outputs its DNS records', () => {
    const { template } = exampleStack();
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'example.org',
      DkimAttributes: { SigningEnabled: true },
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
    });
    for (const n of [1, 2, 3]) template.hasOutput(`DkimRecord${n}`, {});
  });

  it('alarms on failed and timed-out executions, escalation to a manager, breaches, API 5xx and 429s, throttles and mail bounces', () => {
    const { template } = exampleStack();
    const topic = logicalIdOf('AWS::SNS::Topic', /^MonitoringAlarmTopic/);
    const alarms = Object.entries(exampleStack().resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');
    for (const [id, alarm] of alarms)
      expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }]);
    expect(topic).toMatch(/^MonitoringAlarmTopic/);
    const find = (name: string) => alarms.find(([id]) => new RegExp(`^(Monitoring)?${name}`).test(id))?.[1].Properties;
    expect(find('WorkflowFailures')).toMatchObject({ Namespace: 'AWS/States', MetricName: 'ExecutionsFailed' });
    expect(find('WorkflowTimeouts')).toMatchObject({ Namespace: 'AWS/States', MetricName: 'ExecutionsTimedOut' });
    expect(find('EscalatedToManager')).toMatchObject({
      Namespace: 'Redress',
      MetricName: 'Escalations',
      Dimensions: expect.arrayContaining([
        { Name: 'to', Value: 'manager' },
        { Name: 'service', Value: 'redress' },
      ]),
    });
    expect(JSON.stringify(find('DeadlinesBreached'))).toContain('"MetricName":"Breaches"');
    expect(find('ProvisionalDeadlines')).toMatchObject({
      Namespace: 'Redress',
      MetricName: 'ProvisionalDeadlines',
      Dimensions: [{ Name: 'service', Value: 'redress' }],
    });
    expect(find('ApiServerErrors')).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: '5XXError' });
    // (a labelled metric is rendered as a one-metric query)
    expect(JSON.stringify(find('ApiThrottled'))).toContain('{"MetricName":"ApiThrottled","Namespace":"Redress"}');
    expect(JSON.stringify(find('ApiClientRateLimited'))).toMatch(
      /"Name":"Rule","Value":"PerClientRateLimit".*"MetricName":"BlockedRequests","Namespace":"AWS\/WAFV2"/,
    );
    expect(find('MailBounceRate')).toMatchObject({
      Namespace: 'AWS/SES',
      MetricName: 'Reputation.BounceRate',
      Threshold: 0.05,
    });
    expect(find('MailComplaintRate')).toMatchObject({ Namespace: 'AWS/SES', MetricName: 'Reputation.ComplaintRate' });
    expect(JSON.stringify(find('MailBouncedOrComplained'))).toContain('"MetricName":"MailSuppressed"');
    for (const spec of FUNCTIONS) {
      const fnAlarm = JSON.stringify(find(`${spec.id}ErrorsOrThrottles`));
      expect(fnAlarm, spec.id).toContain('"MetricName":"Errors"');
      expect(fnAlarm, spec.id).toContain('"MetricName":"Throttles"');
    }
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.status = "429" }',
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'Redress', MetricName: 'ApiThrottled' })],
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org' });
    // No alarm email: the alarms and their topic still exist, with no subscription.
    defaultStack().template.resourceCountIs('AWS::SNS::Subscription', 0);
    defaultStack().template.resourceCountIs('AWS::SNS::Topic', 1);
  });

  it('draws the complaint desk dashboard from the desk metrics, the workflow, the API and every function', () => {
    const [, dashboard] = ofType('AWS::CloudWatch::Dashboard')[0]!;
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const metric of [
      'ComplaintsReceived',
      'Decisions',
      'Escalations',
      'Breaches',
      'ExecutionsFailed',
      'ExecutionsSucceeded',
      'ExecutionsTimedOut',
      '4XXError',
      '5XXError',
      'Latency',
      'Throttles',
      'Errors',
      'MailSuppressed',
    ]) {
      expect(body, metric).toContain(metric);
    }
    for (const spec of FUNCTIONS) expect(body, spec.id).toContain(functionIdOf(spec.id));
  });

  it('configures Powertools in every function: one service name, the Redress namespace', () => {
    for (const spec of FUNCTIONS) {
      expect(defaultStack().resources[functionIdOf(spec.id)]!.Properties.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'redress',
        POWERTOOLS_METRICS_NAMESPACE: 'Redress',
      });
    }
  });

  it('keeps execution data and request bodies out of the logs', () => {
    const { template } = defaultStack();
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ IncludeExecutionData: false, Level: 'ALL' }),
    });
    const [, stage] = ofType('AWS::ApiGateway::Stage')[0]!;
    for (const setting of stage.Properties.MethodSettings) expect(setting.DataTraceEnabled).toBe(false);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });
});

describe('deployment config', () => {
  const messageOf = (input: unknown): string => {
    try {
      parseDeploymentConfig(input);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidConfigError);
      return (error as Error).message;
    }
    throw new Error('expected the config to be rejected');
  };

  it('refuses a retention shorter than a year, naming the field', () => {
    expect(messageOf({ mailFrom: 'desk@example.org', desk: { ...DEFAULT_DESK_CONFIG, retentionDays: 100 } })).toMatch(
      /desk\.retentionDays: .*365/,
    );
  });

  it('refuses a sender that is not an email address, naming the field', () => {
    expect(messageOf({ mailFrom: 'not an address' })).toMatch(/^\s+- mailFrom: /m);
  });

  it('lists every bad field at once', () => {
    const message = messageOf({
      mailFrom: 'nope',
      publicBaseUrl: 'http://plain.example.org',
      allowedOrigins: ['ftp://x'],
      extra: 1,
    });
    for (const field of ['mailFrom', 'publicBaseUrl', 'allowedOrigins.0', '(root)'])
      expect(message).toContain(`- ${field}: `);
  });

  it('falls back to the defaults when there is no file, and accepts the checked-in example', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-config-'));
    try {
      expect(loadDeploymentConfig(join(dir, 'missing.json'))).toEqual({
        mailFrom: 'complaints@example.org',
        allowedOrigins: [],
        waf: { enabled: true, rateLimitPer5Minutes: 1000, filingsPer5Minutes: 20 },
        api: { rateLimitPerSecond: 50, burstLimit: 100, intakeRateLimitPerSecond: 10 },
        desk: DEFAULT_DESK_CONFIG,
      });
      const broken = join(dir, 'broken.json');
      writeFileSync(
        broken,
        JSON.stringify({ mailFrom: 'desk@example.org', desk: { ...DEFAULT_DESK_CONFIG, retentionDays: 100 } }),
      );
      expect(() => loadDeploymentConfig(broken)).toThrow(
        `Invalid Redress configuration in ${broken}:\n  - desk.retentionDays`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const example = loadDeploymentConfig(join(REPO_ROOT, 'redress.config.example.json'));
    expect(example.publicBaseUrl).toMatch(/^https:\/\//);
    expect(example.desk.retentionDays).toBeGreaterThanOrEqual(365);
    expect(example.mailDomain).toBe('example.org');
    expect(example.waf).toEqual({ enabled: true, rateLimitPer5Minutes: 1000, filingsPer5Minutes: 20 });
    expect(example.desk.evidence.maxBytes).toBeGreaterThan(0);
  });

  it("refuses a sender outside the mail domain, a WAF limit below WAF's minimum and an intake limit above the stage limit", () => {
    const message = messageOf({
      mailFrom: 'desk@other.example',
      mailDomain: 'example.org',
      waf: { enabled: true, rateLimitPer5Minutes: 5 },
      api: { rateLimitPerSecond: 5, intakeRateLimitPerSecond: 50 },
    });
    for (const field of ['mailFrom', 'waf.rateLimitPer5Minutes', 'api.intakeRateLimitPerSecond'])
      expect(message).toContain(`- ${field}: `);
    expect(parseDeploymentConfig({ mailFrom: 'desk@mail.example.org', mailDomain: 'Example.org' }).mailDomain).toBe(
      'example.org',
    );
  });
});

describe('several desks in one account', () => {
  /** Every literal a resource names itself by: its own top-level name properties, unique in an account and region. */
  function physicalNames(template: Template): string[] {
    const names: string[] = [];
    for (const resource of Object.values(template.toJSON().Resources as Record<string, Resource>))
      for (const [key, value] of Object.entries(resource.Properties ?? {}))
        if (
          typeof value === 'string' &&
          /Name$/.test(key) &&
          !/^(Stage|Model|Policy|Display|Operation|Metric)Name$/.test(key) &&
          resource.Type !== 'AWS::ApiGateway::Model' // named within its API
        )
          names.push(`${resource.Type} ${key} ${value}`);
    return names;
  }

  it('share no physical name when each has its own stage, and the default keeps the stack Redress', () => {
    const a = synthesize({ ...defaultDeploymentConfig(), stage: 'town' });
    const b = synthesize({ ...defaultDeploymentConfig(), stage: 'staging' });
    const namesA = physicalNames(a);
    expect(namesA.length).toBeGreaterThan(3);
    expect(namesA.some((n) => n.includes('Redress-town'))).toBe(true);
    const namesB = new Set(physicalNames(b));
    expect(namesA.filter((n) => namesB.has(n))).toEqual([]);
    // Their metrics count apart: each desk's functions and alarms name its own service.
    a.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'redress-town' }) },
    });
    a.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: Match.arrayWith([{ Name: 'service', Value: 'redress-town' }]),
    });
    expect(stackIdOf(defaultDeploymentConfig())).toBe('Redress');
    expect(() => parseDeploymentConfig({ mailFrom: 'a@example.cn', stage: 'Town!' })).toThrow(/stage: must be/);
  });
});

describe('API Gateway’s own answers', () => {
  it('are problem+json in both languages, like the handlers', () => {
    const { template } = defaultStack();
    for (const type of ['BAD_REQUEST_BODY', 'DEFAULT_4XX', 'DEFAULT_5XX']) {
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseParameters: { 'gatewayresponse.header.Content-Type': "'application/problem+json'" },
        ResponseTemplates: {
          'application/json': Match.stringLikeRegexp('urn:redress:problem:.*[\\u4e00-\\u9fff].* / '),
        },
      });
    }
  });

  it('every one: problem+json with a type and a title in both languages, Retry-After when it is overload', () => {
    const responses = ofType('AWS::ApiGateway::GatewayResponse').map(([, r]) => r.Properties);
    expect(responses.map((r) => r.ResponseType).sort()).toEqual(
      [
        'BAD_REQUEST_BODY',
        'DEFAULT_4XX',
        'DEFAULT_5XX',
        'INTEGRATION_FAILURE',
        'INTEGRATION_TIMEOUT',
        'REQUEST_TOO_LARGE',
        'THROTTLED',
      ].sort(),
    );
    for (const r of responses) {
      expect(r.ResponseParameters['gatewayresponse.header.Content-Type'], r.ResponseType).toBe(
        "'application/problem+json'",
      );
      // One template: a text/html one would not be chosen for a browser (docs/api.md).
      expect(Object.keys(r.ResponseTemplates), r.ResponseType).toEqual(['application/json']);
      const body = JSON.parse(
        (r.ResponseTemplates['application/json'] as string)
          .replace('$context.error.messageString', '"Missing Authentication Token"')
          .replace('$context.error.responseType', 'MISSING_AUTHENTICATION_TOKEN'),
      );
      expect(body.type, r.ResponseType).toMatch(/^urn:redress:problem:/);
      expect(body.title, r.ResponseType).toMatch(/[\u4e00-\u9fff].* \/ [A-Z]/);
      if (r.StatusCode === '429' || r.StatusCode === '503')
        expect(r.ResponseParameters['gatewayresponse.header.Retry-After'], r.ResponseType).toMatch(/^'\d+'$/);
    }
    expect(responses.find((r) => r.ResponseType === 'REQUEST_TOO_LARGE')).toMatchObject({ StatusCode: '413' });
  });
});
