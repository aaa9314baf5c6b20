import type { ComplaintRecord } from '../domain/complaint';
import type { ComplaintEvent } from '../domain/history';
import { isOpen } from '../domain/lifecycle';
import { respondentEvidence } from '../domain/evidence-policy';
import type { FieldError } from '../domain/field-errors';
import { MESSAGE_TEXT_LIMIT, parseAttachmentIds, type MessageRecipient } from '../domain/messages';
import type { MessageAttachment } from '../domain/steps';
import { currentTime } from '../lib/clock';
import { ValidationError } from '../lib/http';
import { ConflictError } from '../lib/problems';
import { updateComplaint } from '../store/complaints';
import { listEvents } from '../store/events';
import { endWaitFor } from './shared/end-wait';
import { done, refused, textField, type SelfServiceInput, type SelfServiceResult } from './shared/self-service';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

const CLOSED = USE_CASE_TEXTS.answerClosed;

function textOrRefuse(fields: Record<string, unknown>, language: SelfServiceInput['language']): string {
  const text = textField(fields, 'text', MESSAGE_TEXT_LIMIT);
  if (!text || text.length > MESSAGE_TEXT_LIMIT)
    throw new ValidationError([
      {
        path: 'text',
        message: USE_CASE_TEXTS.messageTextRequired(MESSAGE_TEXT_LIMIT)[language],
      },
    ]);
  return text;
}

/** A party's message, written on the case (its event), then the wait it answers ended. */
async function write(
  complaint: ComplaintRecord,
  from: MessageRecipient,
  text: string,
  channel: string,
  attachments: MessageAttachment[] = [],
) {
  const at = currentTime().toISOString();
  const event: ComplaintEvent =
    from === 'complainant'
      ? {
          at,
          actor: 'complainant',
          action: 'complainant.wrote',
          details: { channel, text, complainantNote: { 'zh-CN': text, en: text } },
        }
      : {
          at,
          actor: 'respondent',
          action: 'respondent.wrote',
          details: { channel, text, ...(attachments.length ? { attachments } : {}) },
        };
  await updateComplaint(complaint.id, {}, event, [], { whileOpen: true });
  const answered = await endWaitFor(complaint, from, text);
  return { at, answered };
}

/** POST /complaints/{id}/messages by the tracking link: the complainant writes to the desk (`text`). */
export async function complainantWrites({ complaint, fields, language }: SelfServiceInput): Promise<SelfServiceResult> {
  if (!isOpen(complaint.status))
    return refused('message-closed', new ConflictError('urn:redress:problem:case-closed', CLOSED));
  let text: string;
  try {
    text = textOrRefuse(fields, language);
  } catch (error) {
    return refused('message-invalid', error as ValidationError);
  }
  const { at, answered } = await write(complaint, 'complainant', text, 'web');
  return done('message-sent', 201, { sent: true, at, answeredWait: answered });
}

/**
 * The respondent writes to the desk from their link (`text`, optional `attachments`: files they
 * uploaded from the link, each checked and recorded first, as evidence is).
 */
export async function respondentWrites(
  complaint: ComplaintRecord,
  fields: Record<string, unknown>,
  language: SelfServiceInput['language'],
): Promise<{ at: string; answered: boolean }> {
  if (!isOpen(complaint.status)) throw new ConflictError('urn:redress:problem:case-closed', CLOSED);
  const text = textOrRefuse(fields, language);
  const errors: FieldError[] = [];
  const ids = parseAttachmentIds(fields.attachments, language, errors);
  const theirs = new Map(
    ids.length && !errors.length ? respondentEvidence(await listEvents(complaint.id)).map((f) => [f.id, f]) : [],
  );
  const attachments: MessageAttachment[] = [];
  for (const id of errors.length ? [] : ids) {
    const file = theirs.get(id);
    if (file) attachments.push({ id: file.id, name: file.name, contentType: file.contentType, size: file.size });
    else
      errors.push({
        path: 'attachments',
        message: USE_CASE_TEXTS.answerAttachmentUnknown(id)[language],
      });
  }
  if (errors.length) throw new ValidationError(errors);
  return write(complaint, 'respondent', text, 'web', attachments);
}
