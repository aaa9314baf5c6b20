import type { ComplaintRecord } from '../../domain/complaint';
import type { SentMessage } from '../../domain/messages';
import { respondentUrl } from '../../lib/respondent-link';
import { notice } from '../../pages/notices';
import { complainantNotice } from './complainant-recipient';
import { outgoingNotice, type OutgoingNotice } from './notifier';

/**
 * The notice a message of the desk sends, for the change's transaction (the outbox): to the
 * complainant in their language with the case's reply address, or to the respondent with their
 * own link. One purpose, `message.<to>`, whichever step it was sent at.
 */
export async function messageMail(complaint: ComplaintRecord, message: SentMessage, seq = 0): Promise<OutgoingNotice> {
  const attachmentNames = message.attachments.map((a) => a.name);
  const told =
    message.to === 'complainant'
      ? await complainantNotice(complaint, 'message.complainant', {
          text: message.text,
          awaitUntil: message.awaitUntil,
          attachmentNames,
        })
      : notice(
          'message.respondent',
          { email: complaint.respondentEmail! },
          {
            number: complaint.number,
            text: message.text,
            respondUrl: await respondentUrl(complaint.id, complaint.respondentEmail!),
            awaitUntil: message.awaitUntil,
            attachmentNames,
          },
        );
  return outgoingNotice(complaint.id, `message.${message.to}`, told, message.at, seq);
}
