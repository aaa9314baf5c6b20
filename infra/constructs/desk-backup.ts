import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface DeskBackupProps {
  table: dynamodb.ITableV2;
  /** Versioned buckets (AWS Backup for S3 needs versioning). */
  buckets: s3.IBucket[];
  /** How long each daily recovery point is kept. */
  retentionDays: number;
}

/**
 * A daily AWS Backup of the complaints table and the evidence bucket into a vault of the desk's
 * own, each recovery point kept `retentionDays`: a copy that outlives a deleted table or bucket
 * and a bad week (PITR keeps 35 days of the table alone, and goes with the table). What it costs:
 * docs/operating.md, "Backups".
 */
export class DeskBackup extends Construct {
  readonly plan: backup.BackupPlan;

  constructor(scope: Construct, id: string, props: DeskBackupProps) {
    super(scope, id);
    const { stackName } = Stack.of(this);
    const vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: `${stackName}-backups`,
      // The recovery points are the point: the vault stays if the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: `${stackName}-daily`,
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          // 03:00 UTC, off the desk's busy hours in most zones; Backup starts within the hour.
          scheduleExpression: events.Schedule.cron({ minute: '0', hour: '3' }),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(8),
          deleteAfter: Duration.days(props.retentionDays),
        }),
      ],
    });
    // AWS Backup's own policies: back up and restore, and for S3 the two of its own.
    const policies = [
      'service-role/AWSBackupServiceRolePolicyForBackup',
      'service-role/AWSBackupServiceRolePolicyForRestores',
      'AWSBackupServiceRolePolicyForS3Backup',
      'AWSBackupServiceRolePolicyForS3Restore',
    ];
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      managedPolicies: policies.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    for (const name of policies)
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`,
        reason:
          'AWS Backup’s own service-role policies are what AWS Backup documents for the role of a selection (S3 recovery points need the S3 two); they follow the service’s needs',
      });
    this.plan.addSelection('TableAndBuckets', {
      role,
      resources: [
        backup.BackupResource.fromArn(props.table.tableArn),
        ...props.buckets.map((bucket) => backup.BackupResource.fromArn(bucket.bucketArn)),
      ],
      disableDefaultBackupPolicy: true,
    });
    new CfnOutput(this, 'VaultName', {
      value: vault.backupVaultName,
      description: `Daily recovery points of the table and evidence bucket, kept ${props.retentionDays} days`,
    }).overrideLogicalId('BackupVaultName');
  }
}
