import type { DeploymentConfig } from './deploy-config';

/**
 * The AWS regions (commercial and GovCloud partitions) where CloudFormation can create what a
 * Redress stack needs beyond the services every region has (Lambda, DynamoDB, S3, Step Functions,
 * API Gateway, WAF, EventBridge Scheduler): SES sending (its identity and configuration set), and
 * SES receiving (a receipt rule set) when email in is on. A table in the code, so `cdk synth`
 * stays offline; update it when SES reaches a new region.
 */
export const SES_SENDING_REGIONS = [
  'af-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-5',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-gov-east-1',
  'us-gov-west-1',
  'us-west-1',
  'us-west-2',
] as const;

export const SES_RECEIVING_REGIONS = [
  'af-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-south-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-south-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
] as const;

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The region a synth is for: the config's `region`, else the one the CDK CLI read from the operator's profile. */
export function targetRegion(config: Pick<DeploymentConfig, 'region'>, env = process.env): string | undefined {
  return config.region ?? env.CDK_DEFAULT_REGION ?? undefined;
}

/**
 * What this deployment needs that `region` does not have, one line each, with the regions that
 * have it: empty when it can deploy there. A deploy that would fail half-way stops at synth.
 */
export function regionProblems(config: Pick<DeploymentConfig, 'desk'>, region: string): string[] {
  if (!REGION_PATTERN.test(region)) return [`region: "${region}" is not an AWS region name such as us-east-1`];
  const problems: string[] = [];
  const needs: { what: string; regions: readonly string[]; why: string }[] = [
    { what: 'Amazon SES (sending)', regions: SES_SENDING_REGIONS, why: 'every email Redress sends' },
    ...(config.desk.inbound.enabled
      ? [{ what: 'SES email receiving', regions: SES_RECEIVING_REGIONS, why: 'desk.inbound.enabled' }]
      : []),
  ];
  for (const need of needs) {
    if (!need.regions.includes(region))
      problems.push(
        `${region} has no ${need.what} (needed for ${need.why}); deploy to one of: ${need.regions.join(', ')}`,
      );
  }
  return problems;
}
