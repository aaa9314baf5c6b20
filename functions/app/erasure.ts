import type { ComplaintRecord } from '../domain/complaint';
import { erasureDeadline } from '../domain/erasure';
import type { ComplaintEvent } from '../domain/history';
import { isOpen } from '../domain/lifecycle';
import { mayReassign, type StaffMember } from '../domain/staff';
import { currentTime } from '../lib/clock';
import { ValidationError } from '../lib/http';
import { log } from '../lib/log';
import { ConflictError } from '../lib/problems';
import { settings } from '../lib/settings';
import { StaffForbiddenError } from '../lib/problems';
import { getComplaint } from '../store/complaints';
import { recordErasureRequest, recordLegalHold, releaseLegalHold } from '../store/erasure';
import { caseForArchive } from './case-archive';
import { complainantNotice } from './shared/complainant-recipient';
import { deliver, outgoingNotice } from './shared/notifier';
import { done, refused, textField, type SelfServiceInput, type SelfServiceResult } from './shared/self-service';
import { withdraw } from './withdraw';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

const ALREADY = USE_CASE_TEXTS.erasureAlready;
const UNCONFIRMED = USE_CASE_TEXTS.erasureUnconfirmed;

/**
 * The complainant asks, from the tracking link and after a confirmation step (`confirm=yes`), for
 * their personal data on this case to be erased. An open case is withdrawn first (withdraw.ts,
 * with its own mail); the request is then recorded with its deadline (`desk.rights.erasureDays`),
 * which puts the case in the purge index unless a legal hold defers it, and the complainant is
 * mailed what will be erased and by when.
 */
export async function requestErasure(input: SelfServiceInput): Promise<SelfServiceResult> {
  if (textField(input.fields, 'confirm') !== 'yes')
    return refused(
      'erasure-unconfirmed',
      new ValidationError(
        [
          {
            path: 'confirm',
            message: USE_CASE_TEXTS.erasureConfirmYes,
          },
        ],
        UNCONFIRMED,
      ),
    );
  let complaint: ComplaintRecord | undefined = input.complaint;
  if (complaint.erasureRequestedAt)
    return refused('erasure-already', new ConflictError('urn:redress:problem:erasure-requested', ALREADY));
  if (isOpen(complaint.status)) {
    const withdrawn = await withdraw({
      ...input,
      fields: { reason: USE_CASE_TEXTS.erasureWithdrawReason[input.language] },
    });
    if (!withdrawn.ok && withdrawn.notice === 'withdraw-busy') return refused('erasure-busy', withdrawn.problem);
    complaint = await getComplaint(complaint.id);
    if (!complaint) throw new Error(`complaint ${input.complaint.id} vanished while being withdrawn`);
  }
  const { desk } = settings();
  const now = currentTime();
  const at = now.toISOString();
  const dueAt = erasureDeadline(now, desk.rights.erasureDays);
  const event: ComplaintEvent = {
    at,
    actor: 'complainant',
    action: 'erasure.requested',
    details: {
      dueAt: dueAt.toISOString(),
      ...(complaint.legalHold ? { held: true } : {}),
      complainantNote: USE_CASE_TEXTS.erasureDueNote(dueAt.toISOString().slice(0, 10), Boolean(complaint.legalHold)),
    },
  };
  const mail = outgoingNotice(
    complaint.id,
    'erasure.requested',
    await complainantNotice(complaint, 'erasure.requested', {
      dueAt: dueAt.toISOString(),
      held: !!complaint.legalHold,
    }),
    at,
  );
  if (!(await recordErasureRequest(complaint, at, dueAt, event, mail.writes)))
    return refused('erasure-already', new ConflictError('urn:redress:problem:erasure-requested', ALREADY));
  await deliver(mail);
  log.info('erasure requested', { complaintId: complaint.id, dueAt: dueAt.toISOString(), held: !!complaint.legalHold });
  return done('erasure-requested', 202, {
    id: complaint.id,
    erasureRequestedAt: at,
    erasureDueAt: dueAt.toISOString(),
    ...(complaint.legalHold ? { legalHold: true } : {}),
  });
}

/**
 * A supervisor (of the case's team, or a manager or admin) places or releases a legal hold with a
 * reason. Placed: erasure and the record's expiry wait. Released: both go on (an erasure due in
 * the past is due now). The complainant is told either way.
 */
export async function setLegalHold(
  member: StaffMember,
  id: string,
  input: { action: unknown; reason: unknown },
): Promise<{ held: boolean }> {
  const complaint = await caseForArchive(member, id);
  if (!mayReassign(member, settings().desk, complaint.category)) throw new StaffForbiddenError();
  const reason = typeof input.reason === 'string' ? input.reason.trim().slice(0, 2000) : '';
  const action = input.action === 'release' ? 'release' : input.action === 'place' ? 'place' : undefined;
  if (!action || (action === 'place' && !reason))
    throw new ValidationError([
      ...(action ? [] : [{ path: 'action', message: USE_CASE_TEXTS.legalHoldAction }]),
      ...(action === 'place' && !reason
        ? [
            {
              path: 'reason',
              message: USE_CASE_TEXTS.reasonRequired,
            },
          ]
        : []),
    ]);
  if (complaint.erasedAt) throw new ConflictError('urn:redress:problem:case-erased', USE_CASE_TEXTS.caseErased);
  const now = currentTime();
  const at = now.toISOString();
  if (action === 'place') {
    const event: ComplaintEvent = {
      at,
      actor: member.role,
      action: 'legal-hold.placed',
      details: { reason, by: member.email, complainantNote: { 'zh-CN': reason, en: reason } },
    };
    const mail = outgoingNotice(
      id,
      'legal-hold.placed',
      await complainantNotice(complaint, 'legal-hold', { placed: true, reason }),
      at,
    );
    if (!(await recordLegalHold(complaint, { reason, by: member.email, at }, event, mail.writes)))
      throw new ConflictError('urn:redress:problem:legal-hold', USE_CASE_TEXTS.legalHoldRefused);
    await deliver(mail);
    log.info('legal hold placed', { complaintId: id, role: member.role });
    return { held: true };
  }
  const event: ComplaintEvent = {
    at,
    actor: member.role,
    action: 'legal-hold.released',
    details: { by: member.email, ...(reason ? { reason } : {}) },
  };
  const dueAt = new Date(Math.max(now.getTime(), new Date(complaint.erasureDueAt ?? at).getTime()));
  const mail = outgoingNotice(
    id,
    'legal-hold.released',
    await complainantNotice(complaint, 'legal-hold', { placed: false }),
    at,
  );
  if (!(await releaseLegalHold(complaint, at, dueAt, event, mail.writes)))
    throw new ConflictError('urn:redress:problem:legal-hold', USE_CASE_TEXTS.noLegalHold);
  await deliver(mail);
  log.info('legal hold released', { complaintId: id, role: member.role });
  return { held: false };
}
