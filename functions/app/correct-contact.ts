import type { ComplaintRecord } from '../domain/complaint';
import { CONFIRMATION_SECONDS, confirmable, parseCorrection } from '../domain/correction';
import { type FormerAddress, formerAddressesAfter } from '../domain/erasure';
import type { ComplaintEvent } from '../domain/history';
import { COMPLAINT_ID_PATTERN, hashSecret, newSecret } from '../domain/ids';
import { complainantKeyOf } from '../domain/intake-rules';
import type { Language } from '../domain/language';
import { currentTime } from '../lib/clock';
import { ValidationError } from '../lib/http';
import { log } from '../lib/log';
import { ConflictError } from '../lib/problems';
import { settings } from '../lib/settings';
import { notice } from '../pages/notices';
import { getComplaint } from '../store/complaints';
import { confirmEmail, recordCorrection } from '../store/correction';
import { putEvent } from '../store/events';
import { suppressionKeyOf } from '../store/suppressions';
import { deliver, outgoingNotice } from './shared/notifier';
import { done, refused, type SelfServiceInput, type SelfServiceResult } from './shared/self-service';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

const ERASING = USE_CASE_TEXTS.correctionWhileErasing;

const TOO_MANY_ADDRESSES = USE_CASE_TEXTS.correctionTooManyAddresses;

/** What the purge will need of the address the case uses now, once it leaves it: its keys, never the address. */
function addressInUse(complaint: ComplaintRecord): FormerAddress {
  const address = complaint.complainant.email;
  return {
    complainantKey: complaint.complainantKey ?? complainantKeyOf(complaint.complainant),
    ...(address ? { suppressionHash: suppressionKeyOf(address) } : {}),
  };
}

/** Where a new address confirms itself: the code alone authorises this one change. */
export function contactConfirmationUrl(complaintId: string, code: string): string {
  return `${settings().publicBaseUrl}/complaints/${complaintId}/contact-confirmation?code=${encodeURIComponent(code)}`;
}

/**
 * The complainant corrects their name or contact address from the tracking link. A name is
 * corrected at once; a new address is mailed a one-time link and used only once confirmed from
 * it (confirmContactAddress). The history records each.
 */
export async function correctContact({ complaint, fields, language }: SelfServiceInput): Promise<SelfServiceResult> {
  if (complaint.erasureRequestedAt)
    return refused('correction-erasing', new ConflictError('urn:redress:problem:erasure-requested', ERASING));
  const parsed = parseCorrection(fields, complaint.complainant, language);
  if (!parsed.ok)
    return refused('correction-invalid', new ValidationError(parsed.errors, USE_CASE_TEXTS.correctionInvalid));
  if (parsed.email && !formerAddressesAfter(complaint.formerAddresses, addressInUse(complaint)))
    return refused(
      'correction-too-many-addresses',
      new ConflictError('urn:redress:problem:too-many-address-changes', TOO_MANY_ADDRESSES),
    );
  const now = currentTime();
  const at = now.toISOString();
  const code = parsed.email ? newSecret() : undefined;
  const pendingEmail =
    parsed.email && code
      ? {
          address: parsed.email,
          codeHash: hashSecret(code),
          expiresAt: new Date(now.getTime() + CONFIRMATION_SECONDS * 1000).toISOString(),
        }
      : undefined;
  const events: ComplaintEvent[] = [
    ...(parsed.name
      ? [{ at, actor: 'complainant', action: 'contact.corrected' as const, details: { fields: ['name'] } }]
      : []),
    ...(pendingEmail ? [{ at, actor: 'complainant', action: 'contact.change-requested' as const }] : []),
  ];
  const mail =
    pendingEmail && code
      ? outgoingNotice(
          complaint.id,
          'contact.confirm-address',
          notice(
            'contact.confirm-address',
            { email: pendingEmail.address, language: complaint.language },
            {
              name: parsed.name ?? complaint.complainant.name,
              number: complaint.number,
              confirmUrl: contactConfirmationUrl(complaint.id, code),
            },
          ),
          at,
        )
      : undefined;
  const [first, second] = events;
  const written = await recordCorrection(
    complaint.id,
    { ...(parsed.name ? { name: parsed.name } : {}), ...(pendingEmail ? { pendingEmail } : {}) },
    at,
    first,
    [...(second ? [putEvent(complaint.id, second, 1)] : []), ...(mail?.writes ?? [])],
  );
  if (!written)
    return refused('correction-erasing', new ConflictError('urn:redress:problem:erasure-requested', ERASING));
  await deliver(mail);
  log.info('contact corrected', { complaintId: complaint.id, name: !!parsed.name, emailPending: !!pendingEmail });
  return done(pendingEmail ? 'correction-confirm-mailed' : 'corrected', 200, {
    id: complaint.id,
    ...(parsed.name ? { name: parsed.name } : {}),
    ...(pendingEmail ? { pendingEmail: pendingEmail.address, confirmBy: pendingEmail.expiresAt } : {}),
  });
}

export type ConfirmResult = { kind: 'confirmed'; number: string; language: Language } | { kind: 'invalid' };

/**
 * A new address confirmed from its own mailbox: it comes into use (and the staff search's key with
 * it); the old address is told, and the case records the keys of what is kept under it (its proof
 * of being real, its suppression), so its purge forgets them too (purge-case.ts).
 */
export async function confirmContactAddress(id: string, code: string): Promise<ConfirmResult> {
  const complaint = COMPLAINT_ID_PATTERN.test(id) ? await getComplaint(id) : undefined;
  const now = currentTime();
  const pending = complaint?.pendingEmail;
  if (!complaint || !pending || !code || !confirmable(pending, hashSecret(code), now)) return { kind: 'invalid' };
  // Refused when asked if the bound was reached; the list only grows here.
  const formerAddresses = formerAddressesAfter(complaint.formerAddresses, addressInUse(complaint));
  if (!formerAddresses) return { kind: 'invalid' };
  const at = now.toISOString();
  // The old address is told, when the case had one (a case reached by text alone had none).
  const old = complaint.complainant.email;
  const mail = old
    ? outgoingNotice(
        complaint.id,
        'contact.address-changed',
        notice(
          'contact.address-changed',
          { email: old, language: complaint.language },
          { name: complaint.complainant.name, number: complaint.number },
        ),
        at,
      )
    : undefined;
  const confirmed = await confirmEmail(
    complaint.id,
    pending,
    complainantKeyOf(pending.address),
    { complainantKey: complaint.complainantKey, formerAddresses },
    at,
    {
      at,
      actor: 'complainant',
      action: 'contact.corrected',
      details: { fields: ['email'], confirmedFromNewMailbox: true },
    },
    mail?.writes ?? [],
  );
  if (!confirmed) return { kind: 'invalid' };
  await deliver(mail);
  log.info('contact address confirmed', { complaintId: complaint.id });
  return { kind: 'confirmed', number: complaint.number, language: complaint.language };
}
