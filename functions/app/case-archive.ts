import { strToU8, type Zippable, zipSync } from 'fflate';
import { MANIFEST_PATH, manifestOf, sha256Hex } from '../domain/bundle-manifest';
import { type Audience, type CaseFileKind, caseFileOf } from '../domain/case-file';
import type { ComplaintRecord } from '../domain/complaint';
import { complainantEvidence, evidenceFromEvents } from '../domain/evidence-policy';
import type { ComplaintEvent } from '../domain/history';
import type { Language } from '../domain/language';
import { COMPLAINT_ID_PATTERN } from '../domain/ids';
import { maySeeCase, type StaffMember } from '../domain/staff';
import { currentTime } from '../lib/clock';
import { NotFoundError } from '../lib/http';
import { StaffForbiddenError } from '../lib/problems';
import { getComplaint } from '../store/complaints';
import { log } from '../lib/log';
import { settings } from '../lib/settings';
import { caseDocumentHtml } from '../pages/case-document';
import { storeArchive } from '../store/archive-objects';
import { readEvidenceBytes } from '../store/evidence-bytes';
import { appendEvent, listEvents } from '../store/events';
import { USE_CASE_TEXTS } from '../pages/use-case-texts';

/** The case, if the member may see it (as the case page decides): a missing one is 404, another team's 403. */
export async function caseForArchive(member: StaffMember, id: string): Promise<ComplaintRecord> {
  const complaint = COMPLAINT_ID_PATTERN.test(id) ? await getComplaint(id) : undefined;
  if (!complaint) throw new NotFoundError(USE_CASE_TEXTS.noSuchComplaint);
  if (!maySeeCase(member, settings().desk, complaint.category)) throw new StaffForbiddenError();
  return complaint;
}

/** Who asked for the archive: the complainant by their tracking link, or a member of staff. */
export type ArchiveRequester = { kind: 'complainant' } | { kind: 'staff'; role: string; email: string };

export interface CaseArchive {
  fileName: string;
  /** A presigned GET of the stored ZIP (archive-objects.ts: five minutes, a download under fileName). */
  url: string;
  bytes: number;
  /** The manifest's own hash, recorded in the history: a copy handed over can be matched to its making. */
  manifestSha256: string;
}

/**
 * Builds a case archive (the complainant's copy of their data, or the referral bundle), stores it
 * for a short-lived download link (it may be larger than a function's response may be), and
 * records that it was made. Files: `case.json` and `case.html` (domain/case-file.ts decides what the
 * reader may see), `history.json` (the whole history for staff; the complainant's timeline for
 * them), every recorded evidence file as the history recorded it, and `manifest.json` with each
 * other file's path, size and sha256. The complainant's version is built only from what is meant
 * for them, so a staff address, note, flag or the respondent's side never reaches it.
 */
export async function buildCaseArchive(input: {
  complaint: ComplaintRecord;
  kind: CaseFileKind;
  audience: Audience;
  language: Language;
  requester: ArchiveRequester;
}): Promise<CaseArchive> {
  const { complaint, kind, audience, language } = input;
  const { desk } = settings();
  const generatedAt = currentTime().toISOString();
  const events = await listEvents(complaint.id);
  // The complainant's archive never carries the respondent's files.
  const evidence = audience === 'staff' ? evidenceFromEvents(events) : complainantEvidence(events);
  const bytes = await Promise.all(evidence.map((item) => readEvidenceBytes(item)));
  const file = caseFileOf({
    kind,
    audience,
    language,
    complaint,
    events,
    evidence: evidence.map((item, i) => ({ ...item, missing: !bytes[i] })),
    desk,
    generatedAt,
  });
  const json = (value: unknown) => strToU8(`${JSON.stringify(value, null, 2)}\n`);
  const history: unknown = audience === 'staff' ? events : file.timeline;
  const files: { path: string; bytes: Uint8Array; stored?: boolean }[] = [
    { path: 'case.json', bytes: json(file) },
    { path: 'case.html', bytes: strToU8(caseDocumentHtml(file)) },
    { path: 'history.json', bytes: json(history) },
    ...file.evidence.flatMap((item, i) => {
      const content = bytes[i];
      return content ? [{ path: item.path, bytes: content, stored: true }] : [];
    }),
  ];
  const manifest = json(manifestOf({ kind, caseNumber: complaint.number, generatedAt, desk: file.desk }, files));
  const mtime = new Date(generatedAt);
  const zippable: Zippable = { [MANIFEST_PATH]: [manifest, { mtime }] };
  // Evidence is mostly compressed already (images, video, PDF): stored as is.
  for (const f of files) zippable[f.path] = [f.bytes, { mtime, level: f.stored ? 0 : 6 }];
  const archive = zipSync(zippable);
  const manifestSha256 = sha256Hex(manifest);
  const fileName = `${complaint.number}-${kind}.zip`;
  const url = await storeArchive(complaint.id, fileName, archive);
  const requester = input.requester;
  const event: ComplaintEvent = {
    at: generatedAt,
    actor: requester.kind === 'staff' ? requester.role : 'complainant',
    action: kind === 'export' ? 'export.generated' : 'bundle.generated',
    details: {
      audience,
      files: files.length + 1,
      bytes: archive.byteLength,
      manifestSha256,
      ...(requester.kind === 'staff' ? { by: requester.email } : {}),
    },
  };
  await appendEvent(complaint.id, event);
  log.info('case archive made', { complaintId: complaint.id, kind, audience, files: files.length + 1 });
  return { fileName, url, bytes: archive.byteLength, manifestSha256 };
}
