import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { runPaced } from '../lib/pacing';
import { MAIL_DELIVERY } from '../domain/mail-delivery';
import { listDueMail, takeQueuedMail, type OutboxKey } from '../store/outbox';
import { sendRatePerSecond } from './shared/mailer';
import { tryToSend, type TryResult } from './shared/notifier';

/** What a run of the sender leaves of its function's time. */
const RUN_MARGIN_MS = 5_000;
/** The most emails one run lists (the next run takes the rest). */
const MOST_PER_RUN = 20_000;

/**
 * The outbox's sender (on a schedule): every waiting email that is due is tried again, at the
 * account's SES sending rate (its quota, read from SES) for most of the function's time. An email
 * is due when its first try failed (and its wait passed), or when its change was written and no
 * first try followed (a crash between the two).
 */
export async function deliverDueMail(
  input: { budgetMs?: number; limit?: number } = {},
  context?: { getRemainingTimeInMillis(): number },
): Promise<{ sent: number; deferred: number; givenUp: number }> {
  const counts = { sent: 0, deferred: 0, givenUp: 0 };
  const budgetMs =
    input.budgetMs ?? (context ? Math.max(1000, context.getRemainingTimeInMillis() - RUN_MARGIN_MS) : 15_000);
  const perSecond = await sendRatePerSecond();
  const limit = input.limit ?? Math.min(MOST_PER_RUN, Math.ceil((perSecond * budgetMs) / 1000));
  const due = await listDueMail(currentTime().toISOString(), limit);
  await runPaced(due, { perSecond, budgetMs }, async (key) => {
    const result = await tryIfStillDue(key);
    if (result === 'sent') counts.sent++;
    else if (result === 'deferred') counts.deferred++;
    else if (result === 'given-up') counts.givenUp++;
    return undefined;
  });
  if (due.length) log.info('outbox delivered', { due: due.length, perSecond, ...counts });
  return counts;
}

/**
 * One listed email, taken before it is tried, so that two runs of the sender that list it at once
 * send it once. Undefined when another run took it, or it went meanwhile.
 */
export async function tryIfStillDue(key: OutboxKey): Promise<TryResult | undefined> {
  const now = currentTime();
  const until = new Date(now.getTime() + MAIL_DELIVERY.takenForSeconds * 1000);
  const item = await takeQueuedMail(key, now.toISOString(), until.toISOString());
  return item && tryToSend(item);
}
