import middy from '@middy/core';
import { assigneeFor } from '../domain/assignment';
import { teamFor } from '../domain/config';
import { hashSecret, newLinkId, newSecret } from '../domain/ids';
import { STEP_STATUS, type HumanStep } from '../domain/lifecycle';
import { getComplaint, insertTaskLink } from '../lib/complaint-store';
import { taskUrl } from '../lib/links';
import { log } from '../lib/log';
import { sendEmail } from '../lib/mailer';
import { settings } from '../lib/settings';
import { taskAssignedEmail } from '../pages/emails';

export interface OpenTaskInput {
  complaintId: string;
  step: HumanStep;
  taskToken: string;
  timeoutSeconds: number;
}

const STEP_DEADLINE: Record<HumanStep, 'acceptanceDeadlineAt'> = { acceptance: 'acceptanceDeadlineAt' };

/**
 * Invoked with a task token (waitForTaskToken): stores a task link that holds the token
 * server-side (the link id is stored only hashed), moves the complaint to the step and emails
 * the assignee. The workflow then waits until the link's form is posted or the deadline passes.
 */
async function openTask(input: OpenTaskInput): Promise<{ assignee: string }> {
  const complaint = await getComplaint(input.complaintId);
  if (!complaint) throw new Error(`Complaint ${input.complaintId} not found`);
  const { desk } = settings();
  const team = teamFor(desk, complaint.category);
  const assignee = assigneeFor(input.step, team, complaint.id);
  const deadlineAt = complaint[STEP_DEADLINE[input.step]];
  const linkId = newLinkId();
  const now = new Date().toISOString();

  await insertTaskLink(
    {
      linkIdHash: hashSecret(linkId),
      complaintId: complaint.id,
      step: input.step,
      assignee,
      assigneeLanguage: team.language,
      taskToken: input.taskToken,
      nonce: newSecret(),
      createdAt: now,
      deadlineAt,
      state: 'open',
    },
    STEP_STATUS[input.step],
    { at: now, actor: 'system', action: 'task.assigned', details: { step: input.step, assignee, deadlineAt } },
  );
  await sendEmail(taskAssignedEmail({ to: assignee, number: complaint.number, step: input.step, taskUrl: taskUrl(linkId), deadlineAt, config: desk }));
  log.info('task opened', { complaintId: complaint.id, step: input.step });
  return { assignee };
}

export const handler = middy<OpenTaskInput, { assignee: string }>().handler(openTask);
