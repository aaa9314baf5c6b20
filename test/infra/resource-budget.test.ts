import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, NestedStack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseDeploymentConfig, REPO_ROOT, stackIdOf } from '../../infra/deploy-config';
import { RedressStack } from '../../infra/redress-stack';

/**
 * CloudFormation takes at most 500 resources in one stack (a hard limit). The desk keeps room under
 * it with every option on, so the next function or option does not break a deploy: the alarms and
 * dashboard and the functions' log groups live in nested stacks of their own.
 */
const BUDGET = 460;

describe('resource budget', () => {
  it(`keeps every stack at ${BUDGET} resources or fewer with every option on`, () => {
    const example = JSON.parse(readFileSync(join(REPO_ROOT, 'redress.config.example.json'), 'utf8'));
    const config = parseDeploymentConfig({
      ...example,
      publicBaseUrl: undefined,
      deploy: {
        domain: { name: 'complaints.example.org', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
        backup: { enabled: true },
      },
      desk: {
        ...example.desk,
        inbound: { enabled: true, address: 'reply@in.example.org' },
        sms: { enabled: true, originationIdentity: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/abc' },
        integrations: {
          webhooks: [{ id: 'forum', url: 'https://forum.example.org/hook', events: ['complaint.received'] }],
        },
      },
    });
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new RedressStack(app, stackIdOf(config), { config });
    const stacks = [stack, ...stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack)];
    const counts = Object.fromEntries(
      stacks.map((s) => [s.node.path, Object.keys(Template.fromStack(s).toJSON().Resources).length]),
    );
    for (const [path, count] of Object.entries(counts))
      expect(count, `${path} (${JSON.stringify(counts)})`).toBeLessThanOrEqual(BUDGET);
  });
});
