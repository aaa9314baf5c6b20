import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { freePort } from '../../infra/local/prerequisites';
import { runRoot, sharedDynamoDb, startStackProcess, stopStackProcess } from '../support/local-stack-setup';
import { CaseDriver, postFields, SUBJECTS, type Email } from '../support/stack-client';

/**
 * A task link acts only for someone who is still staff, at the task's place or above: a handler
 * taken out of the config no longer reads the case or decides it through any link they hold, and
 * the task goes to a handler who is still on the team. The config changes as it does in the
 * cloud, by deploying it: here the stack restarts on the same data with the new config.
 */
const GONE = 'gone.handler@example.org';
const STAYS = DEFAULT_DESK_CONFIG.teams.trust!.handlers[0]!;

function configWithTrustHandlers(dir: string, name: string, handlers: string[]): string {
  const file = path.join(dir, name);
  const desk = {
    ...DEFAULT_DESK_CONFIG,
    teams: { ...DEFAULT_DESK_CONFIG.teams, trust: { ...DEFAULT_DESK_CONFIG.teams.trust!, handlers } },
  };
  writeFileSync(file, JSON.stringify({ mailFrom: 'complaints@redress.test', desk }));
  return file;
}

describe('a staff member taken out of the config', () => {
  const dataDir = mkdtempSync(path.join(runRoot(), 'redress-staff-removed-'));
  const running: Awaited<ReturnType<typeof startStackProcess>>[] = [];
  afterAll(async () => {
    for (const stack of running) await stopStackProcess(stack.child);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('can no longer open or decide the case through a task link, and the task goes to a handler still on the team', async () => {
    // Both stacks keep the data in the run's DynamoDB Local (the database named by the data directory).
    const ports = {
      ...sharedDynamoDb(),
      PORT: String(await freePort()),
      MAIL_PORT: String(await freePort()),
      INBOUND_MAIL_PORT: String(await freePort()),
      REDRESS_DATA_DIR: dataDir,
    };
    const first = await startStackProcess({
      ...ports,
      REDRESS_CONFIG_FILE: configWithTrustHandlers(dataDir, 'before.json', [GONE]),
    });
    running.push(first);
    const endpoints = { api: first.urls.api, mailbox: first.urls.mailbox };
    // An account complaint: the trust team's, so GONE handles it and then investigates it.
    const c = await CaseDriver.file(1, {}, endpoints);
    await c.act((await c.taskLink(SUBJECTS.acceptance, GONE)).url, { decision: 'accept' });
    const investigation = await c.taskLink(SUBJECTS.investigation, GONE);
    expect((await fetch(investigation.url)).status).toBe(200);

    await stopStackProcess(first.child);
    const second = await startStackProcess({
      ...ports,
      REDRESS_CONFIG_FILE: configWithTrustHandlers(dataDir, 'after.json', [STAYS]),
    });
    running.push(second);

    // The task is a current handler's now, and their link works.
    const fresh = await c.taskLink(SUBJECTS.investigation, STAYS);
    expect((await fetch(fresh.url)).status).toBe(200);

    // No link GONE holds, old or sent since, shows the case or takes a decision.
    const mailbox = (await (await fetch(`${second.urls.mailbox}/store`)).json()) as { emails: Email[] };
    const gonesLinks = [
      ...new Set([
        investigation.url,
        ...mailbox.emails
          .filter((e) => e.destination.to.includes(GONE) && e.subject.includes(`[${c.number}]`))
          .map((e) => /https?:\/\/\S+\/tasks\/\S+/.exec(e.body.text)?.[0])
          .filter((url): url is string => !!url),
      ]),
    ];
    for (const url of gonesLinks) {
      const page = await fetch(url);
      const text = await page.text();
      // Not even who holds the task now: the link is simply no longer theirs.
      expect(page.status, url).toBe(403);
      expect(text).not.toContain('异地登录');
      expect(text).not.toContain(STAYS);
      const posted = await postFields(url, {
        nonce: /name="nonce" value="([^"]+)"/.exec(text)?.[1] ?? 'none',
        decision: 'record-findings',
        findings: 'Decided by someone no longer on the desk.',
      });
      expect(posted.response.status).toBe(403);
    }
    const history = (await c.status(() => true)).history.map((h: any) => h.action);
    expect(history.filter((action: string) => action === 'decision.recorded')).toHaveLength(1);
  });
});
