import { Duration, type Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { FUNCTIONS, type FunctionSpec } from '../../functions/catalog';
import { metricServiceOf } from '../../functions/lib/metric-names';
import type { DeploymentConfig } from '../deploy-config';
import { onTableChange, onWeeklyReport } from './analytics';
import type { MailSending } from './mail';
import { type DeploymentValues, functionEnvironment, RedressFunction, type WorkflowRef } from './redress-function';
import { onEvidenceUploaded, onExecutionEnded, onMailEvent, onRecordExpired, onSchedule } from './triggers';

/** What the catalog's functions are given: the resources they use and the values their settings name. */
export interface CatalogFunctionsProps {
  config: DeploymentConfig;
  table: dynamodb.TableV2;
  evidenceBucket: s3.Bucket;
  linkSigningKey: secretsmanager.Secret;
  mail: MailSending;
  workflow: WorkflowRef;
  publicBaseUrl: string;
}

/**
 * One function per catalog entry (functions/catalog.ts), with the grants and the triggers its
 * entry names. Each function is a RedressFunction under the stack, and its triggers are created
 * right after it in the stack's scope, as they were when the stack built them inline: the logical
 * IDs, and so the deployed resources, stay what they are.
 */
export function catalogFunctions(stack: Stack, props: CatalogFunctionsProps): Map<string, RedressFunction> {
  const { config } = props;
  // Each function gets the variables its catalog entry needs; the desk config is bundled in.
  const deploymentValues: DeploymentValues = {
    LINK_SIGNING_SECRET_ARN: props.linkSigningKey.secretArn,
    TABLE_NAME: props.table.tableName,
    EVIDENCE_BUCKET: props.evidenceBucket.bucketName,
    STATE_MACHINE_ARN: props.workflow.stateMachineArn,
    PUBLIC_BASE_URL: props.publicBaseUrl,
    MAIL_FROM: config.mailFrom,
    SES_CONFIGURATION_SET: props.mail.configurationSet.configurationSetName,
  };
  const functions = new Map<string, RedressFunction>();
  for (const spec of FUNCTIONS) {
    const fn = new RedressFunction(stack, spec.id, {
      entry: spec.entry,
      description: spec.description,
      environment: functionEnvironment(spec, deploymentValues),
      desk: config.desk,
      ...(spec.timeoutSeconds ? { timeout: Duration.seconds(spec.timeoutSeconds) } : {}),
      behindApi: !!spec.routes?.length,
      metricService: metricServiceOf(config.stage),
    });
    functions.set(spec.id, fn);
    grantCatalogAccess(fn, spec, props);
    addTriggers(stack, fn, spec, props);
  }
  return functions;
}

/** The access the catalog entry names, and nothing more. */
function grantCatalogAccess(fn: RedressFunction, spec: FunctionSpec, props: CatalogFunctionsProps): void {
  const { table, evidenceBucket, mail } = props;
  if (spec.table) fn.grantComplaintsTable(table, spec.table, spec.tableBulk, spec.tableWrites);
  if (spec.signsLinks) props.linkSigningKey.grantRead(fn.function);
  if (spec.workflow?.length) fn.grantWorkflow(props.workflow, spec.workflow);
  if (spec.sendsEmail) fn.grantSendEmail(mail.mailIdentity.emailIdentityArn, mail.configurationSetArn);
  if (spec.evidence === 'upload' || spec.evidence === 'download') fn.grantEvidence(evidenceBucket, spec.evidence);
  if (spec.evidence === 'review') fn.grantEvidenceReview(evidenceBucket);
  if (spec.evidence === 'purge') fn.grantEvidencePurge(evidenceBucket);
  if (spec.archives) fn.grantArchives(evidenceBucket);
}

/** What runs the function besides its routes (which the API adds): streams, rules and schedules. */
function addTriggers(stack: Stack, fn: RedressFunction, spec: FunctionSpec, props: CatalogFunctionsProps): void {
  if (spec.onRecordExpired) onRecordExpired(fn, props.table);
  if (spec.onEvidenceUploaded) onEvidenceUploaded(stack, fn, props.evidenceBucket);
  if (spec.everyMinutes) onSchedule(stack, fn, spec.everyMinutes);
  if (spec.onTableChange) onTableChange(fn, props.table);
  if (spec.onWeeklyReport) onWeeklyReport(stack, fn, props.config.desk);
  if (spec.onMailEvent) onMailEvent(stack, fn, props.mail.configurationSet.configurationSetName);
  if (spec.onExecutionEnded) onExecutionEnded(stack, fn, props.workflow.stateMachineArn);
}
