import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG, parseDeskConfig } from '../../functions/domain/config';
import {
  checkLandedEvidence,
  EVIDENCE_NAME_MAX,
  evidenceDisplayName,
  evidenceFromEvents,
  evidenceLimitReached,
  evidenceLimitsFor,
  formUploadMaxBytes,
  slotForLanded,
  TYPE_PICKED_IN_FORM,
  complainantEvidence,
  evidenceAsked,
  evidenceStillNeeded,
  callerAskedForEvidenceFrom,
  DECLARED_UPLOAD_GRACE_SECONDS,
  declaredFiles,
  looksLikeText,
  maxBytesFor,
  respondentEvidence,
  sniffContentType,
  validateDeskEvidence,
  validateUploadRequest,
  type UploadSlot,
} from '../../functions/domain/evidence-policy';

const config = DEFAULT_DESK_CONFIG.evidence;
const bytes = (...values: (number | string)[]) =>
  new Uint8Array(values.flatMap((v) => (typeof v === 'string' ? [...Buffer.from(v, 'latin1')] : [v])));
const PNG = bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13);
const slot = (overrides: Partial<UploadSlot> = {}): UploadSlot => ({
  complaintId: 'C',
  slot: 'S',
  key: 'complaints/C/evidence/S',
  fileName: 'a.png',
  contentType: 'image/png',
  declaredSize: 100,
  maxBytes: config.maxBytes,
  createdAt: '2026-11-21T10:00:00.000Z',
  uploadBy: '2026-11-21T10:10:00.000Z',
  state: 'issued',
  ...overrides,
});
const landed = (
  overrides: Partial<{ size: number; contentType: string; head: Uint8Array; landedAt: string }> = {},
) => ({ size: 100, contentType: 'image/png', head: PNG, landedAt: '2026-11-21T10:01:00.000Z', ...overrides });

describe('upload requests', () => {
  it('accepts allowed types within their size, video larger', () => {
    expect(
      validateUploadRequest({ fileName: '截图.png', contentType: 'IMAGE/PNG', size: 10 }, config, 'zh-CN'),
    ).toMatchObject({ ok: true, request: { contentType: 'image/png' }, maxBytes: config.maxBytes });
    expect(maxBytesFor('video/mp4', config)).toBe(config.videoMaxBytes);
    expect(
      validateUploadRequest({ fileName: 'v.mp4', contentType: 'video/mp4', size: config.maxBytes * 2 }, config, 'en')
        .ok,
    ).toBe(true);
  });

  it('names what is wrong, in the reader’s language', () => {
    const result = validateUploadRequest(
      { fileName: 'a/b.exe', contentType: 'application/x-msdownload', size: config.maxBytes + 1 },
      config,
      'en',
    );
    expect(!result.ok && result.errors.map((e) => e.path)).toEqual(['fileName']);
    const types = validateUploadRequest(
      { fileName: 'b.exe', contentType: 'application/x-msdownload', size: 1 },
      config,
      'zh-CN',
    );
    expect(!types.ok && types.errors[0]!.message).toMatch(/^不接受此类型/);
  });
});

