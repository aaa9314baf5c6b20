import type { Language } from '../domain/language';
import type { StaffMember } from '../domain/staff';
import { HttpError, ValidationError } from '../lib/http';
import { log } from '../lib/log';
import { complaintsByIds } from '../store/case-views';
import { sendMessage } from './send-message';
import { addInternalNote, reassignTask } from './staff-reassign';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

/**
 * Bulk actions on the rows picked in a case view: each row goes through the same use case as the
 * one-case action (staff-reassign.ts), one after another, and each row's outcome is reported:
 * done, or why not (the use case's own problem, in the reader's language).
 */
type RowAction = (member: StaffMember, id: string, fields: BulkFields, language: Language) => Promise<unknown>;

export interface BulkFields {
  /** Reassign: the new holder. */
  to?: unknown;
  /** The reason of a reassignment, or the note. */
  text?: unknown;
  /** Send a canned reply: the reply's id (filled for each case in its complainant's language). */
  reply?: unknown;
}

/** The actions a bulk request may name, each one row's use case. */
export const BULK_ACTIONS: Record<string, RowAction> = {
  reassign: (member, id, fields, language) =>
    reassignTask(member, id, { to: fields.to, reason: fields.text }, language),
  note: (member, id, fields, language) => addInternalNote(member, id, fields.text, language),
  // A canned reply to each case's complainant, filled for that case in the complainant's language.
  reply: (member, id, fields, language) =>
    sendMessage(member, id, { to: 'complainant', canned: fields.reply, text: '' }, language),
};

/** At most this many rows in one request (a page of the view). */
export const BULK_MAX_ROWS = 100;

export interface BulkRowOutcome {
  id: string;
  number?: string;
  ok: boolean;
  /** Why the row failed, in the reader's language. */
  message?: string;
  type?: string;
}

function messageOf(error: HttpError, language: Language): string {
  const details = (error.options.errors ?? []).map(
    (e) => `${e.path}: ${typeof e.message === 'string' ? e.message : e.message[language]}`,
  );
  return [error.title[language], ...details].join(' — ');
}

export async function bulkAction(
  member: StaffMember,
  action: unknown,
  ids: readonly string[],
  fields: BulkFields,
  language: Language,
): Promise<BulkRowOutcome[]> {
  const run = typeof action === 'string' ? BULK_ACTIONS[action] : undefined;
  const errors = [
    ...(run
      ? []
      : [
          {
            path: 'action',
            message: USE_CASE_TEXTS.bulkActionOneOf(Object.keys(BULK_ACTIONS))[language],
          },
        ]),
    ...(ids.length === 0 ? [{ path: 'ids', message: USE_CASE_TEXTS.bulkPickOne[language] }] : []),
    ...(ids.length > BULK_MAX_ROWS
      ? [{ path: 'ids', message: USE_CASE_TEXTS.bulkAtMost(BULK_MAX_ROWS)[language] }]
      : []),
  ];
  if (errors.length) throw new ValidationError(errors);
  const unique = [...new Set(ids)];
  const numbers = new Map((await complaintsByIds(unique)).map((c) => [c.id, c.number]));
  const outcomes: BulkRowOutcome[] = [];
  for (const id of unique) {
    const number = numbers.get(id);
    try {
      await run!(member, id, fields, language);
      outcomes.push({ id, ...(number ? { number } : {}), ok: true });
    } catch (error) {
      if (!(error instanceof HttpError)) {
        log.error('a bulk row failed', { error, complaintId: id, action });
        outcomes.push({
          id,
          ...(number ? { number } : {}),
          ok: false,
          message: USE_CASE_TEXTS.bulkRowFailed[language],
          type: 'urn:redress:problem:internal-error',
        });
        continue;
      }
      outcomes.push({
        id,
        ...(number ? { number } : {}),
        ok: false,
        message: messageOf(error, language),
        type: error.type,
      });
    }
  }
  return outcomes;
}
