import { unconfirmedAdditions } from '../domain/history';
import { ValidationError } from '../lib/http';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { listEvents } from '../store/events';
import { updateComplaint } from '../store/complaints';
import { done, refused, textField, type SelfServiceInput, type SelfServiceResult } from './shared/self-service';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

/**
 * The complainant confirms, from their tracking link, that a filing joined to their case as a
 * repeat was theirs (`at`: the time of that filing): from then on staff read it as verified.
 */
export async function confirmAddition({ complaint, fields, language }: SelfServiceInput): Promise<SelfServiceResult> {
  const at = textField(fields, 'at');
  const addition = unconfirmedAdditions(await listEvents(complaint.id)).find((e) => e.at === at);
  if (!addition) {
    return refused(
      'addition-unknown',
      new ValidationError([{ path: 'at', message: USE_CASE_TEXTS.noAdditionWaiting[language] }]),
    );
  }
  const now = currentTime().toISOString();
  await updateComplaint(
    complaint.id,
    {},
    { at: now, actor: 'complainant', action: 'addition.confirmed', details: { linkedAt: addition.at } },
  );
  log.info('added filing confirmed', { complaintId: complaint.id });
  return done('addition-confirmed', 200, { confirmed: addition.at });
}
