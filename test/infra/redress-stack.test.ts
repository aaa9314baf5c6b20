import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/catalog';
import { DEFAULT_DESK_CONFIG, InvalidConfigError } from '../../functions/domain/config';
import { TABLE_INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '../../functions/lib/table-schema';
import { defaultDeploymentConfig, loadDeploymentConfig, parseDeploymentConfig, REPO_ROOT, type DeploymentConfig } from '../../infra/deploy-config';
import { RedressStack } from '../../infra/redress-stack';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };

/** The app as `cdk synth` builds it (cdk.json's feature flags, the nag gate), minus bundling. */
function synthesize(config: DeploymentConfig): Template {
  const { context } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new RedressStack(app, 'Redress', { config });
  // Throws «ValidationFailed» on any unacknowledged cdk-nag finding.
  return Template.fromStack(stack);
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
const ofType = (type: string) => Object.entries(defaultStack().resources).filter(([, resource]) => resource.Type === type);
const logicalIdOf = (type: string, pattern: RegExp) => {
  const ids = ofType(type).map(([id]) => id).filter((id) => pattern.test(id));
  expect(ids, `${type} matching ${pattern}`).toHaveLength(1);
  return ids[0]!;
};
const functionIdOf = (specId: string) => logicalIdOf('AWS::Lambda::Function', new RegExp(`^${specId}Function[0-9A-F]{8}$`));

describe('Redress stack', () => {
  it('keeps the link-signing key in Secrets Manager, generated at deploy, readable by the functions', () => {
    const secrets = ofType('AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(1);
    const [secretId, secret] = secrets[0]!;
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect(secret.Properties.SecretString).toBeUndefined();
    for (const [, fn] of ofType('AWS::Lambda::Function').filter(([id]) => FUNCTIONS.some((spec) => id.startsWith(`${spec.id}Function`)))) {
      expect(fn.Properties.Environment.Variables.LINK_SIGNING_SECRET_ARN).toEqual({ Ref: secretId });
      expect(JSON.stringify(fn.Properties.Environment.Variables)).not.toMatch(/LINK_SIGNING_KEY/);
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

  it('keeps complaints in a table built from table-schema.ts, recoverable and never deleted with the stack', () => {
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
          Projection: { ProjectionType: 'ALL' },
        })),
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        SSESpecification: Match.objectLike({ SSEEnabled: true }),
        Replicas: [Match.objectLike({ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      }),
    });
  });

  it('keeps evidence private, encrypted, versioned, access-logged and expiring after the retention period', () => {
    const { template } = defaultStack();
    const logsBucket = logicalIdOf('AWS::S3::Bucket', /^AccessLogsBucket/);
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        LoggingConfiguration: Match.objectLike({ DestinationBucketName: { Ref: logsBucket } }),
        LifecycleConfiguration: {
          Rules: [Match.objectLike({ ExpirationInDays: DEFAULT_DESK_CONFIG.retentionDays + 30, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' })],
        },
        CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ['POST', 'GET'] })] },
      }),
    });
    for (const [, bucket] of ofType('AWS::S3::Bucket')) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(bucket.Properties.BucketEncryption).toBeDefined();
    }
    // Both buckets refuse plain HTTP.
    const denyPlainHttp = Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(template.findResources('AWS::S3::BucketPolicy', { Properties: { PolicyDocument: { Statement: Match.arrayWith([denyPlainHttp]) } } })).toSatisfy(
      (found: object) => Object.keys(found).length === 2,
    );
  });

  it('runs the workflow as a Standard state machine that logs ALL events and traces', () => {
    const { template } = defaultStack();
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    const placeholders = FUNCTIONS.filter((spec) => spec.workflowArnPlaceholder);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
      TracingConfiguration: { Enabled: true },
      DefinitionSubstitutions: Object.fromEntries(placeholders.map((spec) => [spec.workflowArnPlaceholder, { 'Fn::GetAtt': [functionIdOf(spec.id), 'Arn'] }])),
    });
    // The machine may invoke exactly its step functions.
    const [, machine] = ofType('AWS::StepFunctions::StateMachine')[0]!;
    const roleId = machine.Properties.RoleArn['Fn::GetAtt'][0] as string;
    const invoke = ofType('AWS::IAM::Policy')
      .filter(([, policy]) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>)
      .filter((statement) => statement.Action === 'lambda:InvokeFunction');
    expect(invoke).toHaveLength(1);
    expect(invoke[0]!.Resource).toEqual(placeholders.map((spec) => ({ 'Fn::GetAtt': [functionIdOf(spec.id), 'Arn'] })));
  });

  it('gives every function the same ARN for the state machine that the machine gets as its name', () => {
    const [, machine] = ofType('AWS::StepFunctions::StateMachine')[0]!;
    const name = machine.Properties.StateMachineName as string;
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      const arn = fn.Properties.Environment.Variables.STATE_MACHINE_ARN;
      expect(JSON.stringify(arn)).toContain(`:stateMachine:${name}"`);
    }
  });

  it('builds one arm64 Node.js Lambda per catalog entry, traced, with the settings every handler reads', () => {
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
      expect(fn.Properties.Timeout).toBeLessThanOrEqual(29);
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
      const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
      for (const name of ['TABLE_NAME', 'EVIDENCE_BUCKET', 'STATE_MACHINE_ARN', 'PUBLIC_BASE_URL', 'MAIL_FROM', 'REDRESS_CONFIG']) expect(variables, name).toHaveProperty(name);
      expect(variables).not.toHaveProperty('REDRESS_CLOCK_SCALE');
      expect(JSON.parse(variables.REDRESS_CONFIG as string)).toEqual(DEFAULT_DESK_CONFIG);
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
      route: `${method.Properties.HttpMethod} ${pathOf(method.Properties.ResourceId.Ref)}`,
      integration: method.Properties.Integration,
    }));
    const routes = FUNCTIONS.flatMap((spec) => (spec.routes ?? []).map((route) => ({ spec, route: `${route.method} ${route.path}` })));
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
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, MetricsEnabled: true, LoggingLevel: 'ERROR', DataTraceEnabled: false })],
    });
    // Without the account's CloudWatch role a REST stage with logging does not deploy.
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
  });

  it('grants no wildcard actions, and "*" resources only to actions that cannot be scoped', () => {
    const statements = ofType('AWS::IAM::Policy').flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
    expect(statements.length).toBeGreaterThan(0);
    const unscopable = /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups))$/;
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
        expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toMatch(/:iam::aws:policy\/service-role\/AmazonAPIGatewayPushToCloudWatchLogs"\]\]\}\]$/);
        expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({ Principal: { Service: 'apigateway.amazonaws.com' } })]);
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
    custom.allResourcesProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ PUBLIC_BASE_URL: 'https://complaints.example.cn', MAIL_FROM: 'desk@example.cn' }) } });
    custom.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedOrigins: ['https://complaints.example.cn', 'https://www.example.cn'] })] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 760 })] },
    });
    custom.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.cn' });
    custom.resourceCountIs('AWS::CloudWatch::Alarm', FUNCTIONS.length + 2);
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
    expect(messageOf({ mailFrom: 'desk@example.org', desk: { ...DEFAULT_DESK_CONFIG, retentionDays: 100 } })).toMatch(/desk\.retentionDays: .*365/);
  });

  it('refuses a sender that is not an email address, naming the field', () => {
    expect(messageOf({ mailFrom: 'not an address' })).toMatch(/^\s+- mailFrom: /m);
  });

  it('lists every bad field at once', () => {
    const message = messageOf({ mailFrom: 'nope', publicBaseUrl: 'http://plain.example.org', allowedOrigins: ['ftp://x'], extra: 1 });
    for (const field of ['mailFrom', 'publicBaseUrl', 'allowedOrigins.0', '(root)']) expect(message).toContain(`- ${field}: `);
  });

  it('falls back to the defaults when there is no file, and accepts the checked-in example', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-config-'));
    try {
      expect(loadDeploymentConfig(join(dir, 'missing.json'))).toEqual({ mailFrom: 'complaints@example.org', allowedOrigins: [], desk: DEFAULT_DESK_CONFIG });
      const broken = join(dir, 'broken.json');
      writeFileSync(broken, JSON.stringify({ mailFrom: 'desk@example.org', desk: { ...DEFAULT_DESK_CONFIG, retentionDays: 100 } }));
      expect(() => loadDeploymentConfig(broken)).toThrow(`Invalid Redress configuration in ${broken}:\n  - desk.retentionDays`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const example = loadDeploymentConfig(join(REPO_ROOT, 'redress.config.example.json'));
    expect(example.publicBaseUrl).toMatch(/^https:\/\//);
    expect(example.desk.retentionDays).toBeGreaterThanOrEqual(365);
  });
});
