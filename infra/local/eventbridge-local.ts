import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeskConfig } from '../../functions/domain/config';
import { WEBHOOK_MAX_ATTEMPTS, webhookRetryDelaySeconds } from '../../functions/domain/webhook-signing';
import type { LocalClock } from './clock';
import type { DurableDeliveries, LocalDelivery } from './webhook-queue';

/**
 * EventBridge on one machine, as much of it as Redress uses: `PutEvents` on the desk's bus (the
 * SDK talks to it through AWS_ENDPOINT_URL_EVENTBRIDGE), and each configured webhook's rule: an
 * event of a type the webhook wants becomes a delivery, handed to the webhook function as the
 * cloud's queue hands it (an SQS-shaped batch of one). A failed try is tried again after the same
 * waits as the cloud's (domain/webhook-signing.ts), on the local clock, and after the last it is
 * dead-lettered. The events live in memory; the deliveries waiting for a try are also kept in the
 * table (`queue`, webhook-queue.ts), as SQS keeps its messages, so a restarted stack resumes them.
 *
 * `/` is the delivery log (a page), `/deliveries.json` and `/events.json` the same as JSON. With
 * the clock control on, `POST /local/events/faults {"failPutEvents": n}` refuses the next n
 * PutEvents calls (the bus down).
 */
export interface LocalEvent {
  eventId: string;
  time: string;
  source: string;
  detailType: string;
  detail: unknown;
}

export const EVENT_FAULTS_PATH = '/local/events/faults';
const MAX_KEPT = 2000;

export class LocalEventBridge {
  private server?: Server;
  private timer?: NodeJS.Timeout;
  private stopWatchingClock?: () => void;
  private failPutEvents = 0;
  private running = false;
  /** Deliveries being written to the queue: a try waits for its delivery's write, a stop for all. */
  private readonly saving = new Map<string, Promise<void>>();
  readonly events: LocalEvent[] = [];
  readonly deliveries: LocalDelivery[] = [];

  constructor(
    private readonly options: {
      desk: DeskConfig;
      clock: LocalClock;
      /** The webhook function: the payload is an SQS event; it answers `batchItemFailures`. */
      deliver: (payload: unknown) => Promise<unknown>;
      faultControl?: boolean;
      /** Where deliveries waiting for a try are kept across restarts (none: in memory only). */
      queue?: DurableDeliveries;
    },
  ) {}