describe('a landed object', () => {
  it('passes when slot, size, type and first bytes agree', () => {
    expect(checkLandedEvidence(slot(), landed(), config)).toBeUndefined();
  });

  it('is quarantined for each way it can break the policy', () => {
    expect(checkLandedEvidence(undefined, landed(), config)).toBe('no-upload-slot');
    expect(checkLandedEvidence(slot(), landed({ landedAt: '2026-11-21T10:12:00.000Z' }), config)).toBe(
      'upload-expired',
    );
    expect(checkLandedEvidence(slot(), landed({ size: 0 }), config)).toBe('empty');
    expect(checkLandedEvidence(slot(), landed({ size: config.maxBytes + 1 }), config)).toBe('too-large');
    expect(checkLandedEvidence(slot(), landed({ contentType: 'text/html' }), config)).toBe('content-type-mismatch');
    expect(checkLandedEvidence(slot(), landed({ head: bytes('<html>') }), config)).toBe('content-not-matching-type');
    expect(
      checkLandedEvidence(slot({ contentType: 'image/svg+xml' }), landed({ contentType: 'image/svg+xml' }), config),
    ).toBe('type-not-allowed');
    expect(checkLandedEvidence(slot(), landed(), config, { open: false })).toBe('complaint-closed');
    expect(checkLandedEvidence(slot(), landed(), config, { open: true, evidenceCount: config.maxFiles })).toBe(
      'too-many-files',
    );
    expect(
      checkLandedEvidence(slot(), landed(), config, { open: true, evidenceCount: config.maxFiles - 1 }),
    ).toBeUndefined();
  });

  it('knows the types by their first bytes, and text by its lack of binary', () => {
    expect(sniffContentType(PNG)).toBe('image/png');
    expect(sniffContentType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffContentType(bytes('%PDF-1.7'))).toBe('application/pdf');
    expect(sniffContentType(bytes(0, 0, 0, 0x18, 'ftypmp42'))).toBe('video/mp4');
    expect(sniffContentType(bytes('RIFF', 0, 0, 0, 0, 'WEBP'))).toBe('image/webp');
    expect(looksLikeText(new Uint8Array(Buffer.from('2026-11-19 09:00 服务器无响应\n')))).toBe(true);
    expect(looksLikeText(bytes(0x7f, 'ELF', 0, 1))).toBe(false);
    expect(
      checkLandedEvidence(
        slot({ contentType: 'video/quicktime' }),
        landed({ contentType: 'video/quicktime', head: bytes(0, 0, 0, 0x18, 'ftypmp42') }),
        config,
      ),
    ).toBeUndefined();
  });

  it('holds the respondent’s files to their own allowance, counted apart from the case’s', () => {
    const desk = parseDeskConfig({
      ...DEFAULT_DESK_CONFIG,
      evidence: { maxFiles: 3, respondent: { maxFiles: 1, maxBytes: 2048, videoMaxBytes: 4096 } },
    }).evidence;
    expect(evidenceLimitsFor(desk)).toBe(desk);
    expect(evidenceLimitsFor(desk, 'respondent')).toMatchObject({ maxFiles: 1, maxBytes: 2048, videoMaxBytes: 4096 });
    const theirs = slot({ party: 'respondent', maxBytes: 2048 });
    // The complainant's files leave the respondent's allowance alone, and the other way round.
    expect(checkLandedEvidence(theirs, landed(), desk, { open: true, evidenceCount: 3 })).toBeUndefined();
    expect(checkLandedEvidence(theirs, landed(), desk, { open: true, respondentEvidenceCount: 1 })).toBe(
      'too-many-files',
    );
    expect(checkLandedEvidence(slot(), landed(), desk, { open: true, respondentEvidenceCount: 1 })).toBeUndefined();
    expect(checkLandedEvidence(slot(), landed(), desk, { open: true, evidenceCount: 3 })).toBe('too-many-files');
    // Their size limit is their own.
    expect(checkLandedEvidence(theirs, landed({ size: 3000 }), desk)).toBe('too-large');
    expect(checkLandedEvidence(slot(), landed({ size: 3000 }), desk)).toBeUndefined();
    const request = { fileName: 'big.png', contentType: 'image/png', size: 3000 };
    expect(validateUploadRequest(request, evidenceLimitsFor(desk, 'respondent'), 'en')).toMatchObject({
      ok: false,
      errors: [{ path: 'size', message: 'too large; at most 2 KB for this type' }],
    });
    expect(validateUploadRequest(request, desk, 'en').ok).toBe(true);
    // Each side is told of its own limit, in both languages.
    expect(evidenceLimitReached(desk, 'respondent').detail).toEqual({
      'zh-CN': '被投诉方在每个投诉中最多提交 1 个文件。',
      en: 'The respondent may send at most 1 files on a complaint.',
    });
    expect(evidenceLimitReached(desk).detail.en).toBe('A complaint takes at most 3 files.');
  });

  it('checks a form upload (type picked beside the file, no script) against the type its form declared', () => {
    const open = slot({ contentType: TYPE_PICKED_IN_FORM, fileName: 'file-abc', maxBytes: formUploadMaxBytes(config) });
    expect(formUploadMaxBytes(config)).toBe(config.videoMaxBytes);
    expect(slotForLanded(slot(), 'text/plain', config)).toEqual(slot());
    const asPng = slotForLanded(open, 'image/png; charset=binary', config);
    expect(asPng).toMatchObject({ contentType: 'image/png', maxBytes: config.maxBytes, fileName: 'file-abc.png' });
    expect(checkLandedEvidence(asPng, landed(), config)).toBeUndefined();
    // The same checks follow: that type's size limit, the first bytes, the allowlist.
    expect(checkLandedEvidence(asPng, landed({ size: config.maxBytes + 1 }), config)).toBe('too-large');
    expect(checkLandedEvidence(asPng, landed({ head: bytes('MZ') }), config)).toBe('content-not-matching-type');
    const exe = slotForLanded(open, 'application/x-msdownload', config);
    expect(checkLandedEvidence(exe, landed({ contentType: 'application/x-msdownload' }), config)).toBe(
      'type-not-allowed',
    );
    expect(
      checkLandedEvidence(slotForLanded(open, undefined, config), landed({ contentType: undefined }), config),
    ).toBe('type-not-allowed');
  });

  it('refuses a respondent allowance out of bounds, and defaults one a config leaves out', () => {
    expect(DEFAULT_DESK_CONFIG.evidence.respondent).toEqual({
      maxFiles: 10,
      maxBytes: 10 * 1024 * 1024,
      videoMaxBytes: 200 * 1024 * 1024,
    });
    const { respondent: _r, ...older } = DEFAULT_DESK_CONFIG.evidence;
    expect(parseDeskConfig({ ...DEFAULT_DESK_CONFIG, evidence: older }).evidence.respondent.maxFiles).toBe(10);
    expect(() => parseDeskConfig({ ...DEFAULT_DESK_CONFIG, evidence: { respondent: { maxFiles: 0 } } })).toThrow(
      /evidence.respondent.maxFiles/,
    );
    expect(() => parseDeskConfig({ ...DEFAULT_DESK_CONFIG, evidence: { respondent: { maxBytes: 10 } } })).toThrow(
      /evidence.respondent.maxBytes/,
    );
    expect(() => parseDeskConfig({ ...DEFAULT_DESK_CONFIG, evidence: { respondent: { files: 3 } } })).toThrow(
      /evidence.respondent/,
    );
  });

  it('lists recorded evidence from the history', () => {
    const events = [
      {
        at: '2026-11-21T10:01:00.000Z',
        actor: 'complainant',
        action: 'evidence.added' as const,
        details: {
          evidenceId: 'S',
          key: 'complaints/C/evidence/S',
          name: 'a.png',
          contentType: 'image/png',
          size: 100,
          sha256: 'ab',
        },
      },
      {
        at: '2026-11-21T10:02:00.000Z',
        actor: 'system',
        action: 'evidence.quarantined' as const,
        details: { evidenceId: 'T', name: 'b.png', reason: 'too-large' },
      },
    ];
    expect(evidenceFromEvents(events)).toEqual([
      {
        id: 'S',
        key: 'complaints/C/evidence/S',
        name: 'a.png',
        contentType: 'image/png',
        size: 100,
        sha256: 'ab',
        addedAt: '2026-11-21T10:01:00.000Z',
      },
    ]);
  });
});

