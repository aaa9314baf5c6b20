import type { DeskConfig } from '../domain/config';
import type { Notice, NoticeRecipient } from '../domain/notice';
import type { EmailMessage } from '../lib/email-message';
import {
  acceptedEmail,
  acknowledgementEmail,
  closedCaseReplyEmail,
  closedEmail,
  complainantRepliedEmail,
  delayNoticeEmail,
  duplicateLinkedEmail,
  evidenceRequestEmail,
  heldFilingEmail,
  informationRequestEmail,
  rejectedEmail,
  reminderEmail,
  replyEmail,
  rulingEmail,
  staffSignInEmail,
  statementRequestEmail,
  taskAssignedEmail,
  taskReassignedAwayEmail,
  reviewRequestedEmail,
  trackingLinkReplacedEmail,
  unverifiedMailEmail,
  weeklyReportEmail,
  withdrawnNoticeEmail,
} from './emails';
import { complainantMessageEmail, mergedEmail, respondentMessageEmail } from './message-emails';
import { addressChangedEmail, confirmAddressEmail, erasureRequestedEmail, legalHoldEmail } from './rights-emails';

/**
 * Every notice the desk sends, by template id, with its email form (emails.ts). A template's data
 * is what its email takes, less what delivery fills in: the address and Reply-To (from the
 * recipient), the language (the recipient's) and the desk's settings (read when it is sent).
 */
const EMAILS = {
  acknowledgement: acknowledgementEmail,
  'task.assigned': taskAssignedEmail,
  'task.reassigned-away': taskReassignedAwayEmail,
  'evidence.request': evidenceRequestEmail,
  'information.request': informationRequestEmail,
  'statement.request': statementRequestEmail,
  reply: replyEmail,
  'decision.accepted': acceptedEmail,
  'decision.rejected': rejectedEmail,
  'decision.ruling': rulingEmail,
  'review.requested': reviewRequestedEmail,
  'delay.notice': delayNoticeEmail,
  closed: closedEmail,
  'duplicate.linked': duplicateLinkedEmail,
  'held.filing': heldFilingEmail,
  'tracking-link.replaced': trackingLinkReplacedEmail,
  reminder: reminderEmail,
  'withdrawn.notice': withdrawnNoticeEmail,
  'complainant.replied': complainantRepliedEmail,
  'mail.unverified': unverifiedMailEmail,
  'closed-case.reply': closedCaseReplyEmail,
  'staff.sign-in': staffSignInEmail,
  'weekly.report': weeklyReportEmail,
  'message.complainant': complainantMessageEmail,
  'message.respondent': respondentMessageEmail,
  'closed.merged': mergedEmail,
  'erasure.requested': erasureRequestedEmail,
  'legal-hold': legalHoldEmail,
  'contact.confirm-address': confirmAddressEmail,
  'contact.address-changed': addressChangedEmail,
} as const;

export type TemplateId = keyof typeof EMAILS;

/** What delivery fills in; a use case never passes these. */
type Filled = 'to' | 'replyTo' | 'language' | 'config' | 'timeZone';
type InputOf<T extends TemplateId> = Parameters<(typeof EMAILS)[T]>[0];
export type TemplateData<T extends TemplateId> = Omit<InputOf<T>, Filled>;

/** A notice of a known template, its data typed by that template. */
export type TypedNotice<T extends TemplateId = TemplateId> = Notice<T, TemplateData<T>>;

export function notice<T extends TemplateId>(template: T, to: NoticeRecipient, data: TemplateData<T>): TypedNotice<T> {
  return { to, template, data };
}

export function isTemplateId(id: string): id is TemplateId {
  return Object.hasOwn(EMAILS, id);
}

/** What a template's renderer is handed: its data with the recipient's language and the desk's settings. */
export function filledInput(notice: Notice, desk: DeskConfig): Record<string, unknown> {
  return {
    ...notice.data,
    ...(notice.to.email ? { to: notice.to.email } : {}),
    ...(notice.to.replyTo ? { replyTo: notice.to.replyTo } : {}),
    ...(notice.to.language ? { language: notice.to.language } : {}),
    config: desk,
    timeZone: desk.timeZone,
  };
}

/** The email form of a notice (its recipient has an address). */
export function renderEmail(notice: Notice, desk: DeskConfig): EmailMessage {
  if (!isTemplateId(notice.template)) throw new Error(`no email template ${notice.template}`);
  const render = EMAILS[notice.template] as (input: Record<string, unknown>) => EmailMessage;
  return render(filledInput(notice, desk));
}
