import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG, InvalidConfigError } from '../../functions/domain/config';
import { defaultDeploymentConfig, parseDeploymentConfig, REPO_ROOT } from '../../infra/deploy-config';
import { RedressStack } from '../../infra/redress-stack';
import { withNestedStacks } from '../support/synth';

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };

function synthesize(inbound: Record<string, unknown>): Record<string, Resource> {
  const { context } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const config = parseDeploymentConfig({
    mailFrom: 'complaints@example.org',
    desk: { ...DEFAULT_DESK_CONFIG, inbound: { ...DEFAULT_DESK_CONFIG.inbound, ...inbound } },
  });
  // Throws «ValidationFailed» on any unacknowledged cdk-nag finding.
  return withNestedStacks(new RedressStack(app, 'Redress', { config })).toJSON().Resources as Record<string, Resource>;
}

describe('email in wiring (desk.inbound)', () => {
  const resources = synthesize({ enabled: true, address: 'complaints@in.example.org' });
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  it('passes cdk-nag with receiving on, and adds nothing SES-receiving when it is off', () => {
    expect(ofType('AWS::SES::ReceiptRuleSet')).toHaveLength(1);
    const off = synthesize({ enabled: false });
    expect(Object.values(off).filter((r) => r.Type.startsWith('AWS::SES::Receipt'))).toHaveLength(0);
  });

  it('receives for the inbound domain with spam and virus scanning: raw message to S3 under inbound/, then the receiving function with the verdicts', () => {
    const [, rule] = ofType('AWS::SES::ReceiptRule')[0]!;
    expect(rule.Properties.Rule.Recipients).toEqual(['in.example.org']);
    expect(rule.Properties.Rule.ScanEnabled).toBe(true);
    const [s3Action, lambdaAction] = rule.Properties.Rule.Actions;
    expect(s3Action.S3Action.ObjectKeyPrefix).toBe('inbound/');
    expect(JSON.stringify(s3Action.S3Action.BucketName)).toMatch(/EvidenceBucket/);
    expect(lambdaAction.LambdaAction.InvocationType).toBe('Event');
    expect(JSON.stringify(lambdaAction.LambdaAction.FunctionArn)).toMatch(/ReceiveMail/);
  });

  it('activates the rule set with a custom resource (CloudFormation cannot)', () => {
    const custom = ofType('Custom::AWS').map(([, r]) => JSON.stringify(r.Properties.Create ?? ''));
    expect(custom.some((create) => create.includes('SetActiveReceiptRuleSet'))).toBe(true);
  });

  it('lets the receiving function read raw messages under inbound/ only', () => {
    const statements = ofType('AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('ReceiveMailRole'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
    const read = statements.find((s) => s.Sid === 'InboundMailRead')!;
    expect(read.Action).toBe('s3:GetObject');
    expect(JSON.stringify(read.Resource)).toContain('/inbound/*');
  });

  it('deletes raw mail that landed nowhere after desk.inbound.unlandedRetentionDays (a lifecycle rule on inbound/), and lets landed mail move to its case and go with it', () => {
    const rulesOf = (template: Record<string, Resource>) =>
      Object.entries(template)
        .filter(([id, r]) => r.Type === 'AWS::S3::Bucket' && id.startsWith('EvidenceBucket'))
        .flatMap(([, r]) => r.Properties.LifecycleConfiguration.Rules as Array<Record<string, any>>);
    const unlanded = (template: Record<string, Resource>) => rulesOf(template).find((r) => r.Prefix === 'inbound/');
    expect(unlanded(resources)).toMatchObject({
      Status: 'Enabled',
      ExpirationInDays: 30,
      NoncurrentVersionExpiration: { NoncurrentDays: 1 },
    });
    expect(unlanded(synthesize({ enabled: true, unlandedRetentionDays: 7 }))).toMatchObject({ ExpirationInDays: 7 });

    const statementsOf = (role: string) =>
      ofType('AWS::IAM::Policy')
        .filter(([id]) => id.startsWith(role))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<Record<string, any>>);
    const receiver = statementsOf('ReceiveMailRole');
    expect(JSON.stringify(receiver.find((s) => s.Sid === 'InboundMailMove'))).toMatch(/s3:DeleteObject.*\/inbound\/\*/);
    // The version copied is deleted by its id: no non-current copy of the raw mail outside the case's purge.
    expect(receiver.find((s) => s.Sid === 'InboundMailMove')?.Action).toEqual([
      's3:DeleteObject',
      's3:DeleteObjectVersion',
    ]);
    expect(JSON.stringify(receiver.find((s) => s.Sid === 'LandedMailWrite'))).toMatch(
      /s3:PutObject.*\/mail\/complaints\/\*/,
    );
    const purge = statementsOf('ExpireEvidenceRole').find((s) => s.Sid === 'EvidenceDelete');
    expect(JSON.stringify(purge)).toContain('/mail/complaints/*');

    expect(() =>
      parseDeploymentConfig({
        mailFrom: 'complaints@example.org',
        desk: { ...DEFAULT_DESK_CONFIG, inbound: { unlandedRetentionDays: 0 } },
      }),
    ).toThrow(/desk\.inbound\.unlandedRetentionDays/);
  });

  it('outputs the MX record an operator must publish', () => {
    const { context } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
      context: Record<string, unknown>;
    };
    const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
    const outputs = withNestedStacks(
      new RedressStack(app, 'Redress', {
        config: {
          ...defaultDeploymentConfig(),
          desk: { ...DEFAULT_DESK_CONFIG, inbound: { ...DEFAULT_DESK_CONFIG.inbound, enabled: true } },
        },
      }),
    ).toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs.InboundMailMxRecord?.Value)).toMatch(/in\.example\.org MX 10 inbound-smtp\./);
  });

  it('validates the inbound config with one line per bad field', () => {
    const problems = (() => {
      try {
        parseDeploymentConfig({
          mailFrom: 'complaints@example.org',
          desk: {
            ...DEFAULT_DESK_CONFIG,
            inbound: { address: 'not-an-address', defaultCategory: 'nope', maxBytes: 10 },
          },
        });
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidConfigError);
        return (error as InvalidConfigError).problems;
      }
      return [];
    })();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^desk\.inbound\.address: must be an email address/),
        expect.stringMatching(/^desk\.inbound\.maxBytes: /),
      ]),
    );
    expect(() =>
      parseDeploymentConfig({
        mailFrom: 'complaints@example.org',
        desk: { ...DEFAULT_DESK_CONFIG, inbound: { defaultCategory: 'nope' } },
      }),
    ).toThrow(/desk\.inbound\.defaultCategory: no category with id "nope"/);
  });
});