describe('evidence a complaint must carry before its review', () => {
  const complaint = (subject: { type: 'post' | 'user'; ref?: string }, evidenceCount = 0) => ({
    category: 'content',
    subject,
    evidenceCount,
  });
  it('is satisfied by the post’s link for a post, and needs an upload for a private message', () => {
    expect(
      evidenceStillNeeded(
        complaint({ type: 'post', ref: 'https://bbs.example.org/thread-1.html' }),
        DEFAULT_DESK_CONFIG,
      ),
    ).toBe(false);
    expect(evidenceStillNeeded(complaint({ type: 'post' }), DEFAULT_DESK_CONFIG)).toBe(true);
    expect(evidenceStillNeeded(complaint({ type: 'user', ref: 'uid-1' }), DEFAULT_DESK_CONFIG)).toBe(true);
    expect(evidenceStillNeeded(complaint({ type: 'user', ref: 'uid-1' }, 1), DEFAULT_DESK_CONFIG)).toBe(false);
    expect(evidenceStillNeeded({ category: 'performance', subject: { type: 'user' } }, DEFAULT_DESK_CONFIG)).toBe(
      false,
    );
  });

  it('is spared the caller by files staff declare at entry only once one lands; the caller is asked when none can', () => {
    const receivedAt = '2026-11-21T10:00:00.000Z';
    const entered = { ...complaint({ type: 'user', ref: 'uid-1' }), evidenceEnteredBy: 'ops@example.org', receivedAt };
    // The desk takes the caller's files (what the filing's answer says), but until one is recorded the case waits for evidence.
    expect(evidenceAsked(entered, DEFAULT_DESK_CONFIG)).toEqual({ required: true, satisfiedBy: 'desk' });
    expect(evidenceStillNeeded(entered, DEFAULT_DESK_CONFIG)).toBe(true);
    expect(evidenceStillNeeded({ ...entered, evidenceCount: 1 }, DEFAULT_DESK_CONFIG)).toBe(false);
    // The caller is asked once the declared uploads can no longer be recorded: their links expired, a check had its time.
    expect(callerAskedForEvidenceFrom(entered, config)?.toISOString()).toBe(
      new Date(Date.parse(receivedAt) + (config.uploadSeconds + DECLARED_UPLOAD_GRACE_SECONDS) * 1000).toISOString(),
    );
    expect(callerAskedForEvidenceFrom({ receivedAt }, config)).toBeUndefined();
    expect(evidenceAsked(complaint({ type: 'user', ref: 'uid-1' }), DEFAULT_DESK_CONFIG)).toMatchObject({
      satisfiedBy: 'file',
    });
  });
});

