import { randomUUID } from 'node:crypto';
import type { S3Event } from 'aws-lambda';
import {
  checkLandedEvidence,
  evidenceLimitsFor,
  type QuarantineReason,
  slotForLanded,
  type UploadSlot,
} from '../domain/evidence-policy';
import { isOpen } from '../domain/lifecycle';
import { currentTime } from '../lib/clock';
import { log } from '../lib/log';
import { settings } from '../lib/settings';
import { getComplaint } from '../store/complaints';
import {
  deleteWritten,
  EVIDENCE_KEY_PATTERN,
  quarantineKeyOf,
  quarantineUnread,
  recordedKeyOf,
  removeUpload,
  setAsideKeyOf,
  TornRead,
  transferUpload,
} from '../store/evidence-objects';
import {
  lockUploadSlot,
  recordEvidenceAdded,
  recordEvidenceQuarantined,
  recordEvidenceReplaced,
  unlockUploadSlot,
} from '../store/upload-slots';
import { notifyEvidenceArrived } from './shared/decide-task';

/** S3's "Object Created" as EventBridge delivers it (the cloud), beside S3 notification records (locally). */
export interface ObjectCreatedEvent {
  'detail-type': 'Object Created';
  time: string;
  detail: {
    bucket: { name: string };
    object: { key: string; size?: number; etag?: string; 'version-id'?: string };
    reason?: string;
  };
}

function recordsOf(event: S3Event | ObjectCreatedEvent): S3Event['Records'] {
  if ('detail-type' in event) {
    const { detail } = event;
    return [
      {
        eventName: `ObjectCreated:${detail.reason ?? 'Put'}`,
        eventTime: event.time,
        s3: {
          bucket: { name: detail.bucket.name },
          object: {
            key: detail.object.key,
            size: detail.object.size ?? 0,
            ...(detail.object['version-id'] ? { versionId: detail.object['version-id'] } : {}),
          },
        },
      } as S3Event['Records'][number],
    ];
  }
  return event.Records ?? [];
}

/** S3 event keys are URL-encoded, with `+` for spaces. */
function decodeKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

type Outcome = 'recorded' | 'quarantined' | 'ignored';

/**
 * S3 ObjectCreated under `complaints/` (locally: the local S3's event emitter). The presigned
 * POST's policy is not trusted, and it can be used again while an upload is checked: each
 * notification takes its upload slot (one run at a time per slot), reads the object once, checks
 * those bytes (slot, size, declared type, first bytes) and writes exactly those bytes to
 * `recorded/` and the case's record with their sha256, or to `quarantine/`. Whatever lands on the
 * key later is set aside and never touches what was recorded. Repeated notifications change
 * nothing (the slot closes once).
 */
export async function recordEvidence(
  event: S3Event | ObjectCreatedEvent,
): Promise<{ recorded: number; quarantined: number; ignored: number }> {
  const counts = { recorded: 0, quarantined: 0, ignored: 0 };
  for (const record of recordsOf(event)) {
    if (!record.eventName?.startsWith('ObjectCreated')) {
      counts.ignored++;
      continue;
    }
    const key = decodeKey(record.s3.object.key);
    if (!key.startsWith('complaints/')) {
      counts.ignored++;
      continue;
    }
    const match = EVIDENCE_KEY_PATTERN.exec(key);
    if (!match) {
      // Not a key this desk hands out: nobody may find it under a complaint.
      await quarantineUnread(key);
      log.warn('evidence quarantined: unknown key', { key });
      counts.quarantined++;
      continue;
    }
    const [, complaintId, slotId] = match as unknown as [string, string, string];
    const landed = {
      versionId: record.s3.object.versionId,
      at: record.eventTime ?? currentTime().toISOString(),
      size: record.s3.object.size ?? 0,
    };
    counts[await handleUpload(complaintId, slotId, key, landed)]++;
  }
  return counts;
}

/** How long a notification waits for another run to free its slot before it fails (and is delivered again). */
const SLOT_WAIT_MS = 15_000;

/** What a notification says landed: the S3 version (the cloud), when, and its size. */
interface Landed {
  versionId: string | undefined;
  at: string;
  size: number;
}

async function handleUpload(complaintId: string, slotId: string, key: string, landed: Landed): Promise<Outcome> {
  const holder = randomUUID();
  const slot = await takeSlot(complaintId, slotId, holder);
  if (!slot) {
    await quarantineUnread(key);
    log.warn('evidence quarantined', { complaintId, reason: 'no-upload-slot' });
    return 'quarantined';
  }
  try {
    return slot.state === 'issued'
      ? await recordLanded(slot, holder, key, landed)
      : await setAside(slot, key, landed.versionId);
  } finally {
    await unlockUploadSlot(slot, holder).catch((error) =>
      log.warn('upload slot not freed; its lease ends it', { complaintId, error }),
    );
  }
}

