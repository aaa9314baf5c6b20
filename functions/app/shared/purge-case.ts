import { log } from '../../lib/log';
import { type ExpiredCase, purgeCaseItems } from '../../store/case-purge';
import { purgeComplaintEvidence } from '../../store/evidence-objects';
import { purgeCaseMail } from '../../store/inbound-objects';

/**
 * The one purge of a case, for its record's expiry (retention, by TTL) and its erasure (PIPL Art.
 * 47): every other item of the case (history, upload slots, outbox, task links, the complainant's
 * pointer on the matter), its evidence, recorded and quarantined, and the raw mails that landed on
 * it. An expiry deletes the number too (the record is gone); an erasure keeps the record and its
 * number, for the caller to rewrite as erased. Each delete is idempotent: a purge stopped half-way
 * is simply run again.
 */
export async function purgeCase(
  target: ExpiredCase,
  reason: 'expired' | 'erased',
): Promise<{ items: number; objects: number }> {
  const items = await purgeCaseItems(target, { keepRecord: reason === 'erased' });
  const objects = (await purgeComplaintEvidence(target.complaintId)) + (await purgeCaseMail(target.complaintId));
  log.info('case purged', { complaintId: target.complaintId, reason, items, objects });
  return { items, objects };
}