describe('the caller’s files staff declare at entry', () => {
  it('says of each declared file whether it arrived, was refused, is still awaited, or never came', () => {
    const uploadBy = '2026-11-21T10:10:00.000Z';
    const at = '2026-11-21T10:00:00.000Z';
    const events = [
      {
        at,
        actor: 'handler',
        action: 'evidence.declared' as const,
        details: {
          by: 'ops@example.org',
          files: ['A', 'B', 'C'].map((id) => ({ evidenceId: id, name: `${id}.png`, uploadBy })),
        },
      },
      { at, actor: 'handler', action: 'evidence.added' as const, details: { evidenceId: 'A', name: 'A.png' } },
      {
        at,
        actor: 'system',
        action: 'evidence.quarantined' as const,
        details: { evidenceId: 'B', name: 'B.png', reason: 'content-not-matching-type' },
      },
    ];
    const before = new Date(Date.parse(uploadBy) + DECLARED_UPLOAD_GRACE_SECONDS * 1000);
    expect(declaredFiles(events, before)).toEqual([
      { evidenceId: 'A', name: 'A.png', state: 'arrived' },
      { evidenceId: 'B', name: 'B.png', state: 'refused', reason: 'content-not-matching-type' },
      { evidenceId: 'C', name: 'C.png', state: 'expected' },
    ]);
    expect(declaredFiles(events, new Date(before.getTime() + 1000))[2]).toMatchObject({ state: 'never-uploaded' });
    expect(declaredFiles([], before)).toEqual([]);
  });

  const png = { fileName: 'shot', contentType: 'image/png', size: 100 };
  it('takes none, a list, or the form’s JSON text of a list; each named as evidence is', () => {
    expect(validateDeskEvidence(undefined, config, 'en')).toEqual({ ok: true, requests: [] });
    expect(validateDeskEvidence('', config, 'en')).toEqual({ ok: true, requests: [] });
    expect(validateDeskEvidence([png], config, 'en')).toEqual({
      ok: true,
      requests: [{ ...png, fileName: 'shot.png' }],
    });
    expect(validateDeskEvidence(JSON.stringify([png]), config, 'en')).toMatchObject({
      ok: true,
      requests: [{ fileName: 'shot.png' }],
    });
  });
  it('names each bad file by its place, refuses more files than a case keeps, and anything not a list', () => {
    const result = validateDeskEvidence([png, { ...png, contentType: 'application/x-msdownload' }, 3], config, 'zh-CN');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((e) => e.path)).toEqual(['evidence.1.contentType', 'evidence.2']);
    const many = Array.from({ length: config.maxFiles + 1 }, () => png);
    expect(validateDeskEvidence(many, config, 'en')).toEqual({
      ok: false,
      errors: [{ path: 'evidence', message: `at most ${config.maxFiles} files` }],
    });
    expect(validateDeskEvidence('not json', config, 'en')).toEqual({
      ok: false,
      errors: [{ path: 'evidence', message: 'must be a list of files' }],
    });
  });
});

