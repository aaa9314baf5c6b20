/**
 * Every function Redress runs, and what triggers it. The CDK stack builds one Lambda per entry
 * and wires its triggers; the local stack serves the same routes and invokes the same modules.
 * One list, so the cloud and the laptop cannot drift apart.
 */

export type HttpMethod = 'GET' | 'POST';

export interface HttpRoute {
  method: HttpMethod;
  /** API Gateway resource path, with {placeholders}. */
  path: string;
}

export interface FunctionSpec {
  /** PascalCase CDK id; also the local name. */
  id: string;
  /** Module under functions/, without extension; it exports `handler`. */
  entry: string;
  /** What it is for, shown as the Lambda's description. */
  description: string;
  routes?: HttpRoute[];
  /** Placeholder in the workflow definition that receives this function's ARN. */
  workflowArnPlaceholder?: string;
  /** Runs on a schedule, every this many minutes. */
  everyMinutes?: number;
  /** Needs to start or signal executions. */
  usesWorkflow?: boolean;
  /** Sends email through SES. */
  sendsEmail?: boolean;
}

export const FUNCTIONS: readonly FunctionSpec[] = [
  {
    id: 'FileComplaint',
    entry: 'http/file-complaint',
    description: 'Takes a complaint, stores it with its number and starts its workflow',
    routes: [{ method: 'POST', path: '/complaints' }],
    usesWorkflow: true,
  },
  {
    id: 'TrackComplaint',
    entry: 'http/track-complaint',
    description: "Shows a complaint's status and history to the holder of its tracking link",
    routes: [{ method: 'GET', path: '/complaints/{id}' }],
  },
  {
    id: 'TaskPage',
    entry: 'http/task-page',
    description: 'Shows a task link (GET) and records the decision posted on it (POST)',
    routes: [
      { method: 'GET', path: '/tasks/{linkId}' },
      { method: 'POST', path: '/tasks/{linkId}' },
    ],
    usesWorkflow: true,
  },
  {
    id: 'AcknowledgeReceipt',
    entry: 'workflow/acknowledge-receipt',
    description: 'First workflow step: emails the complainant the number and tracking link',
    workflowArnPlaceholder: 'AcknowledgeReceiptFunctionArn',
    sendsEmail: true,
  },
  {
    id: 'OpenTask',
    entry: 'workflow/open-task',
    description: 'Opens a human task: stores a task link for its token and emails it to the assignee',
    workflowArnPlaceholder: 'OpenTaskFunctionArn',
    sendsEmail: true,
  },
  {
    id: 'RecordDecision',
    entry: 'workflow/record-decision',
    description: "Applies a task's decision to the complaint and tells the complainant",
    workflowArnPlaceholder: 'RecordDecisionFunctionArn',
    sendsEmail: true,
  },
  {
    id: 'RecordMissedDeadline',
    entry: 'workflow/record-missed-deadline',
    description: 'Records a missed deadline on the complaint',
    workflowArnPlaceholder: 'RecordMissedDeadlineFunctionArn',
  },
  {
    id: 'StartPendingWorkflows',
    entry: 'workflow/start-pending-workflows',
    description: 'Starts the workflow of any stored complaint whose start was lost',
    everyMinutes: 1,
    usesWorkflow: true,
  },
];

export const WORKFLOW_DEFINITION_FILE = 'workflows/complaint-handling.asl.json';
