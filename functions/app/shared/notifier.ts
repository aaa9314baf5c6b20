import { evidenceStillNeeded } from '../../domain/evidence-policy';
import { afterFailedTry } from '../../domain/mail-delivery';
import { channelsFor, type Notice } from '../../domain/notice';
import { currentTime } from '../../lib/clock';
import { log } from '../../lib/log';
import { sendEmail } from './mailer';
import { METRICS, recordMetric } from '../../lib/metrics';
import { settings } from '../../lib/settings';
import { getComplaint, updateComplaint } from '../../store/complaints';
import { getTaskLink } from '../../store/task-links';
import {
  deferQueuedMail,
  putQueuedMail,
  queuedMailItem,
  recordQueuedMail,
  removeQueuedMail,
  type QueuedMailItem,
} from '../../store/outbox';
import type { TransactItems } from '../../store/table';
import { adapterOf, channelsSaying } from './channels';
import type { SendResult } from './channels/channel';
import { undeliveredEvent } from './undelivered';

/**
 * The notifier. A use case hands over a notice (who, which template, its data), never a rendered
 * message: `outgoingNotice` gives the writes that record it in the outbox, one per channel it
 * goes by, to go into the change's transaction; `deliver` then tries them at once. Whatever that
 * try meets, the change stands and the notice is not lost: the outbox's sender tries it again
 * later (deliverDueMail). Each channel renders the notice when it sends it.
 */
export interface OutgoingNotice {
  writes: TransactItems;
  items: QueuedMailItem[];
}

export function outgoingNotice(
  complaintId: string,
  purpose: string,
  notice: Notice,
  at: string,
  seq = 0,
  /** A notice held until then: the outbox's sender sends it, and the caller does not `deliver` it. */
  notBefore?: string,
): OutgoingNotice {
  const channels = channelsFor(notice.to, channelsSaying(notice.template));
  if (!channels.length) log.warn('notice reaches nobody: no channel for its recipient', { complaintId, purpose });
  // A channel the change does not try at once is due for the outbox's sender at once.
  const items = channels.map((channel) =>
    notBefore
      ? queuedMailItem(complaintId, purpose, channel, notice, at, seq, notBefore)
      : adapterOf(channel).immediate
        ? queuedMailItem(complaintId, purpose, channel, notice, at, seq)
        : queuedMailItem(complaintId, purpose, channel, notice, at, seq, at),
  );
  return { writes: items.map(putQueuedMail), items };
}

/** The first try of notices whose change was just written; never throws (the outbox keeps them). */
export async function deliver(...outgoing: (OutgoingNotice | undefined)[]): Promise<void> {
  for (const notice of outgoing)
    for (const item of notice?.items ?? [])
      if (!item.channel || adapterOf(item.channel).immediate) await tryToSend(item);
}

/**
 * A notice for a change already written on its own (a reminder, a note to the assignee): it is
 * recorded in the outbox first, then tried, so a failed try is retried like any other.
 */
export async function notifyThroughOutbox(complaintId: string, purpose: string, notice: Notice): Promise<void> {
  const outgoing = outgoingNotice(complaintId, purpose, notice, currentTime().toISOString());
  for (const item of outgoing.items) await recordQueuedMail(item);
  await deliver(outgoing);
}

/**
 * A notice sent at once, outside the outbox, by every channel it goes by that sends at once: for
 * what a person asks for and sees fail (a held filing's confirmation, a replaced link, a
 * reassignment, a weekly report). A channel that is not immediate gets it through the outbox,
 * when it is about a case (`complaintId`). Throws the first failed send.
 */
export async function notifyNow(notice: Notice, complaintId?: string): Promise<void> {
  for (const channel of channelsFor(notice.to, channelsSaying(notice.template))) {
    if (adapterOf(channel).immediate) await adapterOf(channel).send(notice, complaintId);
    else if (complaintId) {
      const at = currentTime().toISOString();
      await recordQueuedMail(queuedMailItem(complaintId, notice.template, channel, notice, at, 0, at));
    }
  }
}

/** Sends one queued item by its channel; an item of the outbox's first format holds a rendered email. */
async function send(item: QueuedMailItem): Promise<SendResult> {
  if (item.channel) return adapterOf(item.channel).send(item.message, item.complaintId);
  const id = await sendEmail(item.message);
  return id === undefined ? { sent: false, withheld: 'suppressed' } : { sent: true, id };
}