describe('the name evidence is shown under', () => {
  it('drops invisible format characters, so a name cannot pretend to another extension', () => {
    expect(evidenceDisplayName('chat-log\u202Etxt.hta', 'text/plain')).toBe('chat-logtxt.hta.txt');
    expect(evidenceDisplayName('scr\u200Been.png', 'image/png')).toBe('screen.png');
  });
  it('gives it the extension of the type it was checked against, keeping a right one', () => {
    expect(evidenceDisplayName('photo.JPEG', 'image/jpeg')).toBe('photo.JPEG');
    expect(evidenceDisplayName('invoice.exe', 'application/pdf')).toBe('invoice.exe.pdf');
    expect(evidenceDisplayName('server', 'text/plain')).toBe('server.txt');
    expect(evidenceDisplayName('x'.repeat(EVIDENCE_NAME_MAX), 'image/png')).toHaveLength(EVIDENCE_NAME_MAX);
  });
});

describe('whose evidence each side sees', () => {
  const added = (id: string, extra: Record<string, unknown> = {}) => ({
    at: '2026-12-07T10:00:00.000Z',
    actor: 'complainant',
    action: 'evidence.added' as const,
    details: {
      evidenceId: id,
      key: `k/${id}`,
      name: `${id}.png`,
      contentType: 'image/png',
      size: 1,
      sha256: 'x',
      ...extra,
    },
  });
  it('keeps the respondent’s files from the complainant, on this case and on the cases merged into it', () => {
    const events = [added('mine'), added('desk', { uploadedBy: 'h@x' }), added('theirs', { party: 'respondent' })];
    const merged = [{ events: [added('merged'), added('merged-theirs', { party: 'respondent' })] }];
    expect(complainantEvidence(events, merged).map((e) => e.id)).toEqual(['mine', 'desk', 'merged']);
    expect(respondentEvidence(events).map((e) => e.id)).toEqual(['theirs']);
  });
});

describe('the upload slot lock', () => {
  it('outlives every run of the function that takes it, so two runs never hold one slot', async () => {
    const { FUNCTIONS } = await import('../../functions/catalog');
    const { UPLOAD_SLOT_LOCK_MS } = await import('../../functions/store/upload-slots');
    const recorder = FUNCTIONS.find((f) => f.id === 'RecordEvidence')!;
    expect(recorder.timeoutSeconds! * 1000).toBeLessThan(UPLOAD_SLOT_LOCK_MS);
  });
});
