import type { Notice } from '../../../domain/notice';
import { sendEmail, sendRatePerSecond } from '../mailer';
import { settings } from '../../../lib/settings';
import { isTemplateId, renderEmail } from '../../../pages/notices';
import type { ChannelAdapter, SendResult } from './channel';

/** Email (SES): every template has an email form (pages/emails.ts). */
export const emailChannel: ChannelAdapter = {
  channel: 'email',
  says: isTemplateId,
  immediate: true,
  send: async (notice: Notice): Promise<SendResult> => {
    const id = await sendEmail(renderEmail(notice, settings().desk));
    return id === undefined ? { sent: false, withheld: 'suppressed' } : { sent: true, id };
  },
  ratePerSecond: () => sendRatePerSecond(),
};
