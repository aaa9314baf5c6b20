import * as z from 'zod/mini';
import type { ComplaintRecord } from './complaint';
import type { DeskConfig, EvidenceConfig } from './config';
import { findCategory } from './desk';
import { describeIssues, type FieldError } from './field-errors';
import type { ComplaintEvent } from './history';
import type { Bilingual, Language } from './language';

/**
 * What evidence may be uploaded (logs, screenshots, video, time records) and the check
 * every object gets once it lands. The presigned POST limits size, type and key, but the local
 * S3 does not enforce POST policies and a policy is only as good as the client that obeys it, so
 * the landed object is checked again here: size, declared type, and its first bytes.
 */

export const EVIDENCE_NAME_MAX = 200;

const buildUploadRequestSchema = () =>
  z.strictObject({
    // A name to show people, never part of the object key.
    fileName: z
      .string()
      .check(z.trim(), z.minLength(1), z.maxLength(EVIDENCE_NAME_MAX), z.regex(/^[^\u0000-\u001f\u007f/\\]+$/, 'name')),
    contentType: z.string().check(z.trim(), z.toLowerCase(), z.maxLength(100)),
    size: z.int().check(z.minimum(1)),
  });

let uploadRequest: ReturnType<typeof buildUploadRequestSchema> | undefined;
/** The body of a request for an upload, built on first use, so a function that never validates one bundles no zod. */
export function uploadRequestSchema() {
  uploadRequest ??= buildUploadRequestSchema();
  return uploadRequest;
}

export type UploadRequest = z.output<ReturnType<typeof buildUploadRequestSchema>>;

export function isVideo(contentType: string): boolean {
  return contentType.startsWith('video/');
}

export function maxBytesFor(contentType: string, config: EvidenceConfig): number {
  return isVideo(contentType) ? config.videoMaxBytes : config.maxBytes;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** Whose allowance a file uses: the case's (the complainant's, and the desk's for them) or the respondent's. */
export type EvidenceParty = 'respondent' | undefined;

/**
 * The limits one side's files are held to. The respondent keeps an allowance of their own
 * (`evidence.respondent`): their files never use up the complainant's, so a respondent cannot
 * stop a complainant from giving evidence (nor the other way round).
 */
export function evidenceLimitsFor(config: EvidenceConfig, party?: EvidenceParty): EvidenceConfig {
  if (party !== 'respondent') return config;
  const { maxFiles, maxBytes, videoMaxBytes } = config.respondent;
  return { ...config, maxFiles, maxBytes, videoMaxBytes };
}

/** The case record's counters of one side's files: recorded, and uploads handed out. */
export function evidenceCounters(party?: EvidenceParty) {
  return party === 'respondent'
    ? ({ recorded: 'respondentEvidenceCount', issued: 'respondentUploadsIssued' } as const)
    : ({ recorded: 'evidenceCount', issued: 'uploadsIssued' } as const);
}

/** What a side is told when its allowance is used up (problem+json title and detail). */
export function evidenceLimitReached(
  config: EvidenceConfig,
  party?: EvidenceParty,
): { title: Bilingual; detail: Bilingual } {
  const max = evidenceLimitsFor(config, party).maxFiles;
  return party === 'respondent'
    ? {
        title: {
          'zh-CN': '您在该投诉中的文件数量已达上限',
          en: 'You have sent as many files on this complaint as you can',
        },
        detail: {
          'zh-CN': `被投诉方在每个投诉中最多提交 ${max} 个文件。`,
          en: `The respondent may send at most ${max} files on a complaint.`,
        },
      }
    : {
        title: { 'zh-CN': '该投诉的证据数量已达上限', en: 'This complaint has as much evidence as it can take' },
        detail: { 'zh-CN': `每个投诉最多 ${max} 个文件。`, en: `A complaint takes at most ${max} files.` },
      };
}

export type UploadRequestResult =
  | { ok: true; request: UploadRequest; maxBytes: number }
  | { ok: false; errors: FieldError[] };

/** Checks an upload request against the allowlist and the size limit of its type. */
export function validateUploadRequest(body: unknown, config: EvidenceConfig, language: Language): UploadRequestResult {
  const zh = language === 'zh-CN';
  const parsed = uploadRequestSchema().safeParse(body, { reportInput: true });
  if (!parsed.success) {
    return {
      ok: false,
      errors: describeIssues(parsed.error.issues, language).map((error) =>
        error.path === 'fileName' && (error.message === '格式不正确' || error.message === 'has the wrong format')
          ? {
              path: 'fileName',
              message: zh ? '文件名不能包含斜杠或控制字符' : 'must not contain slashes or control characters',
            }
          : error,
      ),
    };
  }
  const request = { ...parsed.data, fileName: evidenceDisplayName(parsed.data.fileName, parsed.data.contentType) };
  const errors: FieldError[] = [];
  if (!config.contentTypes.includes(request.contentType)) {
    errors.push({
      path: 'contentType',
      message: zh
        ? `不接受此类型；可选：${config.contentTypes.join('、')}`
        : `not accepted; one of: ${config.contentTypes.join(', ')}`,
    });
  }
  const maxBytes = maxBytesFor(request.contentType, config);
  if (request.size > maxBytes)
    errors.push({
      path: 'size',
      message: zh
        ? `文件过大，此类型最大 ${formatBytes(maxBytes)}`
        : `too large; at most ${formatBytes(maxBytes)} for this type`,
    });
  return errors.length ? { ok: false, errors } : { ok: true, request, maxBytes };
}

const EXTENSIONS: Record<string, readonly string[]> = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'video/mp4': ['mp4'],
  'video/webm': ['webm'],
  'video/quicktime': ['mov'],
  'application/pdf': ['pdf'],
  'text/plain': ['txt', 'log'],
};

