import type { ComplaintRecord } from '../domain/complaint';
import type { ComplaintEvent } from '../domain/history';
import { COMPLAINT_ID_PATTERN } from '../domain/ids';
import type { Language } from '../domain/language';
import { isOpen } from '../domain/lifecycle';
import { mayReassign, maySeeCase, type StaffMember } from '../domain/staff';
import { currentTime } from '../lib/clock';
import { ValidationError } from '../lib/http';
import { trackingUrl } from '../lib/links';
import { log } from '../lib/log';
import { ConflictError, StaffForbiddenError } from '../lib/problems';
import { settings } from '../lib/settings';
import { closeComplaint, getComplaint } from '../store/complaints';
import { putEvent } from '../store/events';
import { findComplaintByNumber } from '../store/inbound-mails';
import { failedConditionsOf } from '../store/table';
import { retireTaskLink } from '../store/task-links';
import { currentLinkOf } from './shared/case';
import { complainantNotice } from './shared/complainant-recipient';
import { deliver, outgoingNotice } from './shared/notifier';
import { stopComplaintWorkflow } from './shared/workflow';
import { caseForStaff } from './staff-case';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

const TRIES = 4;

/**
 * A supervisor (or above) merges a case into another open case of the same complainant. In one
 * transaction: the merged case closes as `merged` with a pointer to the surviving one (its open
 * task link retired, so nobody decides it any more), the surviving case records what came in
 * (its staff page then shows the merged case's evidence and messages), and the complainant's mail
 * is queued. Then the merged case's execution is stopped: it ends without escalating, and a step
 * that runs in between finds the case closed.
 */
export async function mergeCases(
  member: StaffMember,
  id: string,
  body: Record<string, unknown>,
  language: Language,
): Promise<{ merged: string; into: { id: string; number: string } }> {
  const { desk } = settings();
  let source = await caseForStaff(member, id);
  if (!mayReassign(member, desk, source.category)) throw new StaffForbiddenError();
  const named = typeof body.into === 'string' ? body.into.trim().toUpperCase() : '';
  const target = COMPLAINT_ID_PATTERN.test(named)
    ? await getComplaint(named)
    : named
      ? await findComplaintByNumber(named)
      : undefined;
  const problem = !target
    ? USE_CASE_TEXTS.mergeNoTarget[language]
    : target.id === source.id
      ? USE_CASE_TEXTS.mergeIntoItself[language]
      : !isOpen(target.status)
        ? USE_CASE_TEXTS.mergeTargetClosed[language]
        : target.complainantKey !== source.complainantKey
          ? USE_CASE_TEXTS.mergeOtherComplainant[language]
          : !maySeeCase(member, desk, target.category)
            ? USE_CASE_TEXTS.mergeTargetHidden[language]
            : undefined;
  if (problem || !target) throw new ValidationError([{ path: 'into', message: problem! }]);
  const into = { id: target.id, number: target.number };

  for (let attempt = 1; ; attempt++) {
    if (!isOpen(source.status))
      throw new ConflictError('urn:redress:problem:complaint-closed', USE_CASE_TEXTS.mergeAlreadyClosed);
    const at = currentTime().toISOString();
    const link = await currentLinkOf(source);
    const mail = outgoingNotice(
      source.id,
      'closed.merged',
      await complainantNotice(source, 'closed.merged', {
        intoNumber: target.number,
        intoTrackingUrl: await trackingUrl(target.id, target.trackingSalt),
      }),
      at,
    );
    const mergedIn: ComplaintEvent = {
      at,
      actor: member.role,
      action: 'complaint.merged-in',
      details: { case: { id: source.id, number: source.number }, by: member.email },
    };
    const event: ComplaintEvent = {
      at,
      actor: member.role,
      action: 'complaint.merged',
      details: {
        case: into,
        by: member.email,
        step: source.currentStep,
        complainantNote: USE_CASE_TEXTS.mergedNote(target.number),
      },
    };
    let closed: boolean;
    try {
      closed = await closeComplaint(
        source.id,
        'merged',
        at,
        desk.retentionDays,
        [event],
        { mergedInto: into },
        [
          ...(link?.state === 'open' ? [retireTaskLink(link, at, 'closed')] : []),
          putEvent(target.id, mergedIn),
          ...mail.writes,
        ],
        { waitingOn: source.currentTaskLinkHash ?? null },
      );
    } catch (error) {
      if (failedConditionsOf(error)?.length !== 0 || attempt >= TRIES) throw error;
      closed = false;
    }
    if (closed) {
      await stopComplaintWorkflow(source, `Merged into ${target.number}`);
      await deliver(mail);
      log.info('case merged', { complaintId: source.id, into: target.id, by: member.role });
      return { merged: source.id, into };
    }
    if (attempt >= TRIES)
      throw new ConflictError('urn:redress:problem:decision-in-flight', USE_CASE_TEXTS.mergeInFlight);
    source = (await getComplaint(source.id)) as ComplaintRecord;
  }
}
