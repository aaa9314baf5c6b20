import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync, zipSync } from 'fflate';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { grantUpload, pngImage, postToS3, tokenOf } from '../support/evidence';
import { runRoot } from '../support/local-stack-setup';
import { ownStack } from '../support/own-stack';
import { CaseDriver, SUBJECTS, stack, track, WAIT_MS } from '../support/stack-client';
import { signIn, staffPost, type Staff } from '../support/staff-client';
import { eventsOf, setOnComplaint } from '../support/table';

/**
 * The complainant's copy of their data and the referral bundle, over HTTP: one case taken
 * through evidence, an internal note, the respondent's statement, findings and a reply, then
 * downloaded as each reader may have it.
 */
const TEAMS = DEFAULT_DESK_CONFIG.teams;
const TRUST_HANDLER = TEAMS.trust!.handlers[0]!;
const TRUST_SUPERVISOR = TEAMS.trust!.supervisor;
const OPS_HANDLER = TEAMS.operations!.handlers[0]!;
const run = promisify(execFile);

// A stack of its own: its staff sign in by emailed link, and the shared stack's staff-desk tests
// sign in the same addresses at the same time (each could open the other's link).
ownStack();

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const text = (files: Record<string, Uint8Array>) =>
  Object.entries(files)
    .map(([path, bytes]) => `${path}\n${Buffer.from(bytes).toString('utf8')}`)
    .join('\n');

/**
 * An archive route answers 303 See Other to a short-lived link of the stored ZIP (it may be larger
 * than API Gateway and Lambda can answer); the download follows it, as browsers and fetch do.
 */
async function download(url: string, headers: Record<string, string> = {}) {
  const answer = await fetch(url, { headers, redirect: 'manual' });
  expect(answer.status, `${answer.headers.get('content-type')}`).toBe(303);
  expect(answer.headers.get('cache-control')).toBe('no-store');
  const location = new URL(answer.headers.get('location')!);
  const response = await fetch(location);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { answer, location, response, bytes };
}

