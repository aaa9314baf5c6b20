import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/prerequisites';
import { runRoot, startStackProcess, stopStackProcess } from '../support/local-stack-setup';
import { CaseDriver, SUBJECTS } from '../support/stack-client';
import { stalledCases } from '../support/stalled';

/**
 * The local Step Functions engine keeps executions in memory. A restart of `npm start` must not
 * strand an open complaint: each is started again at the step it records, with its deadline,
 * and its people get a fresh link.
 */
describe('a restart of the local stack', () => {
  const dataDir = mkdtempSync(path.join(runRoot(), 'redress-restart-'));
  const running: Awaited<ReturnType<typeof startStackProcess>>[] = [];
  afterAll(async () => {
    for (const stack of running) await stopStackProcess(stack.child);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('re-drives complaints mid-acceptance and mid-investigation, and both finish', async () => {
    const ports = { PORT: String(await freePort()), MAIL_PORT: String(await freePort()), REDRESS_DATA_DIR: dataDir };
    const first = await startStackProcess(ports);
    running.push(first);
    const endpoints = { api: first.urls.api, mailbox: first.urls.mailbox };

    const inAcceptance = await CaseDriver.file(1, {}, endpoints);
    const oldAcceptance = await inAcceptance.taskLink(SUBJECTS.acceptance);
    const inInvestigation = await CaseDriver.file(3, {}, endpoints);
    await inInvestigation.act((await inInvestigation.taskLink(SUBJECTS.acceptance)).url, { decision: 'accept' });
    const oldInvestigation = await inInvestigation.taskLink(SUBJECTS.investigation);

    await stopStackProcess(first.child);
    const second = await startStackProcess(ports);
    running.push(second);
    expect(second.output()).toMatch(/resumed 2 open complaint\(s\)/);

    const freshAcceptance = await inAcceptance.taskLink(SUBJECTS.acceptance);
    const freshInvestigation = await inInvestigation.taskLink(SUBJECTS.investigation);
    const stale = await fetch(oldAcceptance.url);
    expect(stale.status).toBe(410);
    expect(await stale.text()).toMatch(/新链接|fresh link/);
    expect((await fetch(oldInvestigation.url)).status).toBe(410);

    await inAcceptance.act(freshAcceptance.url, { decision: 'reject', reason: 'insufficient-evidence' });
    expect((await inAcceptance.status((c) => c.status === 'closed')).outcome).toBe('rejected');

    await inInvestigation.act(freshInvestigation.url, {
      decision: 'record-findings',
      findings: '帖子已删除。',
      actions: 'privacy-measures',
    });
    await inInvestigation.act((await inInvestigation.taskLink(SUBJECTS.reply)).url, {
      reply: '已删除帖子并封禁发帖人。',
      grounds: '隐私保护规定',
    });
    const survey = await inInvestigation.taskLink(SUBJECTS.outcome, inInvestigation.complainantEmail);
    await inInvestigation.act(survey.url, { rating: '4' });
    const closed = await inInvestigation.status((c) => c.status === 'closed');
    expect(closed).toMatchObject({ outcome: 'resolved', satisfaction: 4 });
    expect(await stalledCases({ urls: second.urls })).toEqual([]);
  });
});
