import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, type Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as xray from 'aws-cdk-lib/aws-xray';
import { FUNCTIONS, type FunctionSpec, WORKFLOW_DEFINITION_FILE } from '../../functions/catalog';
import { REPO_ROOT } from '../deploy-config';
import { API_STAGE } from './api';
import type { RedressFunction, WorkflowRef } from './redress-function';

/** The share of requests beyond the first each second that X-Ray records (the stack's sampling rules). */
export const TRACE_SAMPLED_SHARE = 0.05;

/*
 * The complaint-handling workflow (workflows/complaint-handling.asl.json, as the local engine runs
 * it), its execution logs and the X-Ray sampling rules. Every resource is created in the stack's
 * own scope, as it was when the stack built them inline: a construct of its own would change their
 * logical IDs, and CloudFormation replaces a resource whose logical ID changes.
 */

export interface WorkflowName extends WorkflowRef {
  stateMachineName: string;
}

/**
 * The workflow's ARNs, known before the machine exists: every function's settings need them, and
 * the machine needs the step functions' ARNs, so a fixed name breaks the cycle.
 */
export function workflowName(stack: Stack): WorkflowName {
  const stateMachineName = `${stack.stackName}-ComplaintHandling`;
  const arn = (resource: string, resourceName: string) =>
    stack.formatArn({ service: 'states', resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  return {
    stateMachineName,
    stateMachineArn: arn('stateMachine', stateMachineName),
    executionsArn: arn('execution', `${stateMachineName}:*`),
  };
}

export interface ComplaintWorkflowProps {
  name: WorkflowName;
  functions: ReadonlyMap<string, RedressFunction>;
  /** The public API's name: its stage is the other place traces begin. */
  restApiName: string;
}

/** The state machine, invoking the catalog's step functions by their ARNs. */
export function complaintWorkflow(
  stack: Stack,
  { name, functions, restApiName }: ComplaintWorkflowProps,
): { stateMachine: sfn.StateMachine; workflowLogs: logs.LogGroup } {
  const stepFunctions = FUNCTIONS.filter(
    (spec): spec is FunctionSpec & { workflowArnPlaceholder: string } => !!spec.workflowArnPlaceholder,
  );
  checkWorkflowPlaceholders(stepFunctions.map((spec) => spec.workflowArnPlaceholder));
  const workflowLogs = new logs.LogGroup(stack, 'WorkflowLogs', { retention: logs.RetentionDays.ONE_YEAR });
  const stateMachine = new sfn.StateMachine(stack, 'ComplaintWorkflow', {
    stateMachineName: name.stateMachineName,
    stateMachineType: sfn.StateMachineType.STANDARD,
    comment: 'Redress: the handling of one complaint (execution name = complaint id)',
    definitionBody: sfn.DefinitionBody.fromFile(join(REPO_ROOT, WORKFLOW_DEFINITION_FILE)),
    definitionSubstitutions: Object.fromEntries(
      stepFunctions.map((spec) => [spec.workflowArnPlaceholder, functions.get(spec.id)!.functionArn]),
    ),
    // Task tokens travel in the step payloads; they stay out of the logs.
    logs: { destination: workflowLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
    tracingEnabled: true,
  });
  traceSampling(stack, restApiName, name.stateMachineName);
  stateMachine.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'InvokeWorkflowSteps',
      actions: ['lambda:InvokeFunction'],
      // Unqualified ARNs only: the definition invokes $LATEST, never a version or alias.
      resources: stepFunctions.map((spec) => functions.get(spec.id)!.functionArn),
    }),
  );
  Validations.of(stateMachine.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Only the statements CDK adds for execution logging (logs:CreateLogDelivery and related vended-log APIs) and X-Ray tracing use Resource "*"; neither API supports resource-level permissions.',
  });
  return { stateMachine, workflowLogs };
}

/**
 * Traces begin at the API stage and the workflow, and the functions they call follow their
 * decision (active tracing respects an upstream sampled flag): these rules keep a reservoir of one
 * trace a second and 5 % beyond it, instead of X-Ray's default for every request.
 */
function traceSampling(stack: Stack, restApiName: string, stateMachineName: string): void {
  for (const [name, serviceName, serviceType] of [
    ['api', `${restApiName}/${API_STAGE}`, 'AWS::ApiGateway::Stage'],
    ['workflow', stateMachineName, 'AWS::StepFunctions::StateMachine'],
  ] as const) {
    new xray.CfnSamplingRule(stack, `TraceSampling-${name}`, {
      samplingRule: {
        ruleName: `${stack.stackName.slice(0, 22)}-${name}`,
        priority: 100,
        fixedRate: TRACE_SAMPLED_SHARE,
        reservoirSize: 1,
        serviceName,
        serviceType,
        host: '*',
        httpMethod: '*',
        urlPath: '*',
        resourceArn: '*',
        version: 1,
      },
    });
  }
}

/**
 * Every ${Placeholder} in the definition must name a catalog function, or the deployment would
 * fail late in CloudFormation. (A catalog function the definition does not use yet is harmless.)
 */
function checkWorkflowPlaceholders(placeholders: string[]): void {
  const definition = readFileSync(join(REPO_ROOT, WORKFLOW_DEFINITION_FILE), 'utf8');
  const known = new Set(placeholders);
  const unknown = [...new Set([...definition.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]!))].filter(
    (name) => !known.has(name),
  );
  if (unknown.length) {
    throw new Error(
      `${WORKFLOW_DEFINITION_FILE} uses ${unknown.map((name) => `\${${name}}`).join(', ')}, which no function in functions/catalog.ts provides (workflowArnPlaceholder)`,
    );
  }
}
