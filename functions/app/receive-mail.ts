import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import type { ComplaintRecord } from '../domain/complaint';
import { evidenceDisplayName, maxBytesFor } from '../domain/evidence-policy';
import type { ComplaintEvent } from '../domain/history';
import {
  automatedMailReason,
  caseNumberIn,
  domainOf,
  evidenceNameOf,
  intakeFromMail,
  landingProblem,
  languageOfText,
  parseReplyAddress,
  stripQuotedHistory,
  verdictProblem,
  type IgnoreReason,
  type ReceiptVerdicts,
} from '../domain/inbound-mail';
import { isOpen } from '../domain/lifecycle';
import { reviewEligibility } from '../domain/review';
import { serviceLevelsFor } from '../domain/desk';
import { complainantKeyOf } from '../domain/intake-rules';
import { currentTime } from '../lib/clock';
import { HttpError } from '../lib/http';
import { log } from '../lib/log';
import { isReplyMacValid } from './shared/reply-address';
import { settings } from '../lib/settings';
import { notice } from '../pages/notices';
import { getComplaint } from '../store/complaints';
import { evidenceKey, newEvidenceSlot } from '../store/evidence-objects';
import {
  claimInboundMail,
  countSenderMail,
  findComplaintByNumber,
  hashOf,
  recordComplainantReply,
  releaseInboundMail,
} from '../store/inbound-mails';
import { keepWithCase, putAttachmentObject, readInboundMessage } from '../store/inbound-objects';
import { issueUploadSlot, UploadLimitReachedError } from '../store/upload-slots';
import { markEngaged } from '../store/engaged-addresses';
import { completeCurrentTask } from './shared/decide-task';
import { fileComplaint } from './file-complaint';
import { notifyThroughOutbox } from './shared/notifier';
import { complainantNotice } from './shared/complainant-recipient';
import { endWaitFor } from './shared/end-wait';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

/** One received mail as SES's receipt rule hands it over: where the raw message is, and what SES found. */
export interface ReceivedMail {
  /** The raw message's key in the evidence bucket (`inbound/<SES message id>`). */
  key: string;
  /** SMTP MAIL FROM ('' for a bounce). */
  envelopeSender?: string;
  /** SMTP RCPT TO addresses SES accepted. */
  recipients: string[];
  verdicts: ReceiptVerdicts;
}

export type ReceiveMailResult =
  | { outcome: 'filed' | 'linked'; complaintId: string; attachments: number }
  | { outcome: 'replied'; complaintId: string; answeredInformation: boolean; attachments: number }
  /** Named a case's number from its complainant's address, not to its reply address: kept unverified. */
  | { outcome: 'unverified'; complaintId: string }
  /** A reply to a case already closed: recorded, its sender told what they can do. */
  | { outcome: 'after-closing'; complaintId: string }
  | { outcome: 'ignored'; reason: IgnoreReason };

const ignored = (reason: IgnoreReason): ReceiveMailResult => ({ outcome: 'ignored', reason });

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  return [field ?? []]
    .flat()
    .flatMap((group) => group.value.map((entry) => entry.address?.trim().toLowerCase() ?? ''))
    .filter(Boolean);
}

/** The first value of each header the rules read (mailparser keeps structured values for some). */
function signalHeaders(parsed: ParsedMail): Record<string, string | undefined> {
  const read = (name: string) => {
    const value = parsed.headers.get(name);
    if (value === undefined) return undefined;
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'object' && first !== null && 'value' in first
      ? String((first as { value: unknown }).value)
      : String(first);
  };
  return Object.fromEntries(
    ['auto-submitted', 'precedence', 'x-autoreply', 'x-autorespond'].map((name) => [name, read(name)]),
  );
}

/**
 * A received mail, in order: SES's verdicts (spam, virus, DMARC), the size cap, a repeated
 * delivery, auto-replies, bounces and loops, the per-sender rate; then a mail from the complainant
 * to a case's reply address (a token bound to case and recipient) lands on that case and acts on it;
 * one from the complainant's address that only names the number in its subject is kept on the case
 * unverified (a From can be forged, and the number is no secret); a mail to the inbound address
 * files a complaint (channel email); anything else is ignored. Nothing lands on a case unless SES
 * showed its From to be real (landingProblem). Nothing that is ignored is answered, so no two
 * robots can mail each other forever.
 */
