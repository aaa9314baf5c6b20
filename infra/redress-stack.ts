import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { metricServiceOf } from '../functions/lib/metric-names';
import { PublicApi } from './constructs/api';
import { complaintsTable, evidenceBuckets, linkSigningKey } from './constructs/data';
import { DeskMonitoring } from './constructs/desk-monitoring';
import { catalogFunctions } from './constructs/functions';
import { inboundMail, type MailSending, mailSending } from './constructs/mail';
import type { RedressFunction } from './constructs/redress-function';
import { complaintWorkflow, workflowName } from './constructs/workflow';
import type { DeploymentConfig } from './deploy-config';

export { API_STAGE } from './constructs/api';
export { TRACE_SAMPLED_SHARE } from './constructs/workflow';

export interface RedressStackProps extends StackProps {
  config: DeploymentConfig;
}

/**
 * Redress in one stack: the complaints table, the evidence bucket, the mail sender, one Lambda
 * per catalog entry, the complaint-handling workflow and the public REST API. Only wiring here;
 * each part is in infra/constructs/. The parts create their resources in this stack's scope, in
 * this order, so no deployed resource's logical ID changes (a changed one is a replaced table).
 */
export class RedressStack extends Stack {
  readonly functions: ReadonlyMap<string, RedressFunction>;

  constructor(scope: Construct, id: string, props: RedressStackProps) {
    super(scope, id, props);
    const { config } = props;
    const table = complaintsTable(this);
    // The API comes first: its id gives the default public URL and the upload origin.
    const publicApi = new PublicApi(this, config);
    const { api, publicBaseUrl } = publicApi;
    const { evidenceBucket } = evidenceBuckets(this, config, publicApi.pageOrigin);
    const mail = mailSending(this, config);
    const workflow = workflowName(this);
    const resources = { config, table, evidenceBucket, mail, workflow, publicBaseUrl };
    const functions = catalogFunctions(this, { ...resources, linkSigningKey: linkSigningKey(this) });
    this.functions = functions;
    inboundMail(this, config, functions, evidenceBucket);
    const { stateMachine, workflowLogs } = complaintWorkflow(this, {
      name: workflow,
      functions,
      restApiName: api.restApiName,
    });
    publicApi.addRoutes(functions);
    const waf = publicApi.addFirewall(config);

    // ---- Alarms (to the alarm email) and the complaint desk's dashboard
    const monitoring = new DeskMonitoring(this, 'Monitoring', {
      metricService: metricServiceOf(config.stage),
      functions,
      stateMachine,
      api,
      apiAccessLogs: publicApi.accessLogs,
      ...(config.alarmEmail ? { alarmEmail: config.alarmEmail } : {}),
      ...(waf ? { waf } : {}),
    });

    addOutputs(this, {
      config,
      api,
      publicBaseUrl,
      table,
      evidenceBucket,
      stateMachine,
      workflowLogs,
      mail,
      monitoring,
    });
  }
}

interface StackOutputs {
  config: DeploymentConfig;
  api: apigw.RestApi;
  publicBaseUrl: string;
  table: dynamodb.TableV2;
  evidenceBucket: s3.Bucket;
  stateMachine: sfn.StateMachine;
  workflowLogs: logs.LogGroup;
  mail: MailSending;
  monitoring: DeskMonitoring;
}

function addOutputs(stack: Stack, outputs: StackOutputs): void {
  const { api, table, evidenceBucket, stateMachine, monitoring } = outputs;
  new CfnOutput(stack, 'ApiUrl', { value: api.url, description: 'Base URL of the public API (stage prod)' });
  new CfnOutput(stack, 'PublicBaseUrl', { value: outputs.publicBaseUrl, description: 'Base of the links in emails' });
  new CfnOutput(stack, 'TableName', { value: table.tableName });
  new CfnOutput(stack, 'BucketName', { value: evidenceBucket.bucketName, description: 'Evidence bucket' });
  new CfnOutput(stack, 'StateMachineArn', { value: stateMachine.stateMachineArn });
  new CfnOutput(stack, 'AlarmTopicArn', {
    value: monitoring.topic.topicArn,
    description: 'Every alarm publishes here (the alarm email is subscribed)',
  });
  new CfnOutput(stack, 'DashboardName', { value: monitoring.dashboard.dashboardName });
  new CfnOutput(stack, 'WorkflowLogGroup', {
    value: outputs.workflowLogs.logGroupName,
    description: 'Step Functions execution history (no execution data)',
  });
  if (outputs.config.mailDomain) {
    // Publish these three CNAMEs in the domain's DNS; SES verifies the domain once they resolve.
    for (const [index, record] of outputs.mail.mailIdentity.dkimRecords.entries()) {
      new CfnOutput(stack, `DkimRecord${index + 1}`, { value: Fn.join(' ', [record.name, 'CNAME', record.value]) });
    }
  }
}
