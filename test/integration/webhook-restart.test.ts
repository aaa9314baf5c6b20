import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { freePort } from '../../infra/local/prerequisites';
import { runRoot, sharedDynamoDb, startStackProcess, stopStackProcess } from '../support/local-stack-setup';
import { CaseDriver, moveClock, useStack, WAIT_MS } from '../support/stack-client';

/**
 * The local bus keeps a webhook delivery waiting for its retry in the table, as the cloud's SQS
 * queue keeps the message: a stop of `npm start` between a failed try and its retry does not lose
 * it, and the restarted stack delivers it once it falls due.
 */
interface Received {
  type: string;
  eventId: string;
  answered: number;
}
const received: Received[] = [];
let accepting = false;
let receiver: Server;

interface Delivery {
  eventId: string;
  type: string;
  state: string;
  attempts: { ok: boolean }[];
  nextTryAt?: string;
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not seen in ${WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a webhook delivery waiting for its retry when the local stack stops', () => {
  const dataDir = mkdtempSync(path.join(runRoot(), 'redress-webhook-restart-'));
  const configFile = path.join(dataDir, 'desk.json');
  const running: Awaited<ReturnType<typeof startStackProcess>>[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const answered = accepting ? 204 : 503;
        received.push({
          type: String(req.headers['redress-event-type']),
          eventId: String(req.headers['redress-event-id']),
          answered,
        });
        res.writeHead(answered);
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    writeFileSync(
      configFile,
      JSON.stringify({
        mailFrom: 'complaints@redress.test',
        desk: {
          ...DEFAULT_DESK_CONFIG,
          integrations: { webhooks: [{ id: 'forum', url, events: ['complaint.received'] }] },
        },
      }),
    );
  });

  afterAll(async () => {
    for (const stack of running) await stopStackProcess(stack.child);
    await new Promise((resolve) => receiver?.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is kept in the table and delivered by the restarted stack', async () => {
    // Both stacks keep the data in the run's DynamoDB Local (the database named by the data directory).
    const env = {
      ...sharedDynamoDb(),
      PORT: String(await freePort()),
      MAIL_PORT: String(await freePort()),
      REDRESS_DATA_DIR: dataDir,
      REDRESS_CONFIG_FILE: configFile,
      REDRESS_WEBHOOK_SECRETS: JSON.stringify({ forum: ['forum-secret-0123456789abcdefghijklmn'] }),
    };
    const first = await startStackProcess(env);
    running.push(first);
    useStack(first.urls);
    const driver = await CaseDriver.file(1, {}, { api: first.urls.api, mailbox: first.urls.mailbox });
    // The first try is refused; the retry waits 30 s (clock x1): the stack stops before it.
    const failed = await until('a refused first try', () => received.find((r) => r.answered === 503));
    const waiting = await until('the delivery waiting for its retry', async () => {
      const deliveries = (await (await fetch(`${first.urls.events}/deliveries.json`)).json()) as Delivery[];
      return deliveries.find((d) => d.eventId === failed.eventId && d.attempts.length === 1 && d.nextTryAt);
    });
    expect(waiting).toMatchObject({ type: 'complaint.received', state: 'pending' });
    await stopStackProcess(first.child);

    accepting = true;
    const second = await startStackProcess(env);
    running.push(second);
    useStack(second.urls);
    expect(second.output()).toMatch(/resumed 1 webhook deliver\(ies\)/);
    // The retry falls due: the restarted stack tries it, and the platform takes it.
    await moveClock(120);
    const delivered = await until('the delivery retried by the restarted stack', async () => {
      const deliveries = (await (await fetch(`${second.urls.events}/deliveries.json`)).json()) as Delivery[];
      return deliveries.find((d) => d.eventId === failed.eventId && d.state === 'delivered');
    });
    expect(delivered.attempts.map((a) => a.ok)).toEqual([false, true]);
    expect(received.filter((r) => r.eventId === failed.eventId).map((r) => r.answered)).toEqual([503, 204]);
    expect(driver.number).toBeTruthy();
  });
});