export async function receiveMail(mail: ReceivedMail): Promise<ReceiveMailResult> {
  const { desk, mailFrom } = settings();
  const { inbound } = desk;
  const problem = verdictProblem(mail.verdicts);
  if (problem) return ignored(problem);
  const { raw, size, gone } = await readInboundMessage(mail.key, inbound.maxBytes);
  if (gone) return ignored('repeat');
  if (!raw) {
    log.info('mail ignored: too large', { size });
    return ignored('too-large');
  }
  const parsed = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true });
  const from = parsed.from?.value[0];
  const sender = from?.address?.trim().toLowerCase();
  const automated = automatedMailReason({
    envelopeSender: mail.envelopeSender,
    from: sender,
    headers: signalHeaders(parsed),
    ownAddresses: [mailFrom, inbound.address],
    inboundDomain: domainOf(inbound.address),
  });
  if (automated) return ignored(automated);

  const messageHash = hashOf(`mail:${parsed.messageId ?? ''}:${hashOf(raw.toString('latin1'))}`);
  const now = currentTime();
  if (!(await claimInboundMail(messageHash, now))) return ignored('repeat');
  let result: ReceiveMailResult;
  try {
    if (!(await countSenderMail(sender!, now, inbound.perSenderPerHour))) return ignored('rate-limited');
    result = await route(parsed, sender!, from?.name, mail, messageHash);
  } catch (error) {
    // The retry (S3/SES deliver again) takes the message again.
    await releaseInboundMail(messageHash).catch(() => undefined);
    throw error;
  }
  // A mail that landed on a case is kept with it and goes when the case goes; one that did not
  // stays under inbound/ for the short lifecycle. A failed move leaves it there (it is not lost,
  // only kept for the shorter time), and is not retried: the case already has the mail's content.
  if (result.outcome !== 'ignored')
    await keepWithCase(mail.key, result.complaintId).catch((error) =>
      log.warn('landed mail left under inbound/', { complaintId: result.complaintId, error }),
    );
  return result;
}

async function route(
  parsed: ParsedMail,
  sender: string,
  fromName: string | undefined,
  mail: ReceivedMail,
  messageHash: string,
): Promise<ReceiveMailResult> {
  const { inbound } = settings().desk;
  const inboundDomain = domainOf(inbound.address);
  const recipients = [
    ...new Set([
      ...mail.recipients.map((r) => r.trim().toLowerCase()),
      ...addressesOf(parsed.to),
      ...addressesOf(parsed.cc),
    ]),
  ];
  const reply = recipients.map((r) => parseReplyAddress(r, inboundDomain)).find(Boolean);
  if (reply) {
    const complaint = await getComplaint(reply.complaintId);
    if (
      !complaint ||
      complaint.complainant.email?.toLowerCase() !== sender ||
      !(await isReplyMacValid(complaint.id, sender, reply.mac))
    )
      return ignored('reply-not-from-complainant');
    const problem = landingProblem(mail.verdicts);
    if (problem) return ignored(problem);
    return isOpen(complaint.status) ? landOnCase(complaint, parsed) : landAfterClosing(complaint, parsed);
  }
  const number = caseNumberIn(parsed.subject);
  if (number) {
    const complaint = await findComplaintByNumber(number);
    if (complaint && complaint.complainant.email?.toLowerCase() === sender) {
      const problem = landingProblem(mail.verdicts);
      if (problem) return ignored(problem);
      return keepUnverified(complaint, parsed);
    }
  }
  if (!recipients.includes(inbound.address)) return ignored('not-for-desk');
  return fileFromMail(parsed, sender, fromName, messageHash);
}

/** Subject and text (HTML reduced to text by mailparser's html-to-text when there is no text part). */
const textOf = (parsed: ParsedMail) => (parsed.text ?? '').trim();

