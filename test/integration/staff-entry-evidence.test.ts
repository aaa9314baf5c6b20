import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { pngImage, postToS3 } from '../support/evidence';
import {
  complaintBody,
  emailsTo,
  expectStatus,
  NEEDS_SCREENSHOT,
  SUBJECTS,
  stack,
  track,
  waitForStatus,
} from '../support/stack-client';
import { signIn, staffPost, type Staff } from '../support/staff-client';
import { complaintRecord, eventsOf } from '../support/table';

/**
 * Staff entering a hotline or social complaint attach the caller's evidence themselves (issue 25
 * item 2): the files are checked before anything is filed, each gets the evidence upload, lands
 * as evidence entered by that staff member, and the complainant is never asked to upload.
 */
const OPS_HANDLER = DEFAULT_DESK_CONFIG.teams.operations!.handlers[0]!;
let staff: Staff;
beforeAll(async () => {
  staff = await signIn(OPS_HANDLER);
});

async function enter(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack().api}/staff/complaints`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      cookie: staff.cookie,
      'x-redress-nonce': staff.nonce,
      ...headers,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { response, text, json: text ? JSON.parse(text) : undefined };
}

async function recordedEvidence(id: string) {
  for (let i = 0; i < 1200; i++) {
    const found = (await eventsOf(id)).find((e) => e.action === 'evidence.added');
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no evidence recorded on ${id}`);
}

const SCREENSHOT = pngImage(30, 20);

describe('staff attach the caller’s evidence when entering a complaint', () => {
  it('files a hotline complaint with the caller’s screenshot: recorded as the staff member’s, and the complainant is never asked to upload', async () => {
    const body = complaintBody(0, { ...NEEDS_SCREENSHOT, channel: 'hotline' });
    const filed = expectStatus(
      await enter({
        ...body,
        evidence: [{ fileName: '私信截图.png', contentType: 'image/png', size: SCREENSHOT.length }],
      }),
      201,
      'entry with evidence',
    ).json;
    expect(filed.evidence).toEqual({ required: true, satisfiedBy: 'desk' });
    expect(filed.uploads).toHaveLength(1);
    expect(filed.uploads[0]).toMatchObject({ fileName: '私信截图.png', evidenceId: expect.any(String) });
    expect((await postToS3(filed.uploads[0], SCREENSHOT, 'image/png', '私信截图.png')).status).toBeLessThan(300);

    const added = await recordedEvidence(filed.id);
    expect(added.actor).toBe('handler');
    expect(added.details).toMatchObject({ uploadedBy: OPS_HANDLER, evidenceId: filed.uploads[0].evidenceId });
    expect(await complaintRecord(filed.id)).toMatchObject({ evidenceEnteredBy: OPS_HANDLER, enteredBy: OPS_HANDLER });

    // Its first step is the acceptance review; no request for evidence went out, nor will.
    await waitForStatus(filed.trackingUrl, (t) => t.status === 'acceptance-review');
    const tracked = (await track(filed.trackingUrl)).json;
    expect(JSON.stringify(tracked.history)).not.toContain('请您上传证据');
    expect((await emailsTo(body.complainant.email)).filter((e) => SUBJECTS.evidence.test(e.subject))).toEqual([]);
  });

  it('refuses a file the evidence rules do not take, naming it, and files nothing', async () => {
    const body = complaintBody(0, { ...NEEDS_SCREENSHOT, channel: 'social' });
    const refused = await enter({
      ...body,
      evidence: [
        { fileName: 'ok.png', contentType: 'image/png', size: 100 },
        { fileName: 'setup.exe', contentType: 'application/x-msdownload', size: 100 },
      ],
    });
    expect(refused.response.status).toBe(400);
    expect(refused.json.errors.map((e: { path: string }) => e.path)).toEqual(['evidence.1.contentType']);
    const tooMany = await enter({
      ...body,
      evidence: Array.from({ length: DEFAULT_DESK_CONFIG.evidence.maxFiles + 1 }, (_, i) => ({
        fileName: `${i}.png`,
        contentType: 'image/png',
        size: 100,
      })),
    });
    expect(tooMany.response.status).toBe(400);
    expect(tooMany.json.errors.map((e: { path: string }) => e.path)).toEqual(['evidence']);
    // Nothing was filed: the same complaint now files as a new case (not as a repeat of one).
    const filed = expectStatus(await enter(body), 201, 'entry without evidence').json;
    expect(filed.id).toEqual(expect.any(String));
    expect(filed.duplicateOf).toBeUndefined();
    expect(filed.evidence).toMatchObject({ required: true, satisfiedBy: 'file' });
    expect(filed.uploads).toBeUndefined();
  });

  it('the entry form offers the file picker with its script, and takes the files it declares', async () => {
    const page = await fetch(`${stack().api}/staff/complaints?lang=zh-CN`, { headers: { cookie: staff.cookie } });
    const text = await page.text();
    expect(page.status).toBe(200);
    expect(text).toContain('id="evidence-files"');
    expect(text).toContain('投诉人的证据');
    const csp = page.headers.get('content-security-policy') ?? '';
    const scriptNonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(scriptNonce).toBeTruthy();
    expect(text).toContain(`<script nonce="${scriptNonce}">`);
    expect(
      await (await fetch(`${stack().api}/staff/complaints?lang=en`, { headers: { cookie: staff.cookie } })).text(),
    ).toContain('The caller’s evidence');

    // What the script sends: the form's fields with the files declared, asking for JSON.
    const email = `form-${Date.now().toString(36)}@example.com`;
    const answer = await staffPost(
      '/staff/complaints?lang=en',
      staff,
      {
        nonce: staff.nonce,
        channel: 'social',
        'complainant.name': 'Wang Fang',
        'complainant.email': email,
        'complainant.language': 'en',
        category: 'content',
        'subject.type': 'user',
        'subject.ref': 'uid-20931',
        'subject.name': 'the sender of the private messages',
        description: 'A user keeps sending me threatening private messages; the caller sent me the screenshots.',
        evidence: JSON.stringify([{ fileName: 'chat.png', contentType: 'image/png', size: SCREENSHOT.length }]),
      },
      'application/json',
    );
    expect(answer.response.status).toBe(201);
    const filed = JSON.parse(answer.text);
    expect(filed.evidence).toEqual({ required: true, satisfiedBy: 'desk' });
    expect(filed.uploads).toHaveLength(1);
    expect((await postToS3(filed.uploads[0], SCREENSHOT, 'image/png', 'chat.png')).status).toBeLessThan(300);
    expect((await recordedEvidence(filed.id)).details.uploadedBy).toBe(OPS_HANDLER);

    // Without the script the form files as before; a bad declaration comes back on the page, named.
    const bad = await staffPost('/staff/complaints?lang=en', staff, {
      nonce: staff.nonce,
      channel: 'social',
      'complainant.name': 'Wang Fang',
      'complainant.email': email,
      category: 'content',
      'subject.type': 'user',
      'subject.ref': 'uid-20931',
      description: 'A user keeps sending me threatening private messages; the caller sent me the screenshots.',
      evidence: 'not a list',
    });
    expect(bad.response.status).toBe(400);
    expect(bad.text).toContain('id="evidence-error"');
    expect(bad.text).toContain('must be a list of files');
  });
});
