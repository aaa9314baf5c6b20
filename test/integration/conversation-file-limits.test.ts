import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG, type DeskConfig } from '../../functions/domain/config';
import { pngImage, postToS3, requestUpload, tokenOf } from '../support/evidence';
import { scratchRoot, writeTestConfig } from '../support/local-stack-setup';
import { ownStack } from '../support/own-stack';
import { CaseDriver, expectStatus, linkIn, stack, SUBJECTS, track } from '../support/stack-client';
import { signIn, type Staff, staffPostJson } from '../support/staff-client';
import { complaintRecord, eventsOf } from '../support/table';

/**
 * The conversation's files and the case's allowances (issue 25 gaps), on a stack of this file's
 * own with small limits: the complainant's side keeps 2 files, the respondent's 1.
 */
const desk: DeskConfig = {
  ...DEFAULT_DESK_CONFIG,
  evidence: {
    ...DEFAULT_DESK_CONFIG.evidence,
    maxFiles: 2,
    respondent: { ...DEFAULT_DESK_CONFIG.evidence.respondent, maxFiles: 1 },
  },
};
ownStack({ REDRESS_CONFIG_FILE: writeTestConfig(mkdtempSync(path.join(scratchRoot(), 'redress-limits-')), desk) });

const sessions = new Map<string, Promise<Staff>>();
const staffFor = (email: string) => {
  if (!sessions.has(email)) sessions.set(email, signIn(email));
  return sessions.get(email)!;
};

async function waitFor<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 1200; i++) {
    const found = await read();
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}

/** A case under investigation whose respondent has a link (from a message the desk sent them). */
async function withRespondent() {
  const c = await CaseDriver.file(1);
  const acceptance = await c.taskLink(SUBJECTS.acceptance);
  const handler = acceptance.email.destination.to[0]!;
  await c.act(acceptance.url, { decision: 'accept' });
  const investigation = await c.taskLink(SUBJECTS.investigation, handler);
  const id = (await track(c.trackingUrl)).json.id as string;
  const respondent = `resp-limits-${Date.now().toString(36)}@example.net`;
  await c.act(investigation.url, { decision: 'request-statement', respondentEmail: respondent, question: 'Why?' });
  await c.act((await c.taskLink(SUBJECTS.statement, respondent)).url, { statement: 'It was a mistake.' });
  await c.taskLink(SUBJECTS.investigation, handler);
  const staff = await staffFor(handler);
  expectStatus(
    await staffPostJson(staff, `/staff/complaints/${id}/messages`, { to: 'respondent', text: 'Send us the log.' }),
    201,
    'message to respondent',
  );
  const link = linkIn(await c.email(/A message about a complaint/, respondent), '/respond/');
  return { c, id, staff, link, token: new URL(link).searchParams.get('token')! };
}

const PNG = pngImage();

async function recorded(id: string, evidenceId: string) {
  return waitFor(`evidence ${evidenceId} recorded`, async () =>
    (await eventsOf(id)).find((e) => e.action === 'evidence.added' && e.details.evidenceId === evidenceId),
  );
}

describe('each side of a case keeps its own file allowance', () => {
  it('a respondent’s files no longer use up the complainant’s; each side’s limit is a bilingual problem', async () => {
    const r = await withRespondent();
    const respondentAsks = (language: string) =>
      fetch(`${stack().api}/respond/${r.id}/attachments`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'accept-language': language,
          authorization: `Bearer ${r.token}`,
        },
        body: JSON.stringify({ fileName: 'log.png', contentType: 'image/png', size: PNG.length }),
      });
    // The respondent's allowance: one file kept, two uploads handed out.
    const first = expectStatus({ response: await respondentAsks('en'), json: undefined }, 201, 'respondent grant');
    const grant = (await first.response.json()) as any;
    expect((await postToS3(grant, PNG, 'image/png', 'log.png')).status).toBeLessThan(300);
    await recorded(r.id, grant.evidenceId);
    expect((await respondentAsks('en')).status).toBe(201);
    const refusedEn = await respondentAsks('en');
    expect(refusedEn.status).toBe(409);
    expect(refusedEn.headers.get('content-type')).toContain('application/problem+json');
    expect(await refusedEn.json()).toMatchObject({
      type: 'urn:redress:problem:evidence-limit-reached',
      title: 'You have sent as many files on this complaint as you can',
      detail: 'The respondent may send at most 1 files on a complaint.',
    });
    expect(await (await respondentAsks('zh-CN')).json()).toMatchObject({
      title: '您在该投诉中的文件数量已达上限',
      detail: '被投诉方在每个投诉中最多提交 1 个文件。',
    });

    // The complainant's allowance is untouched: two files recorded, four uploads handed out.
    const token = tokenOf(r.c.trackingUrl);
    const body = { fileName: 'shot.png', contentType: 'image/png', size: PNG.length };
    for (let i = 0; i < 2; i++) {
      const { response, json } = await requestUpload(r.id, token, body);
      expect(response.status).toBe(201);
      expect((await postToS3(json, PNG, 'image/png', 'shot.png')).status).toBeLessThan(300);
      await recorded(r.id, json.evidenceId);
    }
    for (let i = 0; i < 2; i++) expect((await requestUpload(r.id, token, body)).response.status).toBe(201);
    const full = await fetch(`${stack().api}/complaints/${r.id}/evidence`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    expect(full.status).toBe(409);
    expect(await full.json()).toMatchObject({
      type: 'urn:redress:problem:evidence-limit-reached',
      title: '该投诉的证据数量已达上限',
      detail: '每个投诉最多 2 个文件。',
    });
    expect(await complaintRecord(r.id)).toMatchObject({
      evidenceCount: 2,
      uploadsIssued: 4,
      respondentEvidenceCount: 1,
      respondentUploadsIssued: 2,
    });
  });
});
