import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { manifestOf, MANIFEST_PATH, verifyAgainstManifest } from '../../functions/domain/bundle-manifest';
import { caseFileOf, evidencePath } from '../../functions/domain/case-file';
import type { ComplaintRecord } from '../../functions/domain/complaint';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import type { ComplaintEvent } from '../../functions/domain/history';
import { caseDocumentHtml } from '../../functions/pages/case-document';

const STAFF = 'handler.one@desk.example.org';
const RESPONDENT = 'ops@respondent.example.net';
const NOTE = 'internal: complainant sounds like a repeat caller';
const STATEMENT = 'we restored the backup on day two';

const complaint = {
  id: '01JABCDEFGHJKMNPQRSTVWXYZ0',
  number: 'C-20261207-0001',
  status: 'closed',
  outcome: 'resolved',
  closedAt: '2026-12-05T04:00:00.000Z',
  language: 'en',
  receivedAt: '2026-12-01T02:00:00.000Z',
  updatedAt: '2026-12-05T04:00:00.000Z',
  channel: 'web',
  category: 'account',
  subject: { type: 'service', name: 'Wallet' },
  description: 'My account was charged twice for one order.',
  complainant: { name: 'Li Na', email: 'li.na@example.com', phone: '+86 139 0000 0001', language: 'en' },
  flagged: true,
  flagReasons: ['phone-number'],
  assignee: STAFF,
  handler: STAFF,
  respondentEmail: RESPONDENT,
  reply: { reply: 'Refunded the second charge.', grounds: 'Payment log of 1 Dec.' },
} as unknown as ComplaintRecord;

const events: ComplaintEvent[] = [
  { at: '2026-12-01T02:00:00.000Z', actor: 'complainant', action: 'complaint.received' },
  {
    at: '2026-12-01T02:00:01.000Z',
    actor: 'system',
    action: 'complaint.flagged',
    details: { reasons: ['phone-number'] },
  },
  {
    at: '2026-12-01T02:01:00.000Z',
    actor: 'system',
    action: 'task.assigned',
    details: { step: 'acceptance', assignee: STAFF },
  },
  { at: '2026-12-01T03:00:00.000Z', actor: 'handler', action: 'staff.noted', details: { note: NOTE, by: STAFF } },
  {
    at: '2026-12-02T03:00:00.000Z',
    actor: STAFF,
    action: 'decision.recorded',
    details: {
      decidedBy: STAFF,
      complainantNote: { 'zh-CN': '已受理，进入调查', en: 'Accepted; under investigation' },
    },
  },
  {
    at: '2026-12-02T04:00:00.000Z',
    actor: STAFF,
    action: 'statement.requested',
    details: { respondentEmail: RESPONDENT, question: 'backup?' },
  },
  {
    at: '2026-12-03T04:00:00.000Z',
    actor: 'respondent',
    action: 'statement.received',
    details: { statement: STATEMENT },
  },
  {
    at: '2026-12-04T04:00:00.000Z',
    actor: STAFF,
    action: 'reply.sent',
    details: {
      reply: 'Refunded the second charge.',
      grounds: 'Payment log of 1 Dec.',
      complainantNote: { 'zh-CN': 'x', en: 'Refunded the second charge.' },
    },
  },
  {
    at: '2026-12-04T05:00:00.000Z',
    actor: 'complainant',
    action: 'review.requested',
    details: { reason: 'I want the fee back too' },
  },
  {
    at: '2026-12-04T06:00:00.000Z',
    actor: 'supervisor',
    action: 'review.ruled',
    details: {
      ruling: 'uphold',
      reason: 'The fee was disclosed.',
      decidedBy: STAFF,
      complainantNote: { 'zh-CN': 'x', en: 'The original outcome stands' },
    },
  },
];

const evidence = [
  {
    id: 'e1',
    key: 'recorded/complaints/x/evidence/y',
    name: '../截图 1.png',
    contentType: 'image/png',
    size: 10,
    sha256: 'a'.repeat(64),
    addedAt: '2026-12-01T02:30:00.000Z',
  },
];

const build = (audience: 'staff' | 'complainant') =>
  caseFileOf({
    kind: 'export',
    audience,
    language: 'en',
    complaint,
    events,
    evidence,
    desk: DEFAULT_DESK_CONFIG,
    generatedAt: '2026-12-06T00:00:00.000Z',
  });

