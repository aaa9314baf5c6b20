import { log } from '../../lib/log';
import { sendTaskOutcome } from './workflow';
import type { TaskLinkRecord } from '../../store/task-links';
import type { StepTimer } from '../../domain/workflow-contract';

/**
 * Tells the workflow that the task's decision is recorded: the next step's timer (its human task
 * opens next), or that the case closed. Never fails the decision: a token Step Functions refuses
 * (the task's deadline passed meanwhile) or a send that fails leaves the workflow to find the
 * case moved on, at the deadline or sooner through the stalled-case sweep (sweep-stalled-cases.ts, `decision-unheard`).
 */
export async function passOnDecision(
  link: Pick<TaskLinkRecord, 'complaintId' | 'step' | 'taskToken'>,
  timer: StepTimer | undefined,
): Promise<boolean> {
  try {
    const heard = await sendTaskOutcome(link.taskToken, timer);
    if (!heard)
      log.info('task token refused: the workflow moved on and finds the decision recorded', {
        complaintId: link.complaintId,
        step: link.step,
      });
    return heard;
  } catch (error) {
    log.warn('decision recorded, workflow not told yet', { complaintId: link.complaintId, step: link.step, error });
    return false;
  }
}
