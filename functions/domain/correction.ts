import * as z from 'zod/mini';
import { LIMITS } from './complaint';
import type { Language } from './language';

/**
 * Correction of a complainant's contact details (PIPL Art. 46), from the tracking page. A name is
 * corrected at once. A new address is used only once it is confirmed from its own mailbox: a link
 * with a one-time code goes to it, valid CONFIRMATION_SECONDS; until then mail goes on to the old
 * address, and the record keeps only the code's hash with the address it confirms.
 */
export const CONFIRMATION_SECONDS = 24 * 3600;

export interface PendingEmail {
  address: string;
  codeHash: string;
  expiresAt: string;
}

export type CorrectionInput =
  | { ok: true; name?: string; email?: string }
  | { ok: false; errors: { path: string; message: string }[] };

const email = z.email().check(z.maxLength(LIMITS.email));

/** What the complainant asked to change, validated: a name (1–100 characters) and/or an address; at least one. */
export function parseCorrection(
  fields: { name?: unknown; email?: unknown },
  current: { name: string; email?: string },
  language: Language,
): CorrectionInput {
  const zh = language === 'zh-CN';
  const errors: { path: string; message: string }[] = [];
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const name = text(fields.name);
  const address = text(fields.email).toLowerCase();
  if (name && name.length > LIMITS.name)
    errors.push({ path: 'name', message: zh ? `最多 ${LIMITS.name} 个字符` : `at most ${LIMITS.name} characters` });
  if (address && !email.safeParse(address).success)
    errors.push({ path: 'email', message: zh ? '不是有效的邮箱地址' : 'not a valid email address' });
  const newName = name && name !== current.name ? name : undefined;
  const newEmail = address && address !== (current.email ?? '').trim().toLowerCase() ? address : undefined;
  if (!errors.length && !newName && !newEmail)
    errors.push({
      path: 'name',
      message: zh ? '请填写新的姓名或新的邮箱地址' : 'give a new name or a new email address',
    });
  return errors.length
    ? { ok: false, errors }
    : { ok: true, ...(newName ? { name: newName } : {}), ...(newEmail ? { email: newEmail } : {}) };
}

/** Whether a pending address may still be confirmed with this code's hash at `now`. */
export function confirmable(pending: PendingEmail | undefined, codeHash: string, now: Date): boolean {
  return !!pending && pending.codeHash === codeHash && pending.expiresAt > now.toISOString();
}
