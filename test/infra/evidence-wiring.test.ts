import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/catalog';
import { defaultDeploymentConfig, REPO_ROOT } from '../../infra/deploy-config';
import { RedressStack } from '../../infra/redress-stack';
import { withNestedStacks } from '../support/synth';

function synthesize(): Record<string, { Type: string; Properties: Record<string, any> }> {
  const { context } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return withNestedStacks(new RedressStack(app, 'Redress', { config: defaultDeploymentConfig() })).toJSON().Resources;
}

describe('evidence wiring', () => {
  const resources = synthesize();
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const [bucketId, bucket] = ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('EvidenceBucket'))!;
  const checkers = FUNCTIONS.filter((spec) => spec.onEvidenceUploaded);

  it('sends the evidence bucket’s Object Created events under complaints/ to the evidence check', () => {
    expect(checkers.map((spec) => spec.id)).toEqual(['RecordEvidence']);
    expect(bucket.Properties.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    const rules = ofType('AWS::Events::Rule').filter(
      ([, rule]) => rule.Properties.EventPattern?.source?.[0] === 'aws.s3',
    );
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0]!;
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [{ Ref: bucketId }] }, object: { key: [{ prefix: 'complaints/' }] } },
    });
    expect(JSON.stringify(rule.Properties.Targets)).toMatch(/RecordEvidenceFunction/);
    expect(rule.Properties.Targets[0].RetryPolicy).toMatchObject({ MaximumRetryAttempts: 8 });
  });

  it('lets the evidence check read and delete uploads (by version) and write recorded and quarantine copies, nothing more', () => {
    const policies = ofType('AWS::IAM::Policy').filter(([id]) => id.startsWith('RecordEvidenceRole'));
    const statements = policies
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Array<Record<string, any>>)
      .filter((s) => JSON.stringify(s.Action).includes('s3:'));
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect([...bySid.EvidenceUploadsReview.Action].sort()).toEqual([
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:GetObject',
      's3:GetObjectVersion',
    ]);
    expect(JSON.stringify(bySid.EvidenceUploadsReview.Resource)).toContain('/complaints/*');
    expect(bySid.EvidenceQuarantine.Action).toBe('s3:PutObject');
    expect(JSON.stringify(bySid.EvidenceQuarantine.Resource)).toContain('/quarantine/*');
    expect(JSON.stringify(bySid.EvidenceQuarantine.Resource)).toContain('/recorded/*');
    // A copy it does not keep is deleted again; recorded evidence is never read back.
    expect(bySid.EvidenceOwnCopies.Action).toBe('s3:DeleteObject');
    expect(JSON.stringify(bySid.EvidenceOwnCopies.Resource)).toContain('/recorded/*');
    expect(Object.keys(bySid).sort()).toEqual(['EvidenceOwnCopies', 'EvidenceQuarantine', 'EvidenceUploadsReview']);
  });
});
