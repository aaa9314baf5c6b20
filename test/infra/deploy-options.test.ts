import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, NestedStack, type Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { parseDeploymentConfig, REPO_ROOT, stackIdOf, type DeploymentConfig } from '../../infra/deploy-config';
import { RedressStack } from '../../infra/redress-stack';
import { deployedTemplates, withNestedStacks } from '../support/synth';

/** The app as `cdk synth` builds it (cdk.json's context, the nag gate), minus bundling: the template and the stacks. */
function synthesizeStacks(config: DeploymentConfig): { template: Template; stacks: Stack[] } {
  const { context } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // Throws «ValidationFailed» on any unacknowledged cdk-nag finding.
  const stack = new RedressStack(app, stackIdOf(config), { config });
  const stacks = [stack, ...stack.node.findAll().filter((c): c is NestedStack => c instanceof NestedStack)];
  return { template: withNestedStacks(stack), stacks };
}

const synthesize = (config: DeploymentConfig): Template => synthesizeStacks(config).template;

const base = { mailFrom: 'complaints@example.org' };

/**
 * Every deploy option on at once (its own domain in a hosted zone, backups, a mail domain, mail
 * in, texts and webhooks): one synth that the options' checks below share, the resource budget
 * is counted on and cfn-lint reads, instead of one each.
 */
const everyOption = (() => {
  let built: ReturnType<typeof synthesizeStacks> | undefined;
  return () => {
    const example = JSON.parse(readFileSync(join(REPO_ROOT, 'redress.config.example.json'), 'utf8'));
    built ??= synthesizeStacks(
      parseDeploymentConfig({
        ...example,
        ...base,
        publicBaseUrl: undefined,
        stage: 'town',
        mailDomain: 'example.org',
        deploy: {
          domain: { name: 'complaints.example.org', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
          backup: { enabled: true, retentionDays: 90 },
        },
        desk: {
          ...example.desk,
          inbound: { enabled: true, address: 'reply@in.example.org' },
          sms: { enabled: true, originationIdentity: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/abc' },
          integrations: {
            webhooks: [{ id: 'forum', url: 'https://forum.example.org/hook', events: ['complaint.received'] }],
          },
        },
      }),
    );
    return built;
  };
})();

/** The desk with none of the options (one synth for the checks that they add nothing). */
const noOption = (() => {
  let built: Template | undefined;
  return () => (built ??= synthesize(parseDeploymentConfig(base)));
})();

/**
 * CloudFormation takes at most 500 resources in one stack (a hard limit). The desk keeps room under
 * it with every option on, so the next function or option does not break a deploy: the alarms and
 * dashboard and the functions' log groups live in nested stacks of their own.
 */
const BUDGET = 460;

const CFN_LINT = spawnSync('cfn-lint', ['--version']).status === 0;

/** cfn-lint's errors (E…) in a synthesized template; warnings are not errors. */
function cfnLintErrors(template: Template): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'redress-cfn-'));
  try {
    const files = deployedTemplates(template).map((json, n) => {
      const file = join(dir, `Redress-${n}.template.json`);
      writeFileSync(file, JSON.stringify(json));
      return file;
    });
    const run = spawnSync('cfn-lint', ['--format', 'parseable', ...files], { encoding: 'utf8' });
    return run.stdout.split('\n').filter((line) => /:E\d{4}:/.test(line));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('deploy.domain: the desk at its own domain', () => {
  it('requests a certificate validated in the hosted zone, maps the custom domain to the stage, writes the alias, and the links use it', () => {
    const config = parseDeploymentConfig({
      ...base,
      deploy: { domain: { name: 'complaints.example.org', hostedZoneId: 'Z0123456789ABCDEFGHIJ' } },
    });
    expect(config.publicBaseUrl).toBe('https://complaints.example.org');
    const { template } = everyOption();
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'complaints.example.org',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'complaints.example.org', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
    });
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'complaints.example.org',
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'complaints.example.org.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PUBLIC_BASE_URL: 'https://complaints.example.org' }) },
    });
    template.hasOutput('CustomDomainTarget', {});
  });

  it('without a hosted zone: a certificate the operator validates, no record, and the target to publish', () => {
    const template = synthesize(
      parseDeploymentConfig({ ...base, deploy: { domain: { name: 'complaints.example.org' } } }),
    );
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'complaints.example.org',
      ValidationMethod: 'DNS',
    });
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(JSON.stringify(template.toJSON().Outputs.CustomDomainTarget)).toMatch(
      /Publish: complaints\.example\.org CNAME/,
    );
  });

  it('takes the operator’s certificate instead of requesting one', () => {
    const certificateArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';
    const template = synthesize(
      parseDeploymentConfig({ ...base, deploy: { domain: { name: 'complaints.example.org', certificateArn } } }),
    );
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.hasResourceProperties('AWS::ApiGateway::DomainName', { RegionalCertificateArn: certificateArn });
  });

  it('refuses a publicBaseUrl that is not the domain', () => {
    expect(() =>
      parseDeploymentConfig({
        ...base,
        publicBaseUrl: 'https://elsewhere.example.org',
        deploy: { domain: { name: 'complaints.example.org' } },
      }),
    ).toThrow(/publicBaseUrl: must be https:\/\/complaints\.example\.org \(deploy\.domain\)/);
  });

  it('adds nothing without it', () => {
    const template = noOption();
    template.resourceCountIs('AWS::ApiGateway::DomainName', 0);
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::Backup::BackupPlan', 0);
  });
});