/** The slot, held by this run once no other run holds it; undefined when the desk never issued it. */
async function takeSlot(complaintId: string, slotId: string, holder: string): Promise<UploadSlot | undefined> {
  const giveUpAt = Date.now() + SLOT_WAIT_MS;
  for (let pause = 50; ; pause = Math.min(pause * 2, 500)) {
    const slot = await lockUploadSlot(complaintId, slotId, holder);
    if (slot !== 'held') return slot;
    if (Date.now() + pause > giveUpAt) throw new Error(`upload slot of ${complaintId} still held by another run`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** The first object read on an open slot: checked, then kept (recorded) or set aside (quarantined). */
async function recordLanded(
  issuedSlot: UploadSlot,
  holder: string,
  key: string,
  { versionId, at: landedAt, size: notifiedSize }: Landed,
): Promise<Outcome> {
  const { desk } = settings();
  const { complaintId } = issuedSlot;
  const complaint = await getComplaint(complaintId);
  let problem: QuarantineReason | undefined;
  let moved: Awaited<ReturnType<typeof transferUpload>>;
  // A form upload's slot takes the type its form declared (then the same checks).
  let slot = issuedSlot;
  try {
    moved = await transferUpload(key, versionId, (landed) => {
      slot = slotForLanded(issuedSlot, landed.contentType, desk.evidence);
      problem = checkLandedEvidence(slot, { ...landed, landedAt }, desk.evidence, {
        open: !!complaint && isOpen(complaint.status),
        evidenceCount: complaint?.evidenceCount,
        respondentEvidenceCount: complaint?.respondentEvidenceCount,
      });
      return problem
        ? { key: quarantineKeyOf(key), contentType: 'application/octet-stream' }
        : { key: recordedKeyOf(key), contentType: slot.contentType };
    });
  } catch (error) {
    if (!(error instanceof TornRead)) throw error;
    // Nothing is recorded that no read saw whole.
    await quarantineUnread(key);
    await recordEvidenceQuarantined(slot, 'changed-while-read', error.size, currentTime().toISOString(), holder);
    log.warn('evidence quarantined', { complaintId, reason: 'changed-while-read', size: error.size });
    return 'quarantined';
  }
  const now = currentTime().toISOString();
  if (!moved) {
    // The notification says a file landed and the slot is still open, so no run recorded it; yet
    // it is gone (deleted after it landed, or moved by a run that stopped before recording why).
    // Its uploader was told it arrived: the case records it as lost, never drops it unseen.
    await recordEvidenceQuarantined(issuedSlot, 'upload-missing', notifiedSize, now, holder);
    log.error('evidence gone before it was read', { complaintId, evidenceId: issuedSlot.slot, size: notifiedSize });
    return 'quarantined';
  }
  const { read, target } = moved;
  if (problem) {
    await recordEvidenceQuarantined(slot, problem, read.size, now, holder);
    await removeUpload(key, read);
    log.warn('evidence quarantined', { complaintId, reason: problem, size: read.size });
    return 'quarantined';
  }
  if (
    await recordEvidenceAdded(
      slot,
      read,
      now,
      evidenceLimitsFor(desk.evidence, slot.party).maxFiles,
      target.key,
      holder,
    )
  ) {
    await removeUpload(key, read);
    log.info('evidence recorded', { complaintId, size: read.size, contentType: slot.contentType });
    try {
      // A category that requires evidence waits for the complainant's; the workflow goes on from
      // here. The respondent's file answers nothing of the complainant's.
      if (slot.party !== 'respondent') await notifyEvidenceArrived(complaintId);
    } catch (error) {
      log.error('could not tell the workflow that evidence arrived', { complaintId, error });
    }
    return 'recorded';
  }
  // The case refused it: its last file was recorded meanwhile, or it ended.
  const after = await getComplaint(complaintId);
  const reason: QuarantineReason = after && isOpen(after.status) ? 'too-many-files' : 'complaint-closed';
  await deleteWritten(target.key);
  await quarantineUnread(key);
  await recordEvidenceQuarantined(slot, reason, read.size, now, holder);
  await removeUpload(key, read);
  log.warn('evidence quarantined', { complaintId, reason, size: read.size });
  return 'quarantined';
}

/**
 * An object on a slot already spent (the same grant used again): set aside under a key of its
 * own, and recorded as such when it differs from the evidence recorded on the slot; the same
 * bytes again (a double submit) leave no trace.
 */
async function setAside(slot: UploadSlot, key: string, versionId: string | undefined): Promise<Outcome> {
  let moved: Awaited<ReturnType<typeof transferUpload>>;
  try {
    moved = await transferUpload(key, versionId, () => ({
      key: setAsideKeyOf(key),
      contentType: 'application/octet-stream',
    }));
  } catch (error) {
    if (!(error instanceof TornRead)) throw error;
    await quarantineUnread(key, setAsideKeyOf(key));
    if (slot.state === 'recorded') await recordEvidenceReplaced(slot, error.size, currentTime().toISOString());
    return 'quarantined';
  }
  if (!moved) return 'ignored';
  const { read, target } = moved;
  if (slot.state === 'recorded' && read.sha256 === slot.sha256) {
    await deleteWritten(target.key);
    await removeUpload(key, read);
    return 'ignored';
  }
  if (slot.state === 'recorded') {
    await recordEvidenceReplaced(slot, read.size, currentTime().toISOString());
    log.warn('evidence quarantined: uploaded over recorded evidence', { complaintId: slot.complaintId });
  }
  await removeUpload(key, read);
  return 'quarantined';
}
