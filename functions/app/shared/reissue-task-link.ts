import type { ComplaintEvent } from '../../domain/history';
import { hashSecret, newLinkId, newSecret } from '../../domain/ids';
import { STEP_STATUS } from '../../domain/lifecycle';
import { taskUrl } from '../../lib/links';
import { insertTaskLink, type TaskLinkRecord } from '../../store/task-links';

/**
 * A fresh link for the same open task — same step, workflow token and deadline — held by `to`;
 * the link it replaces is retired and says a fresh one was sent. The link id exists only in the
 * mail it goes out in (the table keeps its hash), so a mail that must carry the task's link
 * carries a new one.
 */
export async function reissueTaskLink(
  current: TaskLinkRecord,
  to: string,
  event: ComplaintEvent,
): Promise<{ url: string; link: TaskLinkRecord }> {
  const linkId = newLinkId();
  const { decidedAt: _a, decidedBy: _b, decision: _c, movedAt: _d, movedTo: _e, movedReason: _f, ...kept } = current;
  const link: TaskLinkRecord = {
    ...kept,
    linkIdHash: hashSecret(linkId),
    assignedTo: to,
    nonce: newSecret(),
    createdAt: event.at,
    state: 'open',
  };
  await insertTaskLink(link, STEP_STATUS[link.step], event, { linkIdHash: current.linkIdHash, reason: 'reissued' });
  return { url: taskUrl(linkId), link };
}
