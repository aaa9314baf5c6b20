import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DESK_CONFIG } from '../../functions/domain/config';
import { signatureHeader, verifySignature } from '../../functions/domain/webhook-signing';
import { schemaErrors } from '../support/event-schemas';
import { scratchRoot, startStackProcess, stopStackProcess, type StackUrls } from '../support/local-stack-setup';
import {
  CaseDriver,
  moveClock,
  nonceOf,
  postFields,
  SUBJECTS,
  stack,
  useStack,
  WAIT_MS,
} from '../support/stack-client';
import { signIn } from '../support/staff-client';

// The platform's webhook receiver: a real HTTP server that keeps every request and refuses the
// first `complaint.accepted` with a 500, so the bus must try it again.
interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  answered: number;
}
const received: Received[] = [];
let refusedOnce = false;
let receiver: Server;

// Two active secrets: the webhook is mid-rotation, so each request carries both signatures.
const NEW_SECRET = 'platform-secret-new-0123456789abcdefghijk';
const OLD_SECRET = 'platform-secret-old-0123456789abcdefghijk';
const INBOUND_SECRET = 'inbound-secret-0123456789abcdefghijklmno';

let stopStack: (() => Promise<void>) | undefined;
/** The stack's clock minus this process's: requests the platform signs carry the stack's time. */
let clockOffsetMs = 0;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const refuse = !refusedOnce && req.headers['redress-event-type'] === 'complaint.accepted';
      if (refuse) refusedOnce = true;
      const answered = refuse ? 500 : 204;
      received.push({ headers: req.headers, body, answered });
      res.writeHead(answered);
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/redress`;
  const configFile = path.join(scratchRoot(), `redress-events-config-${process.pid}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      mailFrom: 'complaints@redress.test',
      desk: {
        ...DEFAULT_DESK_CONFIG,
        integrations: {
          webhooks: [
            {
              id: 'forum',
              url,
              events: ['complaint.received', 'complaint.accepted', 'subject.lock-requested', 'decision.recorded'],
            },
          ],
        },
      },
    }),
  );
  const started = await startStackProcess({
    REDRESS_CONFIG_FILE: configFile,
    REDRESS_WEBHOOK_SECRETS: JSON.stringify({ forum: [NEW_SECRET, OLD_SECRET], inbound: [INBOUND_SECRET] }),
    // The outbox's scheduled publisher runs every second here (a minute in the cloud).
    REDRESS_RECONCILE_EVERY_MS: '1000',
  });
  useStack(started.urls);
  stopStack = async () => {
    await stopStackProcess(started.child);
    rmSync(started.dataDir, { recursive: true, force: true });
    rmSync(configFile, { force: true });
  };
});

afterAll(async () => {
  await stopStack?.();
  await new Promise((resolve) => receiver?.close(resolve));
});

