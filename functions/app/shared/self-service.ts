import type { ComplaintRecord } from '../../domain/complaint';
import type { Language } from '../../domain/language';
import type { HttpError } from '../../lib/http';
import type { NoticeId } from '../../pages/self-service';

/**
 * What a complainant's action from the tracking link came to: done (what the JSON API answers)
 * or refused (the problem), each with the notice the tracking page shows after a plain form.
 */
export type SelfServiceResult =
  | { ok: true; notice: NoticeId; status: number; body: unknown }
  | { ok: false; notice: NoticeId; problem: HttpError };

/** The complaint the tracking link opened, what was sent (form fields or JSON), and the reader's language. */
export interface SelfServiceInput {
  complaint: ComplaintRecord;
  fields: Record<string, unknown>;
  language: Language;
}

export const done = (notice: NoticeId, status: number, body: unknown): SelfServiceResult => ({
  ok: true,
  notice,
  status,
  body,
});
export const refused = (notice: NoticeId, problem: HttpError): SelfServiceResult => ({ ok: false, notice, problem });

/** A free-text field as sent (form or JSON), trimmed, at most `max` characters. */
export function textField(fields: Record<string, unknown>, name: string, max = 2000): string {
  const value = fields[name];
  return (
    typeof value === 'string'
      ? value
      : Array.isArray(value)
        ? String(value[value.length - 1] ?? '')
        : value === undefined || value === null
          ? ''
          : String(value)
  )
    .trim()
    .slice(0, max + 1);
}
