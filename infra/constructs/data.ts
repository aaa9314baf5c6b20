import { Duration, RemovalPolicy, type Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { type IndexName, projectionOf, TABLE_INDEXES, TABLE_KEYS, TTL_ATTRIBUTE } from '../../functions/store/schema';
import type { DeploymentConfig } from '../deploy-config';

/*
 * What Redress keeps: the complaints table, the evidence bucket (and the bucket of its access
 * logs), and the key that signs tracking links. Every resource here is created in the stack's own
 * scope, as it was when the stack built them inline: a construct of their own would change their
 * logical IDs, and CloudFormation replaces (deletes) a resource whose logical ID changes.
 */

/** The complaints table, built from functions/store/schema.ts. */
export function complaintsTable(stack: Stack): dynamodb.TableV2 {
  const string = dynamodb.AttributeType.STRING;
  return new dynamodb.TableV2(stack, 'ComplaintsTable', {
    partitionKey: { name: TABLE_KEYS.partitionKey, type: string },
    sortKey: { name: TABLE_KEYS.sortKey, type: string },
    billing: dynamodb.Billing.onDemand(),
    globalSecondaryIndexes: Object.entries(TABLE_INDEXES).map(([indexName, index]) => ({
      indexName,
      partitionKey: { name: index.partitionKey, type: string },
      sortKey: { name: index.sortKey, type: string },
      // Each index carries only what its reader reads (functions/store/schema.ts).
      ...(projectionOf(indexName as IndexName).ProjectionType === 'KEYS_ONLY'
        ? { projectionType: dynamodb.ProjectionType.KEYS_ONLY }
        : {
            projectionType: dynamodb.ProjectionType.INCLUDE,
            nonKeyAttributes: projectionOf(indexName as IndexName).NonKeyAttributes,
          }),
    })),
    timeToLiveAttribute: TTL_ATTRIBUTE,
    // Both images: ExpireEvidence reads a removed record's old image for where the case's other
    // items are (its number, the complainant's pointer on the matter); AggregateAnalytics reads
    // each added history event's new image. Each function's filter takes only its records.
    dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/** The evidence bucket, and the bucket that receives its access logs. */
export function evidenceBuckets(
  stack: Stack,
  config: DeploymentConfig,
  pageOrigin: string,
): { accessLogsBucket: s3.Bucket; evidenceBucket: s3.Bucket } {
  const accessLogsBucket = new s3.Bucket(stack, 'AccessLogsBucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    // Server access log delivery supports SSE-S3 only. (No access logs of its own: cdk-nag's S1
    // exempts a bucket that is another bucket's log destination.)
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    lifecycleRules: [{ expiration: Duration.days(config.desk.retentionDays + 30) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const evidenceBucket = new s3.Bucket(stack, 'EvidenceBucket', {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: accessLogsBucket,
    serverAccessLogsPrefix: 'evidence/',
    // Browsers upload with a presigned POST and view with a presigned GET, from Redress's own
    // pages and any origin the operator lists.
    cors: [
      {
        allowedMethods: [s3.HttpMethods.POST, s3.HttpMethods.GET],
        allowedOrigins: [pageOrigin, ...config.allowedOrigins.filter((origin) => origin !== pageOrigin)],
        allowedHeaders: ['*'],
        exposedHeaders: ['ETag'],
        maxAge: 3000,
      },
    ],
    lifecycleRules: evidenceLifecycle(config),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // Object Created events go to EventBridge, where the evidence check subscribes (triggers.ts).
  (evidenceBucket.node.defaultChild as s3.CfnBucket).addPropertyOverride(
    'NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled',
    true,
  );
  return { accessLogsBucket, evidenceBucket };
}

/**
 * Evidence is deleted with its record (ExpireEvidence, on the record's TTL expiry, at least
 * retentionDays after the case closed). S3 counts from upload, not from closing, so the first rule
 * is only the backstop for anything that was missed, a year later still.
 */
function evidenceLifecycle(config: DeploymentConfig): s3.LifecycleRule[] {
  return [
    {
      expiration: Duration.days(config.desk.retentionDays + 365),
      noncurrentVersionExpiration: Duration.days(30),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    },
    // Raw mail that landed on no case (ignored, spam, refused): what landed moved to its
    // case's prefix (mail/complaints/) and goes with the case.
    {
      id: 'UnlandedInboundMail',
      prefix: 'inbound/',
      expiration: Duration.days(config.desk.inbound.unlandedRetentionDays),
      noncurrentVersionExpiration: Duration.days(1),
    },
    // Case archives (store/archive-objects.ts) are fetched within minutes of being made.
    {
      id: 'CaseArchives',
      prefix: 'exports/',
      expiration: Duration.days(1),
      noncurrentVersionExpiration: Duration.days(1),
    },
  ];
}

/**
 * The key that signs tracking links: generated in Secrets Manager at deploy time, never in the
 * template; functions read it once per container.
 */
export function linkSigningKey(stack: Stack): secretsmanager.Secret {
  const key = new secretsmanager.Secret(stack, 'LinkSigningKey', {
    description: 'Redress: HMAC key of complaint tracking links',
    generateSecretString: { passwordLength: 64, excludePunctuation: true },
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(key).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'Rotating this key revokes every tracking link already emailed to complainants; it is rotated by hand when compromised (docs/operating.md runbook), not on a schedule.',
  });
  return key;
}