/**
 * The name evidence is shown and downloaded under: no control or invisible format characters
 * (a right-to-left override can make `chat-log\u202Etxt.hta` read as "chat-logath.txt"), no
 * path, and an extension that follows the type the file was checked against — so a download
 * opens as what it is.
 */
export function evidenceDisplayName(name: string, contentType: string): string {
  const cleaned =
    name
      .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, '')
      .replace(/[/\\]/g, '')
      .trim() || 'evidence';
  const allowed = EXTENSIONS[contentType] ?? [contentType.split('/')[1]?.replace(/[^a-z0-9]/g, '') || 'bin'];
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(cleaned)?.[1]?.toLowerCase();
  const named = extension && allowed.includes(extension) ? cleaned : `${cleaned}.${allowed[0]}`;
  return named.length <= EVIDENCE_NAME_MAX
    ? named
    : `${cleaned.slice(0, EVIDENCE_NAME_MAX - allowed[0]!.length - 1)}.${allowed[0]}`;
}

/** The type the first bytes say, for the types we accept; undefined when they say nothing known. */
export function sniffContentType(head: Uint8Array): string | undefined {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  const ascii = (offset: number, text: string) => [...text].every((c, i) => head[offset + i] === c.charCodeAt(0));
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  if (ascii(0, '%PDF-')) return 'application/pdf';
  if (starts(0x1a, 0x45, 0xdf, 0xa3)) return 'video/webm';
  if (ascii(4, 'ftyp')) return ascii(8, 'qt  ') ? 'video/quicktime' : 'video/mp4';
  return undefined;
}

/** Plain-text logs: valid UTF-8 without NUL or other binary control bytes. */
export function looksLikeText(head: Uint8Array): boolean {
  for (const byte of head) if (byte === 0 || byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b)) return false;
  try {
    // A multi-byte character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, Math.max(0, head.length - 4)));
    return true;
  } catch {
    return false;
  }
}

export type QuarantineReason =
  | 'no-upload-slot'
  | 'upload-expired'
  | 'empty'
  | 'too-large'
  | 'type-not-allowed'
  | 'content-type-mismatch'
  | 'content-not-matching-type'
  | 'replaced-after-recording'
  | 'complaint-closed'
  | 'too-many-files'
  /** The object changed while it was read (an upload through the same grant landed over it): no one read saw it whole. */
  | 'changed-while-read'
  /** Its notification came, but the object was gone when its open slot's run read it: the file is lost, so the case says so. */
  | 'upload-missing';

