import type { ComplaintRecord } from '../../domain/complaint';
import type { SentMessage } from '../../domain/messages';
import { respondentUrl } from '../../lib/respondent-link';
import { settings } from '../../lib/settings';
import { complainantMessageEmail, respondentMessageEmail } from '../../pages/message-emails';
import { complainantRecipient } from './complainant-recipient';
import { outgoingMail, type OutgoingMail } from './mail-outbox';

/**
 * The email a message of the desk sends, for the change's transaction (the outbox): to the
 * complainant in their language with the case's reply address, or to the respondent with their
 * own link. One purpose, `message.<to>`, whichever step it was sent at.
 */
export async function messageMail(complaint: ComplaintRecord, message: SentMessage, seq = 0): Promise<OutgoingMail> {
  const { timeZone } = settings().desk;
  const attachmentNames = message.attachments.map((a) => a.name);
  const email =
    message.to === 'complainant'
      ? complainantMessageEmail({
          ...(await complainantRecipient(complaint)),
          text: message.text,
          awaitUntil: message.awaitUntil,
          attachmentNames,
          timeZone,
        })
      : respondentMessageEmail({
          to: complaint.respondentEmail!,
          number: complaint.number,
          text: message.text,
          respondUrl: await respondentUrl(complaint.id, complaint.respondentEmail!),
          awaitUntil: message.awaitUntil,
          attachmentNames,
          timeZone,
        });
  return outgoingMail(complaint.id, `message.${message.to}`, email, message.at, seq);
}