  async start(port: number): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    // Retries fall due as time passes, or at once when the clock is moved past them.
    this.timer = setInterval(() => void this.deliverDue(), 500);
    this.stopWatchingClock = this.options.clock.onMove(() => void this.deliverDue());
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /**
   * Takes back the deliveries a previous run left queued (or dead-lettered); each is tried when
   * due. Call it once the table is up. Answers how many were still waiting for a try.
   */
  async resume(): Promise<number> {
    if (!this.options.queue) return 0;
    const known = new Set(this.deliveries.map((d) => d.id));
    const kept = (await this.options.queue.load()).filter((d) => !known.has(d.id));
    this.deliveries.unshift(...kept);
    void this.deliverDue();
    return kept.filter((d) => d.state === 'pending').length;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopWatchingClock?.();
    await Promise.all(this.saving.values());
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => resolve(text));
    });
    const send = (status: number, type: string, text: string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(text);
    };
    const url = new URL(req.url ?? '/', 'http://local');
    if (req.method === 'POST' && req.headers['x-amz-target'] === 'AWSEvents.PutEvents') {
      if (this.failPutEvents > 0) {
        this.failPutEvents--;
        return send(
          500,
          'application/x-amz-json-1.1',
          JSON.stringify({ __type: 'InternalException', message: 'local bus refused (fault injected)' }),
        );
      }
      const { Entries = [] } = JSON.parse(body || '{}') as {
        Entries?: { Source?: string; DetailType?: string; Detail?: string; Time?: number | string }[];
      };
      const ids = Entries.map((entry) => this.put(entry));
      return send(
        200,
        'application/x-amz-json-1.1',
        JSON.stringify({ FailedEntryCount: 0, Entries: ids.map((EventId) => ({ EventId })) }),
      );
    }
    if (req.method === 'POST' && url.pathname === EVENT_FAULTS_PATH && this.options.faultControl) {
      const n = Number((JSON.parse(body || '{}') as { failPutEvents?: unknown }).failPutEvents);
      if (!Number.isInteger(n) || n < 0) return send(400, 'text/plain', 'failPutEvents: a whole number');
      this.failPutEvents = n;
      return send(200, 'application/json', JSON.stringify({ failPutEvents: n }));
    }
    if (req.method === 'GET' && url.pathname === '/events.json')
      return send(200, 'application/json', JSON.stringify(this.events));
    if (req.method === 'GET' && url.pathname === '/deliveries.json')
      return send(200, 'application/json', JSON.stringify(this.deliveries));
    if (req.method === 'GET' && url.pathname === '/') return send(200, 'text/html; charset=utf-8', this.page());
    send(404, 'text/plain', 'not found');
  }

  /** One entry on the bus: kept, and routed to every webhook whose rule matches its type. */
  private put(entry: { Source?: string; DetailType?: string; Detail?: string }): string {
    const eventId = randomUUID();
    const detail = JSON.parse(entry.Detail ?? '{}') as unknown;
    const type = entry.DetailType ?? '';
    keep(this.events, {
      eventId,
      time: new Date(this.options.clock.nowMs()).toISOString(),
      source: entry.Source ?? '',
      detailType: type,
      detail,
    });
    if (entry.Source !== 'redress') return eventId;
    for (const webhook of this.options.desk.integrations.webhooks) {
      if (!(webhook.events as string[]).includes(type)) continue;
      const delivery: LocalDelivery = {
        id: randomUUID(),
        webhook: webhook.id,
        url: webhook.url,
        eventId: (detail as { id?: string }).id ?? eventId,
        type,
        state: 'pending',
        attempts: [],
        nextTryAt: new Date(this.options.clock.nowMs()).toISOString(),
        message: JSON.stringify({ webhook: webhook.id, event: detail }),
      };
      keep(this.deliveries, delivery);
      this.save(delivery);
    }
    void this.deliverDue();
    return eventId;
  }

  /** Tries every delivery that is due, one at a time (as a queue with one consumer would). */
  private async deliverDue(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const now = this.options.clock.nowMs();
        const due = this.deliveries.find(
          (d) => d.state === 'pending' && d.nextTryAt && new Date(d.nextTryAt).getTime() <= now,
        );
        if (!due) return;
        await this.tryOnce(due);
      }
    } finally {
      this.running = false;
    }
  }

  private async tryOnce(delivery: LocalDelivery): Promise<void> {
    // Not tried before the queue holds it: a stop in between must not lose it.
    await this.saving.get(delivery.id);
    const at = new Date(this.options.clock.nowMs()).toISOString();
    let error: string | undefined;
    try {
      const answer = (await this.options.deliver({
        Records: [
          {
            messageId: delivery.id,
            body: delivery.message,
            attributes: { ApproximateReceiveCount: String(delivery.attempts.length + 1) },
          },
        ],
      })) as { batchItemFailures?: unknown[] } | undefined;
      if (answer?.batchItemFailures?.length) error = 'the webhook function reported the try failed (see its log)';
    } catch (thrown) {
      error = String(thrown);
    }
    delivery.attempts.push({ at, ok: !error, ...(error ? { error } : {}) });
    if (!error) {
      delivery.state = 'delivered';
      delete delivery.nextTryAt;
    } else if (delivery.attempts.length >= WEBHOOK_MAX_ATTEMPTS) {
      delivery.state = 'dead-letter';
      delete delivery.nextTryAt;
    } else {
      const wait = webhookRetryDelaySeconds(delivery.attempts.length) * 1000;
      delivery.nextTryAt = new Date(this.options.clock.nowMs() + wait).toISOString();
    }
    this.save(delivery);
  }

  /**
   * Writes a delivery's state to the queue in the table, after any write of it still under way
   * (so the last state is the one kept). PutEvents answers without waiting for it, as quickly as
   * before; its first try and a stop wait for it.
   */
  private save(delivery: LocalDelivery): void {
    const queue = this.options.queue;
    if (!queue) return;
    const before = this.saving.get(delivery.id) ?? Promise.resolve();
    const saved = before
      .then(() => queue.save(delivery, this.options.clock.nowMs()))
      .catch((saveError) =>
        console.error(
          JSON.stringify({
            level: 'ERROR',
            message: 'local webhook queue not updated; the delivery may be tried again, or lost, after a restart',
            delivery: delivery.id,
            error: String(saveError),
          }),
        ),
      )
      .finally(() => {
        if (this.saving.get(delivery.id) === saved) this.saving.delete(delivery.id);
      });
    this.saving.set(delivery.id, saved);
  }

  private page(): string {
    const esc = (text: string) =>
      text.replace(
        /[&<>"']/g,
        (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
      );
    const rows = [...this.deliveries]
      .reverse()
      .map(
        (d) =>
          `<tr><td>${esc(d.webhook)}</td><td>${esc(d.type)}</td><td><code>${esc(d.eventId)}</code></td><td>${esc(d.state)}</td><td>${d.attempts
            .map((a) => `${esc(a.at)} ${a.ok ? '✓' : `✗ ${esc(a.error ?? '')}`}`)
            .join('<br>')}</td><td>${esc(d.nextTryAt ?? '')}</td></tr>`,
      )
      .join('');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Webhook deliveries · 推送记录</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;font-size:.9rem}</style></head>
<body><h1>Webhook deliveries · 推送记录</h1><p>${this.events.length} event(s) on the local bus · 本地事件总线上的事件 ${this.events.length} 个 — <a href="/deliveries.json">deliveries.json</a> · <a href="/events.json">events.json</a></p>
<table><thead><tr><th>Webhook · 接收端</th><th>Event · 事件</th><th>Id</th><th>State · 状态</th><th>Tries · 尝试</th><th>Next try · 下次尝试</th></tr></thead><tbody>${rows}</tbody></table></body></html>`;
  }
}

function keep<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_KEPT) list.splice(0, list.length - MAX_KEPT);
}