async function fileFromMail(
  parsed: ParsedMail,
  sender: string,
  fromName: string | undefined,
  messageHash: string,
): Promise<ReceiveMailResult> {
  const { inbound } = settings().desk;
  const body = intakeFromMail({
    fromAddress: sender,
    fromName,
    subject: parsed.subject,
    text: textOf(parsed),
    defaultCategory: inbound.defaultCategory,
  });
  let answer;
  try {
    // Keyed by the message: a repeated delivery gets the first answer and files nothing.
    answer = await fileComplaint({
      body,
      channels: ['email'],
      idempotencyKey: `mail-${messageHash.slice(0, 64)}`,
      readerLanguage: languageOfText(String(body.description)),
    });
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    // Invalid, banned or out of scope: nothing is filed; not answered by mail (no loops with robots).
    log.info('mail not filed', { problem: error.name });
    return ignored('refused');
  }
  // Held for its sender to confirm (a matter with a final ruling): nothing was filed.
  if (!answer.complaint) return ignored('held');
  const complaintId = answer.complaint.id;
  const attachments = await attachmentsAsEvidence(complaintId, parsed.attachments);
  log.info('complaint filed by mail', { complaintId, kind: answer.kind, attachments });
  return { outcome: answer.kind === 'linked' ? 'linked' : 'filed', complaintId, attachments };
}

async function landOnCase(complaint: ComplaintRecord, parsed: ParsedMail): Promise<ReceiveMailResult> {
  const text = stripQuotedHistory(textOf(parsed)).slice(0, 5000);
  const event: ComplaintEvent = {
    at: currentTime().toISOString(),
    actor: 'complainant',
    action: 'complainant.replied',
    details: {
      channel: 'email',
      text,
      attachments: parsed.attachments.length,
      complainantNote: { 'zh-CN': text, en: text },
    },
  };
  await recordComplainantReply(complaint.id, event);
  // Mail from the complainant's own address (SES checked its sender) about their case: the address is real.
  await markEngaged(complainantKeyOf(complaint.complainant), event.at);
  const attachments = await attachmentsAsEvidence(complaint.id, parsed.attachments);
  // A reply while the desk waits for information answers it: the acceptance review resumes.
  const answeredInformation =
    complaint.currentStep === 'information' &&
    !!text &&
    (await completeCurrentTask(
      complaint.id,
      'information',
      { step: 'information', decision: 'answer', answer: text },
      'complainant',
    ));
  // A reply while the desk's message awaits the complainant's answer ends the wait.
  const answeredMessage = !answeredInformation && (await endWaitFor(complaint, 'complainant', text));
  // The assignee hears of it (not when the case waits on the complainant: then the answer reopens the review).
  if (complaint.assignee && complaint.assignee.toLowerCase() !== complaint.complainant.email?.toLowerCase()) {
    try {
      await notifyThroughOutbox(
        complaint.id,
        'complainant.replied',
        notice(
          'complainant.replied',
          { email: complaint.assignee },
          { number: complaint.number, text, attachments: parsed.attachments.length },
        ),
      );
    } catch (error) {
      log.warn('reply recorded but the assignee was not told', { complaintId: complaint.id, error });
    }
  }
  log.info('complainant reply recorded', {
    complaintId: complaint.id,
    answeredInformation,
    answeredMessage,
    attachments,
  });
  return { outcome: 'replied', complaintId: complaint.id, answeredInformation, attachments };
}

/**
 * A mail that names a case's number from its complainant's address: anyone can forge a From, so
 * it acts on nothing (answers no request, resumes no clock) and its attachments are not taken. Its
 * text is kept as an addition the complainant has not confirmed, as a repeat filing is (staff see
 * it marked; the tracking page asks the complainant to confirm it), and the mailbox's owner is
 * told to reply to the case's own mail instead.
 */