export const QUARANTINE_REASON_LABELS: Record<QuarantineReason, Bilingual> = {
  'no-upload-slot': { 'zh-CN': '不是通过本系统申请的上传', en: 'Not uploaded through this desk' },
  'upload-expired': { 'zh-CN': '上传链接已过期', en: 'The upload link had expired' },
  empty: { 'zh-CN': '文件为空', en: 'The file is empty' },
  'too-large': { 'zh-CN': '文件超过大小限制', en: 'The file is larger than allowed' },
  'type-not-allowed': { 'zh-CN': '不接受此文件类型', en: 'This file type is not accepted' },
  'content-type-mismatch': { 'zh-CN': '文件类型与申请时不符', en: 'The file type differs from the one requested' },
  'content-not-matching-type': { 'zh-CN': '文件内容与其类型不符', en: 'The content does not match its type' },
  'replaced-after-recording': {
    'zh-CN': '已记录的证据被再次上传覆盖',
    en: 'Recorded evidence was uploaded over again',
  },
  'complaint-closed': { 'zh-CN': '投诉已结束后才上传', en: 'Uploaded after the complaint had ended' },
  'too-many-files': { 'zh-CN': '超过每个投诉的证据数量上限', en: 'More files than a complaint may keep' },
  'changed-while-read': {
    'zh-CN': '文件在检查时被再次上传覆盖',
    en: 'The file was uploaded over while it was being checked',
  },
  'upload-missing': {
    'zh-CN': '检查时文件已不存在，需重新上传',
    en: 'The file was gone when it was checked; it must be sent again',
  },
};

export interface UploadSlot {
  complaintId: string;
  slot: string;
  key: string;
  fileName: string;
  contentType: string;
  declaredSize: number;
  maxBytes: number;
  createdAt: string;
  uploadBy: string;
  state: 'issued' | 'recorded' | 'quarantined';
  /** A staff member's upload (a file to send with a message): recorded as the desk's, not the complainant's. */
  uploadedBy?: string;
  /** The respondent's upload from their link: staff see it, the complainant never does. */
  party?: 'respondent';
  /** Set once recorded: what the evidence was when it landed. */
  sha256?: string;
  versionId?: string;
}

export interface LandedObject {
  size: number;
  contentType?: string;
  /** The first bytes (up to 4 KiB). */
  head: Uint8Array;
  landedAt: string;
}

/** Why a landed object breaks the upload policy, or undefined when it may be recorded. */
export function checkLandedEvidence(
  slot: UploadSlot | undefined,
  object: LandedObject,
  config: EvidenceConfig,
  complaint?: { open: boolean; evidenceCount?: number; respondentEvidenceCount?: number },
): QuarantineReason | undefined {
  if (!slot) return 'no-upload-slot';
  // Each side's file is held to that side's limits and counted against that side's files.
  config = evidenceLimitsFor(config, slot.party);
  // A grant issued before the case ended, or beyond the files it may keep, records nothing.
  if (complaint && !complaint.open) return 'complaint-closed';
  if (complaint && (complaint[evidenceCounters(slot.party).recorded] ?? 0) >= config.maxFiles) return 'too-many-files';
  // S3 refuses a POST after its policy expires; a minute of slack covers clock skew.
  if (object.landedAt > new Date(new Date(slot.uploadBy).getTime() + 60_000).toISOString()) return 'upload-expired';
  if (object.size <= 0) return 'empty';
  if (!config.contentTypes.includes(slot.contentType)) return 'type-not-allowed';
  if (object.size > Math.min(slot.maxBytes, maxBytesFor(slot.contentType, config))) return 'too-large';
  if ((object.contentType ?? '').split(';')[0]!.trim().toLowerCase() !== slot.contentType)
    return 'content-type-mismatch';
  if (slot.contentType === 'text/plain') return looksLikeText(object.head) ? undefined : 'content-not-matching-type';
  const sniffed = sniffContentType(object.head);
  // MP4 and QuickTime share their container: either satisfies either.
  const compatible =
    sniffed === slot.contentType ||
    (sniffed &&
      isVideo(sniffed) &&
      isVideo(slot.contentType) &&
      sniffed !== 'video/webm' &&
      slot.contentType !== 'video/webm');
  return compatible ? undefined : 'content-not-matching-type';
}

/**
 * The type of a form upload's slot (a page used without its script): the file's type is picked
 * in the form, beside the file, after the slot was handed out, so the slot takes any type the
 * desk accepts, settled when the file lands (slotForLanded).
 */
export const TYPE_PICKED_IN_FORM = '*';

/** The most a form upload may send (its type is not known yet): the larger of its side's two size limits. */
export function formUploadMaxBytes(config: EvidenceConfig, party?: EvidenceParty): number {
  const limits = evidenceLimitsFor(config, party);
  return Math.max(limits.maxBytes, limits.videoMaxBytes);
}

