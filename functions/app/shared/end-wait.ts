import type { ComplaintRecord } from '../../domain/complaint';
import { answersWait, type MessageRecipient } from '../../domain/messages';
import { log } from '../../lib/log';
import { completeCurrentTask } from './decide-task';

/**
 * A party's message ends the desk's wait for it, if the case waits for that party: the wait's
 * task is decided (`answer`) and the paused step opens again with the time it had left. Every
 * way an answer arrives (a reply by mail, the tracking page, the respondent's link) comes here.
 */
export async function endWaitFor(complaint: ComplaintRecord, from: MessageRecipient, text: string): Promise<boolean> {
  if (!text || !answersWait(complaint, from)) return false;
  const answered = await completeCurrentTask(
    complaint.id,
    'answer',
    { step: 'answer', decision: 'answer', answer: text, by: from },
    from,
  );
  log.info('awaited answer arrived', { complaintId: complaint.id, from, answered });
  return answered;
}
