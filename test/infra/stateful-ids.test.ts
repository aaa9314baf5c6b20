import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { defaultDeploymentConfig, REPO_ROOT, stackIdOf } from '../../infra/deploy-config';
import { RedressStack } from '../../infra/redress-stack';
import { withNestedStacks } from '../support/synth';

/*
 * CloudFormation replaces a resource whose logical ID changes: for these, that deletes the
 * complaints, the evidence, the access logs or the key every tracking link was signed with (the
 * old ones are retained, orphaned, and the new ones start empty). A logical ID comes from the
 * construct path, so moving one of these under another construct fails here first.
 */
const DEPLOYED = {
  ComplaintsTableB8BEB8ED: 'AWS::DynamoDB::GlobalTable',
  EvidenceBucketFBA44255: 'AWS::S3::Bucket',
  AccessLogsBucket83982689: 'AWS::S3::Bucket',
  LinkSigningKeyD9BC1425: 'AWS::SecretsManager::Secret',
};

describe('stateful resources', () => {
  it('keep the logical IDs they are deployed under (a new one would replace the table, a bucket or the key)', () => {
    const { context } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
      context: Record<string, unknown>;
    };
    const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
    const config = defaultDeploymentConfig();
    const resources = withNestedStacks(new RedressStack(app, stackIdOf(config), { config })).toJSON()
      .Resources as Record<string, { Type: string }>;
    // Other resources of these types may come and go; these ones stay.
    const found = Object.fromEntries(Object.keys(DEPLOYED).map((id) => [id, resources[id]?.Type]));
    expect(found).toEqual(DEPLOYED);
  });
});