describe('deploy.backup: a daily AWS Backup plan', () => {
  it('backs up the table and the evidence bucket daily into the desk’s own vault, kept as configured', () => {
    const { template } = everyOption();
    template.hasResourceProperties('AWS::Backup::BackupVault', { BackupVaultName: 'Redress-town-backups' });
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanName: 'Redress-town-daily',
        BackupPlanRule: [
          Match.objectLike({
            RuleName: 'Daily',
            ScheduleExpression: 'cron(0 3 * * ? *)',
            Lifecycle: { DeleteAfterDays: 90 },
          }),
        ],
      },
    });
    const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;
    const [selection] = Object.values(resources).filter((r) => r.Type === 'AWS::Backup::BackupSelection');
    const selected = JSON.stringify(selection!.Properties.BackupSelection.Resources);
    expect(selected).toMatch(/ComplaintsTable/);
    expect(selected).toMatch(/EvidenceBucket/);
    const role = JSON.stringify(
      template.findResources('AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: Match.objectLike({
            Statement: [Match.objectLike({ Principal: { Service: 'backup.amazonaws.com' } })],
          }),
        },
      }),
    );
    expect(role).toMatch(/AWSBackupServiceRolePolicyForS3Backup/);
    expect(role).toMatch(/AWSBackupServiceRolePolicyForS3Restore/);
  });

  it('keeps 35 days unless told otherwise', () => {
    expect(parseDeploymentConfig({ ...base, deploy: { backup: { enabled: true } } }).deploy?.backup).toEqual({
      enabled: true,
      retentionDays: 35,
    });
  });
});

describe('mailDomain: mail that lands', () => {
  it('verifies the domain with Easy DKIM and a custom MAIL FROM domain, and prints every DNS record to publish', () => {
    const { template } = everyOption();
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'example.org',
      DkimAttributes: { SigningEnabled: true },
      MailFromAttributes: { MailFromDomain: 'bounce.example.org' },
    });
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const id of [
      'DkimRecord1',
      'DkimRecord2',
      'DkimRecord3',
      'MailFromMxRecord',
      'MailFromSpfRecord',
      'DmarcRecord',
    ])
      expect(outputs, id).toHaveProperty(id);
    expect(JSON.stringify(outputs.MailFromMxRecord!.Value)).toMatch(/bounce\.example\.org MX 10 feedback-smtp\./);
    expect(outputs.MailFromSpfRecord!.Value).toBe('bounce.example.org TXT "v=spf1 include:amazonses.com ~all"');
    expect(outputs.DmarcRecord!.Value).toMatch(/^_dmarc\.example\.org TXT "v=DMARC1; p=none/);
  });

  it('with one address only: no MAIL FROM domain and no records to publish', () => {
    const template = noOption();
    const outputs = template.toJSON().Outputs as Record<string, unknown>;
    expect(outputs).not.toHaveProperty('MailFromMxRecord');
    expect(JSON.stringify(template.findResources('AWS::SES::EmailIdentity'))).not.toMatch(/MailFromAttributes/);
  });
});

describe('every option on', () => {
  it(`keeps every stack at ${BUDGET} resources or fewer`, () => {
    const { stacks } = everyOption();
    const counts = Object.fromEntries(
      stacks.map((s) => [s.node.path, Object.keys(Template.fromStack(s).toJSON().Resources).length]),
    );
    for (const [path, count] of Object.entries(counts))
      expect(count, `${path} (${JSON.stringify(counts)})`).toBeLessThanOrEqual(BUDGET);
  });

  it.runIf(CFN_LINT)('passes cfn-lint with no error, every template of it', () => {
    expect(cfnLintErrors(everyOption().template)).toEqual([]);
  });
});