/** A text withheld because its number opted out: the case says so, so a person can reach the complainant another way. */
async function recordWithheld(item: QueuedMailItem, result: SendResult): Promise<void> {
  if (result.sent || result.withheld !== 'opted-out' || !item.complaintId) return;
  await updateComplaint(
    item.complaintId,
    {},
    {
      at: currentTime().toISOString(),
      actor: 'system',
      action: 'text.withheld',
      details: { purpose: item.purpose, why: 'opted-out' },
    },
  ).catch((error) => log.error('withheld text not recorded on its case', { complaintId: item.complaintId, error }));
}

export type TryResult = 'sent' | 'deferred' | 'given-up' | 'withdrawn';

/**
 * A request for evidence is written only while none is recorded, but it is sent a moment later
 * (or, after a failed try, minutes later, or held until the files the desk declared can no longer
 * land): it does not go out once evidence is recorded, nor once its task was opened again (a
 * redriven workflow reopens the step, and that task writes a request of its own).
 */
async function overtaken(item: QueuedMailItem): Promise<boolean> {
  if (item.purpose !== 'task.evidence') return false;
  const complaint = await getComplaint(item.complaintId);
  if (!complaint) return false;
  if (!evidenceStillNeeded(complaint, settings().desk)) return true;
  const task = complaint.currentTaskLinkHash ? await getTaskLink(complaint.currentTaskLinkHash) : undefined;
  return !!task && task.step === 'evidence' && task.createdAt > item.queuedAt;
}

/** One try of a queued notice: sent, deferred to a later try, given up, or withdrawn. */
export async function tryToSend(item: QueuedMailItem): Promise<TryResult> {
  if (await overtaken(item)) {
    await removeQueuedMail(item);
    log.info('evidence request not sent: evidence is recorded, or its task was opened again', {
      complaintId: item.complaintId,
    });
    return 'withdrawn';
  }
  const now = currentTime();
  try {
    await recordWithheld(item, await send(item));
  } catch (error) {
    const name = (error as { name?: string })?.name ?? 'Error';
    const attempts = item.attempts + 1;
    const verdict = afterFailedTry(name, attempts, new Date(item.queuedAt), now);
    if (verdict.kind === 'retry') {
      await deferQueuedMail(item, attempts, verdict.at.toISOString(), name).catch((deferError) =>
        log.error('notice try not counted; the sender tries it when it falls due', {
          complaintId: item.complaintId,
          purpose: item.purpose,
          error: deferError,
        }),
      );
      log.warn('notice not sent; tried again later', {
        complaintId: item.complaintId,
        purpose: item.purpose,
        channel: item.channel ?? 'email',
        attempts,
        error: name,
        nextTryAt: verdict.at.toISOString(),
      });
      return 'deferred';
    }
    await giveUp(item, verdict.why, name, now);
    return 'given-up';
  }
  await removeQueuedMail(item).catch((removeError) =>
    log.error('notice sent but still queued; it may be sent again', {
      complaintId: item.complaintId,
      purpose: item.purpose,
      error: removeError,
    }),
  );
  return 'sent';
}

async function giveUp(item: QueuedMailItem, why: 'refused' | 'too-old', errorName: string, now: Date): Promise<void> {
  const at = now.toISOString();
  recordMetric(METRICS.mailUndelivered, 1, { why });
  log.error('notice given up', {
    complaintId: item.complaintId,
    purpose: item.purpose,
    channel: item.channel ?? 'email',
    why,
    error: errorName,
    attempts: item.attempts + 1,
  });
  // The case says which notice did not go out (and by which channel), so a person can reach the recipient another way
  // (a staff sign-in mail belongs to no case: its owner asks again).
  if (item.complaintId)
    await updateComplaint(
      item.complaintId,
      {},
      undeliveredEvent(at, {
        purpose: item.purpose,
        channel: item.channel ?? 'email',
        why,
        error: errorName,
        queuedAt: item.queuedAt,
      }),
    ).catch((error) =>
      log.error('undelivered notice not recorded on its case', { complaintId: item.complaintId, error }),
    );
  await removeQueuedMail(item);
}
