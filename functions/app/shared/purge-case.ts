import type { ComplaintRecord } from '../../domain/complaint';
import { complainantItemsToForget, type FormerAddress, type KeptCase } from '../../domain/erasure';
import { complainantKeyOf } from '../../domain/intake-rules';
import { log } from '../../lib/log';
import { purgeCaseArchives } from '../../store/archive-objects';
import { type ExpiredCase, purgeCaseItems } from '../../store/case-purge';
import { getComplaint } from '../../store/complaints';
import { forgetEngaged } from '../../store/engaged-addresses';
import { purgeComplaintEvidence } from '../../store/evidence-objects';
import { purgeCaseMail } from '../../store/inbound-objects';
import { forgetPhone, otherPhoneHolder, releasePhone } from '../../store/phones';
import { forgetSuppression, suppressionKeyOf } from '../../store/suppressions';
import { complaintsOfComplainant } from '../../store/staff-queue';

/**
 * The one purge of a case, for its record's expiry (retention, by TTL) and its erasure (PIPL Art.
 * 47): every other item of the case (history, upload slots, outbox, task links, the short links
 * of its texts, the complainant's pointer on the matter), its evidence, recorded and quarantined,
 * the raw mails that landed on it, the archives made of it, and what the desk keeps under the
 * complainant's number and address (opt-out, text counts, the address's proof and suppression),
 * and what is kept under each address the case left or was waiting to confirm, unless another kept
 * case needs it. An expiry deletes the number too (the record is gone); an erasure keeps the
 * record and its number, for the caller to rewrite as erased. Each delete is idempotent: a purge
 * stopped half-way is simply run again.
 */
export async function purgeCase(
  target: ExpiredCase,
  reason: 'expired' | 'erased',
): Promise<{ items: number; objects: number }> {
  let items = await purgeCaseItems(target, { keepRecord: reason === 'erased' });
  const formerAddresses = addressesLeft(target);
  if (target.phone) await releasePhone(target.phone, target.complaintId);
  const forget = complainantItemsToForget(
    { id: target.complaintId, phone: target.phone, complainantKey: target.complainantKey, formerAddresses },
    await otherKeptCases(target, formerAddresses),
  );
  if (forget.phone) items += await forgetPhone(forget.phone);
  if (forget.complainantKey) {
    await forgetEngaged(forget.complainantKey);
    if (target.email) await forgetSuppression({ email: target.email });
    items += target.email ? 2 : 1;
  }
  for (const left of forget.formerAddresses ?? []) {
    await forgetEngaged(left.complainantKey);
    if (left.suppressionHash) await forgetSuppression({ hash: left.suppressionHash });
    items += left.suppressionHash ? 2 : 1;
  }
  const objects =
    (await purgeComplaintEvidence(target.complaintId)) +
    (await purgeCaseMail(target.complaintId)) +
    (await purgeCaseArchives(target.complaintId));
  log.info('case purged', { complaintId: target.complaintId, reason, items, objects });
  return { items, objects };
}

/** The addresses the case left, and the one it was waiting to confirm (its confirmation mail may have bounced). */
function addressesLeft(target: ExpiredCase): FormerAddress[] {
  const pending = target.pendingEmail;
  return [
    ...(target.formerAddresses ?? []),
    ...(pending ? [{ complainantKey: complainantKeyOf(pending), suppressionHash: suppressionKeyOf(pending) }] : []),
  ];
}

/**
 * The other cases still kept of the same complainant, or entered by staff under the number alone,
 * or using an address the case left (byComplainant, under each key: one person's cases, at most 50
 * each, under at most MAX_FORMER_ADDRESSES + 3 keys), with their numbers; and one kept case of
 * anyone else that holds the number (its `PHONE#` / `CASE#` item: one read).
 */
async function otherKeptCases(target: ExpiredCase, formerAddresses: readonly FormerAddress[]): Promise<KeptCase[]> {
  const keys = [
    ...new Set([
      target.complainantKey,
      target.phone ? complainantKeyOf({ phone: target.phone }) : undefined,
      ...formerAddresses.map((a) => a.complainantKey),
    ]),
  ].filter((key): key is string => !!key);
  const found = new Map<string, ComplaintRecord>();
  for (const key of keys)
    for (const c of await complaintsOfComplainant(key)) if (c.id !== target.complaintId) found.set(c.id, c);
  // A holder is a kept case by construction: its purge deletes its item.
  const holder = target.phone ? await otherPhoneHolder(target.phone, target.complaintId) : undefined;
  const holders: KeptCase[] = holder ? [{ id: holder, phone: target.phone }] : [];
  if (!target.phone) return [...found.values()].map((c) => ({ id: c.id, complainantKey: c.complainantKey }));
  // The index carries no phone: each record is read (a person's few cases).
  const records = await Promise.all([...found.keys()].map((id) => getComplaint(id)));
  return [
    ...holders,
    ...records.flatMap((c) =>
      c
        ? [
            {
              id: c.id,
              ...(c.complainant.phone ? { phone: c.complainant.phone } : {}),
              ...(c.complainantKey ? { complainantKey: c.complainantKey } : {}),
              ...(c.erasedAt ? { erasedAt: c.erasedAt } : {}),
            },
          ]
        : [],
    ),
  ];
}
