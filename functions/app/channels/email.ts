import type { Notice } from '../../domain/notice';
import { sendEmail, sendRatePerSecond } from '../../lib/mailer';
import { settings } from '../../lib/settings';
import { isTemplateId, renderEmail } from '../../pages/notices';
import type { ChannelAdapter } from './channel';

/** Email (SES): every template has an email form (pages/emails.ts). */
export const emailChannel: ChannelAdapter = {
  channel: 'email',
  says: isTemplateId,
  send: (notice: Notice) => sendEmail(renderEmail(notice, settings().desk)),
  ratePerSecond: () => sendRatePerSecond(),
};
