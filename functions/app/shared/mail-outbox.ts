import { evidenceStillNeeded } from '../../domain/evidence-policy';
import { afterFailedTry } from '../../domain/mail-delivery';
import { currentTime } from '../../lib/clock';
import { log } from '../../lib/log';
import { sendEmail } from './mailer';
import { METRICS, recordMetric } from '../../lib/metrics';
import { settings } from '../../lib/settings';
import type { EmailMessage } from '../../lib/email-message';
import { getComplaint, updateComplaint } from '../../store/complaints';
import {
  deferQueuedMail,
  putQueuedMail,
  queuedMailItem,
  recordQueuedMail,
  removeQueuedMail,
  type QueuedMailItem,
} from '../../store/outbox';
import type { TransactItems } from '../../store/table';

/**
 * An email a change of a case sends: `write` goes into the change's transaction, then `deliver`
 * tries it at once. Whatever that try meets, the change stands and the email is not lost: the
 * outbox's sender tries it again later (deliverDueMail).
 */
export interface OutgoingMail {
  write: TransactItems[number];
  item: QueuedMailItem;
}

export function outgoingMail(
  complaintId: string,
  purpose: string,
  message: EmailMessage,
  at: string,
  seq = 0,
): OutgoingMail {
  const item = queuedMailItem(complaintId, purpose, message, at, seq);
  return { write: putQueuedMail(item), item };
}

/** The first try of emails whose change was just written; never throws (the outbox keeps them). */
export async function deliver(...mail: (OutgoingMail | undefined)[]): Promise<void> {
  for (const outgoing of mail) if (outgoing) await tryToSend(outgoing.item);
}

/**
 * An email for a change already written on its own (a reminder, a note to the assignee): it is
 * recorded in the outbox first, then tried, so a failed try is retried like any other.
 */
export async function sendThroughOutbox(complaintId: string, purpose: string, message: EmailMessage): Promise<void> {
  const mail = outgoingMail(complaintId, purpose, message, currentTime().toISOString());
  await recordQueuedMail(mail.item);
  await deliver(mail);
}

export type TryResult = 'sent' | 'deferred' | 'given-up' | 'withdrawn';

/**
 * A request for evidence is written only while none is recorded, but it is sent a moment later
 * (or, after a failed try, minutes later): it does not go out once evidence is recorded.
 */
async function overtaken(item: QueuedMailItem): Promise<boolean> {
  if (item.purpose !== 'task.evidence') return false;
  const complaint = await getComplaint(item.complaintId);
  return !!complaint && !evidenceStillNeeded(complaint, settings().desk);
}

/** One try of a queued email: sent, deferred to a later try, given up, or withdrawn. */
export async function tryToSend(item: QueuedMailItem): Promise<TryResult> {
  if (await overtaken(item)) {
    await removeQueuedMail(item);
    log.info('evidence request not sent: evidence is recorded', { complaintId: item.complaintId });
    return 'withdrawn';
  }
  const now = currentTime();
  try {
    await sendEmail(item.message);
  } catch (error) {
    const name = (error as { name?: string })?.name ?? 'Error';
    const attempts = item.attempts + 1;
    const verdict = afterFailedTry(name, attempts, new Date(item.queuedAt), now);
    if (verdict.kind === 'retry') {
      await deferQueuedMail(item, attempts, verdict.at.toISOString(), name).catch((deferError) =>
        log.error('email try not counted; the sender tries it when it falls due', {
          complaintId: item.complaintId,
          purpose: item.purpose,
          error: deferError,
        }),
      );
      log.warn('email not sent; tried again later', {
        complaintId: item.complaintId,
        purpose: item.purpose,
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
    log.error('email sent but still queued; it may be sent again', {
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
  log.error('email given up', {
    complaintId: item.complaintId,
    purpose: item.purpose,
    why,
    error: errorName,
    attempts: item.attempts + 1,
  });
  // The case says which email did not go out, so a person can reach the recipient another way
  // (a staff sign-in mail belongs to no case: its owner asks again).
  if (item.complaintId)
    await updateComplaint(
      item.complaintId,
      {},
      {
        at,
        actor: 'system',
        action: 'mail.undelivered',
        details: { purpose: item.purpose, why, error: errorName, queuedAt: item.queuedAt },
      },
    ).catch((error) =>
      log.error('undelivered email not recorded on its case', { complaintId: item.complaintId, error }),
    );
  await removeQueuedMail(item);
}