const events = () => (stack() as StackUrls).events;

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not seen in ${WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const deliveredOf = (complaintId: string, type: string) =>
  received.filter(
    (r) => r.answered === 204 && r.headers['redress-event-type'] === type && r.body.includes(complaintId),
  );

async function postSigned(body: string, secret = INBOUND_SECRET) {
  const timestamp = Math.floor((Date.now() + clockOffsetMs) / 1000);
  return fetch(`${stack().api}/integrations/actions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'redress-timestamp': String(timestamp),
      'redress-signature': signatureHeader([secret], timestamp, body),
    },
    body,
  });
}

describe('events for the platform: webhooks and actions reported back', () => {
  it('delivers each event signed and to its schema, retries a refused one, and shows an action the platform reports', async () => {
    // The bus is down for the filing's publish: the event waits in the outbox and goes later.
    const fault = await fetch(`${events()}/local/events/faults`, {
      method: 'POST',
      body: JSON.stringify({ failPutEvents: 1 }),
    });
    expect(fault.status).toBe(200);

    const driver = await CaseDriver.file(0, {}, { api: stack().api, mailbox: stack().mailbox });
    const complaintId = new URL(driver.trackingUrl).pathname.split('/').pop()!;

    // Nothing was lost: once its wait has passed, the scheduled publisher publishes it.
    clockOffsetMs = (await moveClock(90)).getTime() - Date.now();
    await until('complaint.received delivered', () => deliveredOf(complaintId, 'complaint.received')[0]);

    const acceptance = await driver.taskLink(SUBJECTS.acceptance);
    const nonce = nonceOf(await (await fetch(acceptance.url)).text());
    expect((await postFields(acceptance.url, { nonce, decision: 'accept' })).response.status).toBe(200);
    // The same decision again is not recorded (the link is decided), and so makes no event.
    expect((await postFields(acceptance.url, { nonce, decision: 'accept' })).response.status).not.toBe(200);
    // complaint.accepted: refused once by the receiver, then tried again after its wait.
    await until('complaint.accepted refused once', () =>
      received.find((r) => r.answered === 500 && r.body.includes(complaintId)),
    );
    clockOffsetMs = (await moveClock(60)).getTime() - Date.now();
    await until('complaint.accepted delivered on the retry', () => deliveredOf(complaintId, 'complaint.accepted')[0]);
    await until('lock requested', () => deliveredOf(complaintId, 'subject.lock-requested')[0]);

    const investigation = await driver.taskLink(SUBJECTS.investigation);
    const findings = await driver.act(investigation.url, {
      decision: 'record-findings',
      findings: '第3楼内容不实，已核实。',
      actions: ['remove-content-and-warn'],
    });
    expect(findings.response.status).toBe(200);
    const decision = await until('decision.recorded delivered', () => deliveredOf(complaintId, 'decision.recorded')[0]);
    expect(JSON.parse(decision.body).data.actions).toEqual(['remove-content', 'warn-user']);

    // Every delivery: signed under both active secrets, timestamped, to its schema, and carrying
    // nothing personal.
    const mine = received.filter((r) => r.body.includes(complaintId));
    expect(mine.map((r) => r.headers['redress-event-type']).sort()).toEqual(
      [
        'complaint.accepted',
        'complaint.accepted',
        'complaint.received',
        'decision.recorded',
        'subject.lock-requested',
      ].sort(),
    );
    for (const r of mine) {
      const event = JSON.parse(r.body);
      expect(schemaErrors(event)).toEqual([]);
      expect(r.headers['redress-event-id']).toBe(event.id);
      expect(String(r.headers['redress-signature']).split(', ')).toHaveLength(2);
      for (const secrets of [[NEW_SECRET], [OLD_SECRET]])
        expect(
          verifySignature({
            secrets,
            timestamp: String(r.headers['redress-timestamp']),
            signature: String(r.headers['redress-signature']),
            body: r.body,
            now: new Date(Number(r.headers['redress-timestamp']) * 1000),
          }),
        ).toEqual({ ok: true });
      expect(r.body).not.toContain(driver.complainantEmail);
      expect(r.body).not.toContain('王小明');
    }
    // The retry is the same event (same id): the platform de-duplicates on it.
    const accepted = mine.filter((r) => r.headers['redress-event-type'] === 'complaint.accepted');
    expect(new Set(accepted.map((r) => r.headers['redress-event-id'])).size).toBe(1);

    // What reached the bus for this case: each committed change's events once, nothing for the
    // decision that was not recorded.
    const onBus = (await (await fetch(`${events()}/events.json`)).json()) as any[];
    expect(
      onBus
        .filter((e) => e.detail.complaintId === complaintId)
        .map((e) => e.detailType)
        .sort(),
    ).toEqual(['complaint.accepted', 'complaint.received', 'decision.recorded', 'subject.lock-requested']);

    // The operator's delivery log: the refused try and the retry.
    const log = (await (await fetch(`${events()}/deliveries.json`)).json()) as any[];
    const acceptedLog = log.find((d) => d.type === 'complaint.accepted' && d.message.includes(complaintId));
    expect(acceptedLog).toMatchObject({ webhook: 'forum', state: 'delivered' });
    expect(acceptedLog.attempts.map((a: any) => a.ok)).toEqual([false, true]);
    expect(await (await fetch(`${events()}/`)).text()).toContain('complaint.accepted');

    // The reply step shows the decided actions, none confirmed yet.
    const reply = await driver.taskLink(SUBJECTS.reply);
    const before = await (await fetch(reply.url)).text();
    expect(before).toMatch(/data-action="remove-content" data-confirmed="no"/);
    expect(before).toMatch(/data-action="warn-user" data-confirmed="no"/);

    // The platform reports back: unsigned or wrongly signed is refused, signed is recorded.
    const report = JSON.stringify({ complaintId, action: 'remove-content', reference: 'modlog-8812' });
    const unsigned = await fetch(`${stack().api}/integrations/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: report,
    });
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await postSigned(report, NEW_SECRET)).status).toBe(401);
    const bad = await postSigned(JSON.stringify({ complaintId, action: 'burn-it' }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors.map((e: any) => e.path)).toEqual(['action']);
    const recorded = await postSigned(report);
    expect(recorded.status).toBe(201);
    const first = (await recorded.json()) as any;
    expect(first).toMatchObject({ complaintId, action: 'remove-content' });
    // Sent again (a retry): answered with the first time, recorded once.
    const again = await postSigned(report);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);

    const after = await (await fetch(reply.url)).text();
    expect(after).toMatch(/data-action="remove-content" data-confirmed="yes"/);
    expect(after).toContain('modlog-8812');
    expect(after).toMatch(/data-action="warn-user" data-confirmed="no"/);

    // …and on the staff case page, in its history.
    const staff = await signIn(DEFAULT_DESK_CONFIG.teams.trust!.manager);
    const casePage = await fetch(`${stack().api}/staff/complaints/${complaintId}?lang=en`, {
      headers: { cookie: staff.cookie },
    });
    const caseHtml = await casePage.text();
    expect(casePage.status).toBe(200);
    expect(caseHtml).toMatch(/data-action="remove-content" data-confirmed="yes"/);
    expect(caseHtml).toContain('Platform confirmed an action');
    expect(caseHtml.match(/Platform confirmed an action/g)).toHaveLength(1);
  });

  it('records every try in the delivery log that managers and operators read at /staff/webhooks (page in both languages, JSON), and nobody else', async () => {
    const refused = received.find((r) => r.answered === 500)!;
    expect(refused).toBeDefined();
    const eventId = String(refused.headers['redress-event-id']);
    const manager = await signIn(DEFAULT_DESK_CONFIG.teams.trust!.manager);
    const read = (query: string, accept = 'application/json') =>
      fetch(`${stack().api}/staff/webhooks${query}`, { headers: { cookie: manager.cookie, accept } });

    const view = (await (await read('')).json()) as any;
    expect(view.webhooks).toEqual([expect.objectContaining({ id: 'forum' })]);
    const tries = (view.tries as any[]).filter((t) => t.eventId === eventId).reverse();
    expect(tries).toEqual([
      expect.objectContaining({ webhook: 'forum', type: 'complaint.accepted', attempt: 1, ok: false, status: 500 }),
      expect.objectContaining({ webhook: 'forum', type: 'complaint.accepted', attempt: 2, ok: true, status: 204 }),
    ]);
    expect(tries[0].complaintId).toMatch(/^[0-9A-Z]{26}$/);
    // Newest first, and nothing of the event's body.
    const times = (view.tries as any[]).map((t) => t.at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(JSON.stringify(view)).not.toContain('王小明');

    const en = await (await read('?lang=en', 'text/html')).text();
    expect(en).toContain('Webhook deliveries');
    expect(en).toContain('Failed, will be retried');
    expect(en).toContain(eventId);
    const zh = await (await read('?lang=zh-CN', 'text/html')).text();
    expect(zh).toContain('推送记录');
    expect(zh).toContain('已送达');

    const badHour = await read('?hour=yesterday');
    expect(badHour.status).toBe(400);
    expect(badHour.headers.get('content-type')).toMatch(/problem\+json/);
    expect(((await badHour.json()) as any).errors.map((e: any) => e.path)).toEqual(['hour']);

    const handler = await signIn(DEFAULT_DESK_CONFIG.teams.trust!.handlers[0]!);
    const refusedPage = await fetch(`${stack().api}/staff/webhooks`, {
      headers: { cookie: handler.cookie, accept: 'application/json' },
    });
    expect(refusedPage.status).toBe(403);
    expect(refusedPage.headers.get('content-type')).toMatch(/problem\+json/);
  });
});
