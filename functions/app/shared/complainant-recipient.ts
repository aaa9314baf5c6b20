import type { ComplaintRecord } from '../../domain/complaint';
import type { Language } from '../../domain/language';
import type { NoticeRecipient } from '../../domain/notice';
import { trackingUrl } from '../../lib/links';
import { replyAddressFor } from './reply-address';
import { settings } from '../../lib/settings';
import { notice, type TemplateData, type TemplateId, type TypedNotice } from '../../pages/notices';

/** What every notice to a complainant carries: their name, the case number and their tracking link. */
type CaseLines = 'name' | 'number' | 'trackingUrl';

/**
 * A notice to the complainant of a case: their ways to be reached and language, and (when email
 * in is on) the case's reply address as Reply-To, so a reply lands on the case; its data carries
 * their name, the case number and their tracking link besides `data`.
 */
export async function complainantNotice<T extends TemplateId>(
  complaint: ComplaintRecord,
  template: T,
  data: Omit<TemplateData<T>, CaseLines>,
  language: Language = complaint.language,
): Promise<TypedNotice<T>> {
  const replyTo = await complainantReplyAddress(complaint);
  const { email, phone, contactBy } = complaint.complainant;
  const to: NoticeRecipient = {
    ...(email ? { email } : {}),
    ...(phone ? { phone } : {}),
    // Complaints filed before texts have no preference: they were told by email.
    prefer: contactBy ?? 'email',
    language,
    ...(replyTo ? { replyTo } : {}),
  };
  return notice(template, to, {
    ...data,
    name: complaint.complainant.name,
    number: complaint.number,
    trackingUrl: await trackingUrl(complaint.id, complaint.trackingSalt),
  } as unknown as TemplateData<T>);
}

/** The case's reply address for its complainant (`reply+<token>@<inbound domain>`), or undefined when email in is off. */
export async function complainantReplyAddress(
  complaint: Pick<ComplaintRecord, 'id' | 'complainant'>,
): Promise<string | undefined> {
  const { inbound } = settings().desk;
  const { email } = complaint.complainant;
  return inbound.enabled && email ? replyAddressFor(complaint.id, email, inbound.address) : undefined;
}
