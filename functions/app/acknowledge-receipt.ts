import { PUBLIC_CHANNELS, type ComplaintRecord } from '../domain/complaint';
import type { ComplaintEvent } from '../domain/history';
import { complainantKeyOf } from '../domain/intake-rules';
import { log } from '../lib/log';
import { hasEngaged } from '../store/engaged-addresses';
import { acknowledgementShards, clockHourOf, countInWindow, newAddressAcknowledgementKey } from '../store/rate-windows';
import { evidenceStillNeeded } from '../domain/evidence-policy';
import { loadCase } from './shared/case';
import { deliver, outgoingNotice } from './shared/notifier';
import { complainantNotice } from './shared/complainant-recipient';
import { currentTime } from '../lib/clock';
import { ComplaintClosedError, markWorkflowStarted, updateComplaint } from '../store/complaints';
import { putEvent } from '../store/events';
import { numberFragmentPuts } from '../store/case-views';
import { beginStep } from './begin-step';
import { publishCaseEvents } from './shared/event-outbox';
import { opened, stepOpening } from './shared/step-opening';
import { CaseClosed, stepAtResumePoint, type StepTimer } from '../domain/workflow-contract';
import { isOpen } from '../domain/lifecycle';

export interface AcknowledgeReceiptInput {
  complaintId: string;
  /** A resume point (`Begin<Step>`): begin that step instead of acknowledging. */
  resumeAt?: string;
}

/**
 * The workflow's first step: the acknowledgement email (the number and a confirmation), sent
 * from the workflow so that a stored complaint is acknowledged exactly when its handling runs;
 * then the case's first step begins: the evidence its category requires and has not received,
 * or the acceptance review. An execution that resumes a case (a re-drive, a review asked for
 * after it closed) begins the step it names instead; an unknown resume point starts from the
 * acknowledgement.
 */
/**
 * Whether the acknowledgement may be emailed: always to an address that has shown it is real, or
 * one a person at the desk entered (a complaint by phone, social media or the app), and to an
 * address anyone could have typed (a web or API filing) while this clock hour's acknowledgements
 * to such addresses stay within the desk's cap.
 */
async function mayAcknowledgeByMail(complaint: ComplaintRecord, perHour: number): Promise<boolean> {
  if (!(PUBLIC_CHANNELS as readonly string[]).includes(complaint.channel)) return true;
  if (await hasEngaged(complainantKeyOf(complaint.complainant))) return true;
  const { hour, end } = clockHourOf(currentTime());
  const { shards, capOf } = acknowledgementShards(perHour);
  const { shard, key } = newAddressAcknowledgementKey(hour, complaint.id, shards);
  // A shard found full stays full for the hour: this container stops writing to it (a refused
  // conditional write is billed too, and a flood would otherwise keep one key busy).
  const full = `${hour}#${shard}`;
  if (fullShards.has(full)) return false;
  const counted = await countInWindow(key, end, capOf(shard));
  if (!counted) {
    if (fullShards.size > 1000) fullShards.clear();
    fullShards.add(full);
  }
  return counted;
}
const fullShards = new Set<string>();

export async function acknowledgeReceipt(input: AcknowledgeReceiptInput): Promise<StepTimer> {
  const resumeStep = stepAtResumePoint(input.resumeAt);
  if (resumeStep) return beginStep({ complaintId: input.complaintId, step: resumeStep });
  let context = await loadCase(input.complaintId);
  let byMail: boolean | undefined;
  // The acknowledgement, the confirmation that the workflow runs (so the reconciler leaves it
  // alone) and the opening of the first step are one write. It is refused if the case closed,
  // was acknowledged or had its start confirmed meanwhile, or (opening the evidence step) got its
  // evidence meanwhile: then the case is read again and handled as it is now.
  for (let attempt = 1; ; attempt++) {
    const { complaint, desk } = context;
    if (!isOpen(complaint.status)) throw new CaseClosed(complaint.id);
    const step = evidenceStillNeeded(complaint, desk) ? 'evidence' : 'acceptance';
    if (complaint.acknowledgedAt || complaint.currentStep || attempt > 3) {
      // A retried or re-driven step must not mail twice: acknowledgedAt records that it was queued.
      if (complaint.workflowPending) await markWorkflowStarted(complaint.id, currentTime().toISOString());
      return beginStep({ complaintId: complaint.id, step });
    }
    const now = currentTime();
    const at = now.toISOString();
    byMail ??= await mayAcknowledgeByMail(complaint, desk.intake.newAddressAcknowledgementsPerHour);
    const acknowledgement = byMail
      ? outgoingNotice(
          complaint.id,
          'acknowledgement',
          await complainantNotice(complaint, 'acknowledgement', {
            categoryId: complaint.category,
            acceptanceDeadlineAt: complaint.acceptanceDeadlineAt,
          }),
          at,
        )
      : undefined;
    const opening = stepOpening(context, step, now);
    const started: ComplaintEvent = { at, actor: 'system', action: 'workflow.started' };
    const acknowledged: ComplaintEvent = byMail
      ? { at, actor: 'system', action: 'acknowledgement.sent' }
      : {
          at,
          actor: 'system',
          action: 'acknowledgement.withheld',
          details: { perHour: desk.intake.newAddressAcknowledgementsPerHour },
        };
    try {
      await updateComplaint(
        complaint.id,
        {
          acknowledgedAt: at,
          ...(complaint.workflowPending ? { workflowPending: undefined, workflowStartedAt: at } : {}),
          ...opening.changes,
        },
        complaint.workflowPending ? started : acknowledged,
        [
          ...(complaint.workflowPending ? [putEvent(complaint.id, acknowledged, 1)] : []),
          ...(acknowledgement?.writes ?? []),
          // Findable by any three characters of its number's tail (a staff search by part) from here
          // on: written with the acknowledgement, not in intake's answer, which waits on its write.
          ...numberFragmentPuts(complaint.number, complaint.id),
        ],
        {
          whileOpen: true,
          withoutEvidence: step === 'evidence',
          firstAcknowledgement: { workflowPending: !!complaint.workflowPending },
        },
      );
    } catch (error) {
      if (!(error instanceof ComplaintClosedError)) throw error;
      context = await loadCase(complaint.id);
      continue;
    }
    // The filing's complaint.received waits in the outbox, written with the complaint; it leaves
    // here rather than in intake's answer, which then waits on the table alone.
    await publishCaseEvents(complaint.id);
    if (acknowledgement) {
      await deliver(acknowledgement);
      log.info('acknowledgement sent', { complaintId: complaint.id });
    } else
      log.warn('acknowledgement not emailed: too many to unproven addresses this hour', { complaintId: complaint.id });
    return opened(opening);
  }
}