async function keepUnverified(complaint: ComplaintRecord, parsed: ParsedMail): Promise<ReceiveMailResult> {
  const text = stripQuotedHistory(textOf(parsed)).slice(0, 5000);
  await recordComplainantReply(complaint.id, {
    at: currentTime().toISOString(),
    actor: 'complainant',
    action: 'complaint.linked-duplicate',
    details: {
      channel: 'email',
      description: text || cleanedSubject(parsed),
      attachments: parsed.attachments.length,
      complainantNote: USE_CASE_TEXTS.mailAddedNote,
      verified: false,
    },
  });
  try {
    await notifyThroughOutbox(
      complaint.id,
      'mail.unverified',
      await complainantNotice(complaint, 'mail.unverified', {}),
    );
  } catch (error) {
    log.warn('unverified mail kept but its sender was not told', { complaintId: complaint.id, error });
  }
  log.info('mail naming a case kept unverified', { complaintId: complaint.id });
  return { outcome: 'unverified', complaintId: complaint.id };
}

const cleanedSubject = (parsed: ParsedMail) => (parsed.subject ?? '').trim().slice(0, 500);

/**
 * A reply to a closed case is recorded (its text and attachments, for the record), and its sender
 * learns the case is closed and what they can do: a review while its window is open, or a new
 * complaint. Nobody at the desk is told, since no work is due.
 */
async function landAfterClosing(complaint: ComplaintRecord, parsed: ParsedMail): Promise<ReceiveMailResult> {
  const { desk, clockScale, publicBaseUrl } = settings();
  const text = stripQuotedHistory(textOf(parsed)).slice(0, 5000);
  const now = currentTime();
  await recordComplainantReply(complaint.id, {
    at: now.toISOString(),
    actor: 'complainant',
    action: 'complainant.replied-after-closing',
    details: { channel: 'email', text, attachments: parsed.attachments.length },
  });
  const attachments = await attachmentsAsEvidence(complaint.id, parsed.attachments);
  const review = reviewEligibility(
    complaint,
    serviceLevelsFor(desk, complaint.category, complaint.priority),
    clockScale,
    now,
  );
  try {
    await notifyThroughOutbox(
      complaint.id,
      'reply.after-closing',
      await complainantNotice(complaint, 'closed-case.reply', {
        ...(review.ok ? { reviewUntil: review.until.toISOString() } : {}),
        formUrl: `${publicBaseUrl}/`,
      }),
    );
  } catch (error) {
    log.warn('reply to a closed case recorded but its sender was not told', { complaintId: complaint.id, error });
  }
  log.info('reply to a closed case recorded', { complaintId: complaint.id, attachments });
  return { outcome: 'after-closing', complaintId: complaint.id };
}

/**
 * Each attachment becomes an upload slot and an object under the complaint's evidence prefix, as
 * an upload would: the evidence check (RecordEvidence) then checks size, type and first bytes when
 * it lands, and records it or quarantines it. Past the desk's file limit the rest are left out.
 */
async function attachmentsAsEvidence(complaintId: string, attachments: readonly Attachment[]): Promise<number> {
  const { evidence } = settings().desk;
  let written = 0;
  for (const [index, attachment] of attachments.entries()) {
    const contentType = (attachment.contentType || 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
    const slot = newEvidenceSlot();
    const key = evidenceKey(complaintId, slot);
    try {
      await issueUploadSlot({
        complaintId,
        key,
        slot,
        request: {
          fileName: evidenceDisplayName(evidenceNameOf(attachment.filename, index), contentType),
          contentType,
          size: Math.max(1, attachment.size || attachment.content.length),
        },
        maxBytes: maxBytesFor(contentType, evidence),
        // As the upload grant counts them: slots handed out, used or not.
        maxSlots: evidence.maxFiles * 2,
        expiresInSeconds: evidence.uploadSeconds,
        now: currentTime(),
      });
    } catch (error) {
      if (error instanceof UploadLimitReachedError) {
        log.warn('mail attachments past the evidence limit left out', {
          complaintId,
          left: attachments.length - index,
        });
        break;
      }
      throw error;
    }
    await putAttachmentObject(key, attachment.content, contentType);
    written++;
  }
  return written;
}
