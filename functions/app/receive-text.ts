import { isOptOut } from '../domain/sms';
import { normaliseMobile } from '../domain/phone';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { settings } from '../lib/settings';
import { recordOptOut } from '../store/phones';

export interface ReceivedText {
  /** The sender's number (E.164, as the provider gives it). */
  from: string;
  body: string;
}

export type ReceiveTextResult = { outcome: 'opted-out'; keyword: string } | { outcome: 'ignored'; why: string };

/**
 * A text sent to the desk's number. A reply that asks to stop (`T`, `TD`, `STOP`, `退订`) is
 * recorded against the number, and no text goes to it from then on (the notifier's sms channel
 * checks); anything else is not read: the desk takes complaints by its form, mail and phone.
 */
export async function receiveText(text: ReceivedText): Promise<ReceiveTextResult> {
  const { desk } = settings();
  const number = normaliseMobile(text.from, desk.sms.defaultCountry);
  if (!number.ok) return { outcome: 'ignored', why: 'not-a-mobile-number' };
  if (!isOptOut(text.body)) {
    log.info('text received and not read: only opt-outs are', {});
    return { outcome: 'ignored', why: 'not-an-opt-out' };
  }
  const keyword = text.body.trim().slice(0, 20);
  await recordOptOut(number.e164, { at: currentTime().toISOString(), keyword }, desk.retentionDays);
  log.info('text opt-out recorded', {});
  return { outcome: 'opted-out', keyword };
}
