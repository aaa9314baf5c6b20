import type { S3Event } from 'aws-lambda';
import { checkLandedEvidence } from '../domain/evidence-policy';
import { isOpen } from '../domain/lifecycle';
import { log } from '../lib/log';
import { getComplaint } from '../store/complaints';
import { settings } from '../lib/settings';
import { notifyEvidenceArrived } from './decide-task';
import { currentTime } from '../lib/clock';
import {
  EVIDENCE_KEY_PATTERN,
  inspectObject,
  keepRecorded,
  quarantineObject,
  recordedKeyOf,
} from '../store/evidence-objects';
import {
  getUploadSlot,
  recordEvidenceAdded,
  recordEvidenceQuarantined,
  recordEvidenceReplaced,
} from '../store/upload-slots';

/** S3's "Object Created" as EventBridge delivers it (the cloud), beside S3 notification records (locally). */
export interface ObjectCreatedEvent {
  'detail-type': 'Object Created';
  time: string;
  detail: { bucket: { name: string }; object: { key: string; size?: number }; reason?: string };
}

function recordsOf(event: S3Event | ObjectCreatedEvent): S3Event['Records'] {
  if ('detail-type' in event) {
    const { detail } = event;
    return [
      {
        eventName: `ObjectCreated:${detail.reason ?? 'Put'}`,
        eventTime: event.time,
        s3: { bucket: { name: detail.bucket.name }, object: { key: detail.object.key, size: detail.object.size ?? 0 } },
      } as S3Event['Records'][number],
    ];
  }
  return event.Records ?? [];
}

/** S3 event keys are URL-encoded, with `+` for spaces. */
function decodeKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * S3 ObjectCreated under `complaints/` (locally: the local S3's event emitter). The presigned
 * POST's policy is not trusted: every object is checked again (its upload slot, size, declared
 * type and first bytes) and either recorded on the complaint with its sha256, or moved to
 * `quarantine/` and recorded as such. Repeated notifications change nothing (the slot closes once).
 */
export async function recordEvidence(
  event: S3Event | ObjectCreatedEvent,
): Promise<{ recorded: number; quarantined: number; ignored: number }> {
  const { desk } = settings();
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
      await quarantineObject(key);
      log.warn('evidence quarantined: unknown key', { key });
      counts.quarantined++;
      continue;
    }
    const [, complaintId, slotId] = match as unknown as [string, string, string];
    const slot = await getUploadSlot(complaintId, slotId);
    if (slot && slot.state !== 'issued') {
      // A repeated notification changes nothing; new bytes over recorded evidence are set aside.
      if (slot.state === 'recorded') {
        const current = await inspectObject(key).catch(() => undefined);
        if (current && current.sha256 !== slot.sha256) {
          // The recorded copy is elsewhere (recordedKeyOf) and stays as it was.
          await quarantineObject(key);
          await recordEvidenceReplaced(slot, current.size, currentTime().toISOString());
          log.warn('evidence quarantined: uploaded over recorded evidence', { complaintId });
          counts.quarantined++;
          continue;
        }
        // The same bytes still at the upload key: a run that recorded them died before moving them.
        if (current) await keepRecorded(key);
      }
      if (slot.state === 'quarantined') {
        // The slot is spent: whatever lands on it again goes where the first one went.
        await quarantineObject(key);
        counts.quarantined++;
        continue;
      }
      counts.ignored++;
      continue;
    }
    const object = await inspectObject(key);
    const landedAt = record.eventTime ?? currentTime().toISOString();
    const complaint = await getComplaint(complaintId);
    const problem = checkLandedEvidence(slot, { ...object, landedAt }, desk.evidence, {
      open: !!complaint && isOpen(complaint.status),
      evidenceCount: complaint?.evidenceCount,
    });
    const now = currentTime().toISOString();
    if (problem) {
      await quarantineObject(key);
      if (slot) await recordEvidenceQuarantined(slot, problem, object.size, now);
      log.warn('evidence quarantined', { complaintId, reason: problem, size: object.size });
      counts.quarantined++;
      continue;
    }
    // Recorded with the key it is kept under (no version pinning needed: nothing can write there), then moved there.
    if (
      await recordEvidenceAdded(
        slot!,
        { size: object.size, sha256: object.sha256 },
        now,
        desk.evidence.maxFiles,
        recordedKeyOf(key),
      )
    ) {
      await keepRecorded(key);
      log.info('evidence recorded', { complaintId, size: object.size, contentType: slot!.contentType });
      counts.recorded++;
      try {
        // A category that requires evidence waits for it; the workflow goes on from here.
        await notifyEvidenceArrived(complaintId);
      } catch (error) {
        log.error('could not tell the workflow that evidence arrived', { complaintId, error });
      }
    } else if ((await getUploadSlot(complaintId, slotId))?.state === 'issued') {
      // The slot is still open, so the case refused it: its last file was recorded meanwhile, or it ended.
      await quarantineObject(key);
      await recordEvidenceQuarantined(slot!, 'too-many-files', object.size, now);
      log.warn('evidence quarantined', {
        complaintId,
        reason: 'too-many-files or complaint-closed',
        size: object.size,
      });
      counts.quarantined++;
    } else {
      counts.ignored++;
    }
  }
  return counts;
}
