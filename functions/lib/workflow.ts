import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { ComplaintRecord } from '../domain/complaint';
import { sfn } from './aws-clients';
import { markWorkflowStarted } from './complaint-store';
import { log } from './log';
import { settings } from './settings';

/** What the workflow starts with: only the id; each step reads the record it needs. */
export interface WorkflowInput {
  complaintId: string;
}

/**
 * Starts a complaint's workflow and clears its pending marker. The execution name is the
 * complaint id, so a repeated start (a retry, the reconciler) finds the running one instead of
 * starting a second.
 */
export async function startComplaintWorkflow(complaint: Pick<ComplaintRecord, 'id'>): Promise<string> {
  const { stateMachineArn } = settings();
  const input: WorkflowInput = { complaintId: complaint.id };
  let executionArn: string;
  try {
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: complaint.id, input: JSON.stringify(input) }));
    executionArn = started.executionArn!;
  } catch (error) {
    if (!(error instanceof ExecutionAlreadyExists) && (error as { name?: string }).name !== 'ExecutionAlreadyExists') throw error;
    executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${complaint.id}`;
  }
  await markWorkflowStarted(complaint.id, new Date().toISOString(), executionArn);
  log.info('workflow started', { complaintId: complaint.id });
  return executionArn;
}