/**
 * The slot a landed object is checked against. A form upload's slot takes the type its form
 * declared, with that type's size limit and a name with its extension; every check then runs as
 * for any upload (the type must be one the desk accepts, the first bytes must match it).
 */
export function slotForLanded(slot: UploadSlot, declaredType: string | undefined, config: EvidenceConfig): UploadSlot {
  if (slot.contentType !== TYPE_PICKED_IN_FORM) return slot;
  const contentType = (declaredType ?? '').split(';')[0]!.trim().toLowerCase();
  const limit = maxBytesFor(contentType, evidenceLimitsFor(config, slot.party));
  return {
    ...slot,
    contentType,
    maxBytes: Math.min(slot.maxBytes, limit),
    fileName: evidenceDisplayName(slot.fileName, contentType),
  };
}

/** One piece of evidence as the history records it. */
export interface EvidenceItem {
  id: string;
  key: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  /** The S3 version recorded (a versioned bucket keeps it even if the key is written again). */
  versionId?: string;
  addedAt: string;
  /** The respondent's file (never shown to the complainant). */
  party?: 'respondent';
}

/** The evidence recorded on a complaint, from its history (`evidence.added` events). */
export function evidenceFromEvents(events: readonly ComplaintEvent[]): EvidenceItem[] {
  return events
    .filter((event) => event.action === 'evidence.added' && event.details)
    .map((event) => {
      const d = event.details as Record<string, unknown>;
      return {
        id: String(d.evidenceId),
        key: String(d.key),
        name: String(d.name),
        contentType: String(d.contentType),
        size: Number(d.size),
        sha256: String(d.sha256),
        ...(d.versionId ? { versionId: String(d.versionId) } : {}),
        addedAt: event.at,
        ...(d.party === 'respondent' ? { party: 'respondent' as const } : {}),
      };
    });
}

/** The files the respondent uploaded from their link (the ones they may attach to an answer). */
export function respondentEvidence(events: readonly ComplaintEvent[]): EvidenceItem[] {
  return evidenceFromEvents(events).filter((item) => item.party === 'respondent');
}

/**
 * The evidence the complainant may see: everything but the respondent's files, on this case and
 * on the cases of theirs merged into it.
 */
export function complainantEvidence(
  events: readonly ComplaintEvent[],
  merged: readonly { events: readonly ComplaintEvent[] }[] = [],
): EvidenceItem[] {
  return [events, ...merged.map((m) => m.events)]
    .flatMap((history) => evidenceFromEvents(history))
    .filter((item) => item.party !== 'respondent');
}

/**
 * Whether a complaint still waits for evidence: its category requires evidence, nothing has been
 * recorded yet, and its subject is not one whose link is evidence enough (a post with its link).
 * The caller's files a staff member declared at entry count once one of them is recorded, not
 * before: a declared file that never lands (its link expired, or the check refused it) leaves the
 * case waiting for evidence, and the caller is asked after all (callerAskedForEvidenceFrom).
 */
export function evidenceStillNeeded(
  complaint: Pick<ComplaintRecord, 'category' | 'evidenceCount' | 'subject'>,
  config: DeskConfig,
): boolean {
  if (!findCategory(config, complaint.category)?.evidenceRequired) return false;
  if ((complaint.evidenceCount ?? 0) > 0) return false;
  const ref = complaint.subject.ref ?? '';
  return !(config.evidence.linkIsEvidenceFor.includes(complaint.subject.type) && /^https?:\/\/\S+$/i.test(ref));
}

/**
 * How long after its link expires a declared upload may still land (S3's and the check's minute
 * of slack for clock skew) and be checked: until then it may yet be recorded.
 */
export const DECLARED_UPLOAD_GRACE_SECONDS = 180;

/**
 * When a case whose caller's files the desk declared at entry asks the caller for evidence after
 * all: once none of those uploads can still be recorded (their links, handed out as the case was
 * filed, have expired and a check has had its time). Until then its evidence step waits for the
 * desk's files without asking anyone; a file recorded meanwhile decides the step and the request
 * is never sent. Undefined when the desk declared nothing: the caller is asked at once.
 */
export function callerAskedForEvidenceFrom(
  complaint: Pick<ComplaintRecord, 'evidenceEnteredBy' | 'receivedAt'>,
  config: EvidenceConfig,
): Date | undefined {
  if (!complaint.evidenceEnteredBy) return undefined;
  return new Date(
    new Date(complaint.receivedAt).getTime() + (config.uploadSeconds + DECLARED_UPLOAD_GRACE_SECONDS) * 1000,
  );
}