async function verifyBundle(bytes: Uint8Array) {
  const path = join(mkdtempSync(join(runRoot(), 'bundle-')), 'bundle.zip');
  writeFileSync(path, bytes);
  return run('npx', ['tsx', 'infra/local/verify-bundle.ts', path]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

describe('case archives', () => {
  let handler: Staff;
  let c: CaseDriver;
  let id: string;
  let token: string;
  const png = pngImage(30, 20, [10, 120, 200]);
  const tag = Date.now().toString(36);
  const note = `note-${tag}: called back, sounds upset`;
  const respondent = `ops-${tag}@respondent.example.net`;
  const question = `question-${tag}: were the backups taken?`;
  const statement = `statement-${tag}: the backup failed that night`;
  const findings = `findings-${tag}: charged twice`;

  beforeAll(async () => {
    handler = await signIn(TRUST_HANDLER);
    c = await CaseDriver.file(1, { complainant: { language: 'en' } });
    id = (await track(c.trackingUrl)).json.id;
    token = tokenOf(c.trackingUrl);
    const grant = await grantUpload(id, token, {
      fileName: 'charge 1.png',
      contentType: 'image/png',
      size: png.length,
    });
    expect((await postToS3(grant, png, 'image/png')).status).toBeLessThan(300);
    const deadline = Date.now() + WAIT_MS;
    while (Date.now() < deadline && !(await eventsOf(id)).some((e) => e.action === 'evidence.added'))
      await new Promise((r) => setTimeout(r, 100));
    await c.act((await c.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
    expect(
      (await staffPost(`/staff/complaints/${id}/notes?lang=en`, handler, { nonce: handler.nonce, note })).response
        .status,
    ).toBe(303);
    await c.act((await c.taskLink(SUBJECTS.investigation)).url, {
      decision: 'request-statement',
      respondentEmail: respondent,
      question,
    });
    await c.act((await c.taskLink(SUBJECTS.statement, respondent)).url, { statement });
    await c.act((await c.taskLink(SUBJECTS.investigation)).url, { decision: 'record-findings', findings });
    await c.act((await c.taskLink(SUBJECTS.reply)).url, {
      reply: 'Refunded the second charge.',
      grounds: 'Payment log.',
    });
    await c.status((x) => x.status === 'awaiting-feedback' || x.history.some((h: any) => h.action === 'reply.sent'));
    // A flag on the record (intake's hold for review), so the scan below has one to miss.
    await setOnComplaint(id, { flagged: true, flagReasons: ['home-address'] });
  });

  it('export: everything meant for the complainant, in their language, and none of the staff-only items; recorded', async () => {
    const { response, bytes } = await download(
      `${stack().api}/complaints/${id}/export?token=${encodeURIComponent(token)}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename=".*-export\.zip"/);
    const files = unzipSync(bytes);
    expect(Object.keys(files).sort()).toEqual([
      'case.html',
      'case.json',
      'evidence/01-charge_1.png',
      'history.json',
      'manifest.json',
    ]);
    const file = JSON.parse(Buffer.from(files['case.json']!).toString('utf8'));
    expect(file).toMatchObject({ kind: 'export', audience: 'complainant', language: 'en' });
    expect(file.complainant.email).toBe(c.complainantEmail);
    expect(file.reply).toMatchObject({ reply: 'Refunded the second charge.', grounds: 'Payment log.' });
    expect(file.evidence).toEqual([expect.objectContaining({ name: 'charge 1.png', sha256: sha256(png) })]);
    expect(Buffer.from(files['evidence/01-charge_1.png']!).equals(png)).toBe(true);
    const page = Buffer.from(files['case.html']!).toString('utf8');
    expect(page).toContain('A copy of your data');
    expect(page).toContain('Refunded the second charge.');
    expect(page).toContain('Payment log.');
    const actions = file.timeline.map((t: any) => t.action);
    for (const told of ['complaint.received', 'evidence.added', 'decision.recorded', 'reply.sent'])
      expect(actions).toContain(told);
    // Staff addresses, internal notes, the respondent's side, flags: none of them anywhere in the ZIP.
    const all = text(files);
    for (const secret of [
      TRUST_HANDLER,
      TRUST_SUPERVISOR,
      note,
      respondent,
      question,
      statement,
      findings,
      'home-address',
      'flagged',
      'staff.viewed',
      'staff.noted',
      'statement.received',
    ])
      expect(all, secret).not.toContain(secret);
    expect((await eventsOf(id)).filter((e) => e.action === 'export.generated')).toEqual([
      expect.objectContaining({ actor: 'complainant', details: expect.objectContaining({ audience: 'complainant' }) }),
    ]);
    expect((await track(c.trackingUrl)).json.history.map((h: any) => h.label)).toContain(
      'You downloaded a copy of your data',
    );
  });

  it('stores the archive under exports/ and hands it out by a link that lives five minutes', async () => {
    const { answer, location, response } = await download(
      `${stack().api}/complaints/${id}/export?token=${encodeURIComponent(token)}`,
    );
    expect(response.status).toBe(200);
    expect(answer.headers.get('x-manifest-sha256')).toMatch(/^[0-9a-f]{64}$/);
    // Path-style locally (s3rver): /<bucket>/exports/<case>/<random>/<number>-referral-bundle.zip
    const [, bucket, ...key] = decodeURIComponent(location.pathname).split('/');
    expect(key.join('/')).toMatch(new RegExp(`^exports/${id}/[0-9a-f]{24}/${c.number}-export\\.zip$`));
    const s3 = new S3Client({
      endpoint: stack().s3,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const stored = await s3.send(new ListObjectsV2Command({ Bucket: bucket!, Prefix: `exports/${id}/` }));
    expect(stored.Contents?.map((o) => o.Key)).toContain(key.join('/'));
    // The presigner signs with the system clock (S3 checks against its own), not the desk's clock:
    // signed now, for 300 seconds; the download always saves under the archive's name.
    expect(location.searchParams.get('X-Amz-Expires')).toBe('300');
    const signedAt = location.searchParams
      .get('X-Amz-Date')!
      .replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z');
    expect(Math.abs(new Date(signedAt).getTime() - Date.now())).toBeLessThan(120_000);
    expect(location.searchParams.get('response-content-disposition')).toMatch(
      new RegExp(`^attachment; filename="${c.number}-export\\.zip"`),
    );
    // The same link signed 301 seconds earlier is past its lifetime: refused.
    const stale = new URL(location);
    const earlier = new Date(new Date(signedAt).getTime() - 301_000).toISOString().replace(/[-:]|\.\d{3}/g, '');
    stale.searchParams.set('X-Amz-Date', earlier);
    const refused = await fetch(stale);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Request has expired');
  });

  it('refuses a wrong token as if there were no complaint', async () => {
    const wrong = await fetch(
      `${stack().api}/complaints/${id}/export?token=${encodeURIComponent(token.replace(/^.{4}/, 'AAAA'))}`,
    );
    expect(wrong.status).toBe(404);
    expect(wrong.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('staff bundle: manifest over every file, hashes verify; a tampered copy is rejected naming the file', async () => {
    const { response, bytes } = await download(`${stack().api}/staff/complaints/${id}/referral-bundle?lang=en`, {
      cookie: handler.cookie,
    });
    expect(response.status).toBe(200);
    const files = unzipSync(bytes);
    const manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString('utf8'));
    expect(manifest).toMatchObject({ kind: 'referral-bundle', caseNumber: c.number, desk: 'Redress complaints' });
    expect(new Date(manifest.generatedAt).getTime()).not.toBeNaN();
    expect(manifest.files.map((f: any) => f.path).sort()).toEqual(
      Object.keys(files)
        .filter((p) => p !== 'manifest.json')
        .sort(),
    );
    for (const f of manifest.files)
      expect(f).toEqual({ path: f.path, size: files[f.path]!.length, sha256: sha256(files[f.path]!) });
    // The staff version is the whole case: the note, the statement, who did what.
    const all = text(files);
    for (const shown of [note, statement, findings, TRUST_HANDLER]) expect(all).toContain(shown);
    const page = Buffer.from(files['case.html']!).toString('utf8');
    expect(page).toMatch(/\(UTC\+8\)/);
    expect(page).toContain(sha256(png));
    expect(page).toContain('Payment log.');

    const intact = await verifyBundle(bytes);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toContain('intact');

    const tampered = {
      ...files,
      'evidence/01-charge_1.png': new Uint8Array([...files['evidence/01-charge_1.png']!, 0]),
    };
    const rejected = await verifyBundle(zipSync(tampered));
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain('CHANGED evidence/01-charge_1.png');

    const recorded = (await eventsOf(id)).filter((e) => e.action === 'bundle.generated');
    expect(recorded).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ audience: 'staff', by: TRUST_HANDLER }) }),
    ]);
  });

  it('the complainant’s bundle verifies and holds nothing staff-only; another team’s handler gets 403', async () => {
    const { response, bytes } = await download(
      `${stack().api}/complaints/${id}/referral-bundle?token=${encodeURIComponent(token)}`,
    );
    expect(response.status).toBe(200);
    expect((await verifyBundle(bytes)).code).toBe(0);
    const all = text(unzipSync(bytes));
    for (const secret of [TRUST_HANDLER, note, respondent, statement, 'home-address'])
      expect(all).not.toContain(secret);
    const other = await signIn(OPS_HANDLER);
    const refused = await fetch(`${stack().api}/staff/complaints/${id}/referral-bundle`, {
      headers: { cookie: other.cookie, accept: 'application/json' },
    });
    expect(refused.status).toBe(403);
  });
});