describe('a case file', () => {
  it('for the complainant holds their complaint, what they were told, the reply with grounds, the review ruling and their evidence', () => {
    const file = build('complainant');
    expect(file.complainant).toEqual({
      name: 'Li Na',
      email: 'li.na@example.com',
      phone: '+86 139 0000 0001',
      language: 'en',
    });
    expect(file.complaint.description).toBe(complaint.description);
    expect(file.reply).toMatchObject({ reply: 'Refunded the second charge.', grounds: 'Payment log of 1 Dec.' });
    expect(file.review).toMatchObject({
      reason: 'I want the fee back too',
      ruling: 'uphold',
      rulingReason: 'The fee was disclosed.',
    });
    expect(file.decisions.map((d) => d.action)).toEqual(['decision.recorded', 'reply.sent', 'review.ruled']);
    expect(file.evidence[0]).toMatchObject({ sha256: 'a'.repeat(64), path: 'evidence/01-截图_1.png' });
    expect(file.timeline.find((t) => t.action === 'review.requested')?.ownWords).toBe('I want the fee back too');
  });

  it('for the complainant holds no staff address, internal note, flag or the respondent’s side, in JSON or HTML', () => {
    const file = build('complainant');
    for (const text of [JSON.stringify(file), caseDocumentHtml(file)])
      for (const secret of [
        STAFF,
        RESPONDENT,
        NOTE,
        STATEMENT,
        'backup?',
        'phone-number',
        'flagged',
        'staff.noted',
        'statement.',
      ])
        expect(text, secret).not.toContain(secret);
  });

  it('for staff holds the whole history and how it was handled', () => {
    const file = build('staff');
    const text = JSON.stringify(file);
    for (const shown of [STAFF, RESPONDENT, NOTE, STATEMENT, 'phone-number']) expect(text).toContain(shown);
    expect(file.handling).toMatchObject({ flagged: true, respondentEmail: RESPONDENT });
  });

  it('prints: one page per section, times with their zone, no script', () => {
    const page = caseDocumentHtml(build('complainant'));
    expect(page).toContain('@media print');
    expect(page).toContain('break-before:page');
    expect(page).toMatch(/\(UTC\+8\)/);
    expect(page).not.toMatch(/<script|<link|src=/i);
  });

  it('names evidence files safely and uniquely', () => {
    expect(evidencePath(0, '../../etc/passwd')).toBe('evidence/01-etc_passwd');
    expect(evidencePath(11, '')).toBe('evidence/12-file');
  });
});

describe('a bundle manifest', () => {
  const files = [
    { path: 'case.json', bytes: strToU8('{"a":1}') },
    { path: 'evidence/01-a.png', bytes: new Uint8Array([1, 2, 3]) },
  ];
  const archive = () =>
    new Map<string, Uint8Array>([
      [
        MANIFEST_PATH,
        strToU8(
          JSON.stringify(
            manifestOf({ kind: 'referral-bundle', caseNumber: 'C-1', generatedAt: 'now', desk: 'D' }, files),
          ),
        ),
      ],
      ...files.map((f) => [f.path, f.bytes] as [string, Uint8Array]),
    ]);

  it('verifies an intact archive', () => {
    expect(verifyAgainstManifest(archive())).toEqual([]);
  });

  it('names a changed, a missing and an unlisted file', () => {
    const changed = archive();
    changed.set('evidence/01-a.png', new Uint8Array([1, 2, 4]));
    expect(verifyAgainstManifest(changed)).toEqual([
      expect.objectContaining({ path: 'evidence/01-a.png', problem: 'changed' }),
    ]);
    const missing = archive();
    missing.delete('case.json');
    expect(verifyAgainstManifest(missing)).toEqual([
      expect.objectContaining({ path: 'case.json', problem: 'missing' }),
    ]);
    const extra = archive();
    extra.set('evidence/02-b.png', new Uint8Array([9]));
    expect(verifyAgainstManifest(extra)).toEqual([
      expect.objectContaining({ path: 'evidence/02-b.png', problem: 'not-listed' }),
    ]);
    const none = archive();
    none.delete(MANIFEST_PATH);
    expect(verifyAgainstManifest(none)[0]).toMatchObject({ path: MANIFEST_PATH, problem: 'missing' });
  });
});

describe('every case page in print', () => {
  it('leaves out the header, navigation and forms, and starts each section on a page', async () => {
    const { page, html } = await import('../../functions/pages/layout');
    const printed = page({ title: 'Case', language: 'en', body: html`<section>a</section>` });
    const print = /@media print\{(.*)\}\n/.exec(printed)?.[1] ?? '';
    expect(print).toMatch(/header,nav,form,button/);
    expect(print).toMatch(/display:none/);
    expect(print).toMatch(/section\{[^}]*break-before:page/);
  });
});
