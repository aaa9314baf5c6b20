import { SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { Notice } from '../../../domain/notice';
import { sms } from '../../../lib/clients/sms';
import { currentTime } from '../../../lib/clock';
import { log } from '../../../lib/log';
import { settings } from '../../../lib/settings';
import { hasText, LINK_FIELDS, renderText } from '../../../pages/texts';
import { countText, optOutOf } from '../../../store/phones';
import { createShortLink } from '../../../store/short-links';
import { recordTextSent } from '../../../store/texts';
import type { ChannelAdapter, SendResult } from './channel';

/** A text over the number's hourly limit: the outbox tries it again later, as after throttling. */
export class TextRateLimited extends Error {
  override name = 'TextRateLimited';
}

/**
 * Text messages (AWS End User Messaging SMS, SendTextMessage from the desk's origination
 * identity): the templates with a text form (pages/texts.ts), to a number that has not opted
 * out, at most `desk.sms.perNumberPerHour` an hour. Every link goes as a short link, noted on
 * the case it is about so that the case's purge deletes it.
 */
export const smsChannel: ChannelAdapter = {
  channel: 'sms',
  immediate: false,
  says: (template) => settings().desk.sms.enabled && hasText(template),
  async send(notice: Notice, complaintId?: string): Promise<SendResult> {
    const { desk, publicBaseUrl } = settings();
    const to = notice.to.phone;
    if (!to) throw new Error('a text needs a phone number');
    if (await optOutOf(to)) return { sent: false, withheld: 'opted-out' };
    const now = currentTime();
    if (!(await countText(to, now, desk.sms.perNumberPerHour)))
      throw new TextRateLimited(`more than ${desk.sms.perNumberPerHour} texts to one number this hour`);
    const data: Record<string, unknown> = { ...notice.data };
    for (const field of LINK_FIELDS)
      if (typeof data[field] === 'string')
        data[field] = `${publicBaseUrl}/s/${await createShortLink(data[field], now, desk.retentionDays, complaintId)}`;
    const body = renderText({ ...notice, data }, desk);
    const configurationSet = settings().smsConfigurationSet;
    const { MessageId } = await sms.send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: to,
        OriginationIdentity: desk.sms.originationIdentity,
        MessageBody: body,
        MessageType: 'TRANSACTIONAL',
        // The delivery events carry the context back: it names the text's case (no personal data).
        ...(configurationSet
          ? {
              ConfigurationSetName: configurationSet,
              ...(complaintId ? { Context: { complaintId, template: notice.template } } : {}),
            }
          : {}),
      }),
    );
    log.info('text sent', { template: notice.template });
    // The text is sent whatever comes of this note: a failed note must not send it again.
    if (complaintId && MessageId)
      await recordTextSent(complaintId, MessageId, notice.template, now, desk.retentionDays).catch((error) =>
        log.warn('text sent but not noted on its case; its delivery events still are', { complaintId, error }),
      );
    return { sent: true, ...(MessageId ? { id: MessageId } : {}) };
  },
  // End User Messaging's default: one message part a second per origination number; the outbox's
  // runs pace by email's rate and a throttled text is tried again.
  ratePerSecond: async () => 1,
};