/** A caller's file the desk declared at entry (`evidence.declared`), and what became of it. */
export interface DeclaredFile {
  evidenceId: string;
  name: string;
  /** Recorded; still able to land; refused by the check (`reason`); or never uploaded before its link expired. */
  state: 'arrived' | 'expected' | 'refused' | 'never-uploaded';
  reason?: QuarantineReason;
}

/** The files declared at entry, from the history: each recorded, refused, still expected, or never uploaded. */
export function declaredFiles(events: readonly ComplaintEvent[], now: Date): DeclaredFile[] {
  // A repeat linked to the case may declare files of its own: each declaration counts.
  const files = events
    .filter((e) => e.action === 'evidence.declared')
    .flatMap((e) => (e.details?.files ?? []) as { evidenceId: string; name: string; uploadBy: string }[]);
  return files.map(({ evidenceId, name, uploadBy }) => {
    const of = (action: ComplaintEvent['action']) =>
      events.find((e) => e.action === action && e.details?.evidenceId === evidenceId);
    if (of('evidence.added')) return { evidenceId, name, state: 'arrived' };
    const refused = of('evidence.quarantined');
    if (refused) return { evidenceId, name, state: 'refused', reason: refused.details?.reason as QuarantineReason };
    const lapsed = now.getTime() > new Date(uploadBy).getTime() + DECLARED_UPLOAD_GRACE_SECONDS * 1000;
    return { evidenceId, name, state: lapsed ? 'never-uploaded' : 'expected' };
  });
}

/**
 * What evidence a new complaint is asked for, to tell its complainant at once: nothing; nothing
 * more, since the subject's link is its evidence (a post with its link) or the desk attaches the
 * caller's files (a complaint entered by staff); or an uploaded file (a screenshot, log, video or
 * PDF) within the evidence window.
 */
export type EvidenceAsked =
  | { required: false }
  | { required: true; satisfiedBy: 'link' | 'desk' }
  | { required: true; satisfiedBy: 'file'; withinSeconds: number };

export function evidenceAsked(
  complaint: Pick<ComplaintRecord, 'category' | 'evidenceCount' | 'subject' | 'evidenceEnteredBy'>,
  config: DeskConfig,
): EvidenceAsked {
  if (!findCategory(config, complaint.category)?.evidenceRequired) return { required: false };
  if (complaint.evidenceEnteredBy) return { required: true, satisfiedBy: 'desk' };
  if (!evidenceStillNeeded(complaint, config)) return { required: true, satisfiedBy: 'link' };
  return { required: true, satisfiedBy: 'file', withinSeconds: config.serviceLevels.evidenceSeconds };
}

export type DeskEvidenceResult = { ok: true; requests: UploadRequest[] } | { ok: false; errors: FieldError[] };

/**
 * The caller's files a staff member attaches when entering a complaint (`evidence`: a list of
 * `{fileName, contentType, size}`, or that list as JSON text from the entry form): each held to
 * the evidence rules, and no more than a complaint may keep, all checked before anything is filed.
 */
export function validateDeskEvidence(value: unknown, config: EvidenceConfig, language: Language): DeskEvidenceResult {
  const zh = language === 'zh-CN';
  if (value === undefined || value === '') return { ok: true, requests: [] };
  let list: unknown = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      list = undefined;
    }
  }
  if (!Array.isArray(list))
    return {
      ok: false,
      errors: [{ path: 'evidence', message: zh ? '应为文件列表' : 'must be a list of files' }],
    };
  if (list.length > config.maxFiles)
    return {
      ok: false,
      errors: [
        {
          path: 'evidence',
          message: zh ? `最多 ${config.maxFiles} 个文件` : `at most ${config.maxFiles} files`,
        },
      ],
    };
  const requests: UploadRequest[] = [];
  const errors: FieldError[] = [];
  list.forEach((item, i) => {
    const result = validateUploadRequest(item, config, language);
    if (result.ok) requests.push(result.request);
    else
      errors.push(
        ...result.errors.map((e) => ({
          ...e,
          path: e.path && e.path !== '(body)' ? `evidence.${i}.${e.path}` : `evidence.${i}`,
        })),
      );
  });
  return errors.length ? { ok: false, errors } : { ok: true, requests };
}
