import { complainantItemsToForget } from '../../domain/erasure';
import { log } from '../../lib/log';
import { purgeCaseArchives } from '../../store/archive-objects';
import { type ExpiredCase, purgeCaseItems } from '../../store/case-purge';
import { getComplaint } from '../../store/complaints';
import { forgetEngaged } from '../../store/engaged-addresses';
import { purgeComplaintEvidence } from '../../store/evidence-objects';
import { purgeCaseMail } from '../../store/inbound-objects';
import { forgetPhone } from '../../store/phones';
import { complaintsOfComplainant } from '../../store/staff-queue';

/**
 * The one purge of a case, for its record's expiry (retention, by TTL) and its erasure (PIPL Art.
 * 47): every other item of the case (history, upload slots, outbox, task links, the short links
 * of its texts, the complainant's pointer on the matter), its evidence, recorded and quarantined,
 * the raw mails that landed on it, the archives made of it, and what the desk keeps under the complainant's number and
 * address (opt-out, text counts, the address's proof) unless another kept case of theirs needs
 * it. An expiry deletes the number too (the record is gone); an erasure keeps the record and its
 * number, for the caller to rewrite as erased. Each delete is idempotent: a purge stopped
 * half-way is simply run again.
 */
export async function purgeCase(
  target: ExpiredCase,
  reason: 'expired' | 'erased',
): Promise<{ items: number; objects: number }> {
  let items = await purgeCaseItems(target, { keepRecord: reason === 'erased' });
  const forget = complainantItemsToForget(
    { id: target.complaintId, phone: target.phone, complainantKey: target.complainantKey },
    await theirOtherCases(target),
  );
  if (forget.phone) items += await forgetPhone(forget.phone);
  if (forget.complainantKey) {
    await forgetEngaged(forget.complainantKey);
    items++;
  }
  const objects =
    (await purgeComplaintEvidence(target.complaintId)) +
    (await purgeCaseMail(target.complaintId)) +
    (await purgeCaseArchives(target.complaintId));
  log.info('case purged', { complaintId: target.complaintId, reason, items, objects });
  return { items, objects };
}

/** The complainant's other cases still kept (one person's: the byComplainant index, at most 50), with their numbers. */
async function theirOtherCases(target: ExpiredCase) {
  if (!target.complainantKey) return [];
  const others = (await complaintsOfComplainant(target.complainantKey)).filter((c) => c.id !== target.complaintId);
  if (!target.phone) return others.map((c) => ({ id: c.id }));
  const records = await Promise.all(others.map((c) => getComplaint(c.id)));
  return records.flatMap((c) =>
    c ? [{ id: c.id, ...(c.complainant.phone ? { phone: c.complainant.phone } : {}), erasedAt: c.erasedAt }] : [],
  );
}
