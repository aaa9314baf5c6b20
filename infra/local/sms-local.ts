import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One text the desk sent, as the phone page lists it. */
export interface LocalText {
  messageId: string;
  to: string;
  from: string;
  body: string;
  at: number;
  /** The delivery status the stand-in reported for it (End User Messaging's `messageStatus`), when it names a configuration set. */
  status?: string;
  /** Each delivery event reported for it, with what the desk made of it. */
  events?: { eventType: string; isFinal: boolean; result: unknown }[];
}

/**
 * Numbers whose last four digits are 0404 (e.g. +86 139 0000 0404, +1 206 555 0404) are
 * unreachable here: a text to one is taken, then reported failed for good
 * (TEXT_CARRIER_UNREACHABLE), as a carrier would report a number that no longer exists.
 */
export const UNREACHABLE_TEST_NUMBER = /0404$/;

/** One text a phone sent to the desk (an opt-out, or anything else), with what the desk made of it. */
export interface LocalInboundText {
  from: string;
  body: string;
  at: number;
  result: unknown;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** Links in a text become links on the page, so a person can follow one as from a phone. */
const linked = (text: string) =>
  escapeHtml(text).replace(
    /https?:\/\/[^\s<]+/g,
    (url) => `<a href="${url}" target="_blank" rel="noopener">${url}</a>`,
  );

/**
 * End User Messaging SMS on one machine: the same SDK client talks to it (its endpoint
 * overridden with AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2), in the service's JSON protocol
 * (`POST /`, `X-Amz-Target: PinpointSMSVoiceV2.SendTextMessage`). What was sent shows on a
 * "phone" page at `/` (JSON at `/store`, newest last), in memory only. A text *to* the desk (an
 * opt-out) is `POST /inbound` with `{"from": "+86…", "body": "T"}` (or the page's form): it is
 * handed to the inbound-text function as two-way SMS would hand it over SNS. A text that names a
 * configuration set has its delivery events (pending, then delivered, or unreachable for a number
 * ending in 0404) handed to `deliveryEvents` in the same shape, as its SNS destination would; the
 * page shows each text's status.
 */
export class LocalSms {
  private server?: Server;
  readonly texts: LocalText[] = [];
  readonly inbound: LocalInboundText[] = [];
  private deliveryEvents?: (event: unknown) => Promise<unknown>;
  /** Delivery events still being reported (stop waits for them). */
  private reporting = new Set<Promise<void>>();

  async start(
    port: number,
    options: {
      receive: (event: unknown) => Promise<unknown>;
      /** Where a text's delivery events go, as a configuration set's SNS destination would send them. */
      deliveryEvents?: (event: unknown) => Promise<unknown>;
      originationIdentity?: string;
    },
  ): Promise<string> {
    this.deliveryEvents = options.deliveryEvents;
    this.server = createServer((req, res) => {
      this.handle(req, res, options.receive).catch((error) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: String(error) }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await Promise.allSettled([...this.reporting]);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(
    req: IncomingMessage,
    res: ServerResponse,
    receive: (event: unknown) => Promise<unknown>,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const body = await new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => resolve(text));
    });
    const target = String(req.headers['x-amz-target'] ?? '');
    if (req.method === 'POST' && url.pathname === '/' && target) return this.api(target, body, res);
    if (req.method === 'GET' && url.pathname === '/store') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ texts: this.texts, inbound: this.inbound }));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/inbound') {
      const form = String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
      let from = '';
      let text = '';
      try {
        const fields = form
          ? Object.fromEntries(new URLSearchParams(body))
          : (JSON.parse(body || '{}') as Record<string, unknown>);
        from = String(fields.from ?? '');
        text = String(fields.body ?? '');
      } catch {
        // answered below
      }
      if (!from || !text) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'give from (the phone number) and body (the text)' }));
        return;
      }
      const result = await receive({
        Records: [
          {
            EventSource: 'aws:sns',
            Sns: {
              Message: JSON.stringify({
                originationNumber: from,
                destinationNumber: 'LOCAL',
                messageBody: text,
                inboundMessageId: randomUUID(),
              }),
            },
          },
        ],
      });
      const answer = Array.isArray(result) ? result[0] : result;
      this.inbound.push({ from, body: text, at: Date.now(), result: answer });
      if (form) {
        res.writeHead(303, { location: '/' });
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      }
      return;
    }
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(this.page());
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'not found' }));
  }

  private api(target: string, body: string, res: ServerResponse): void {
    const fail = (status: number, type: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type });
      res.end(JSON.stringify({ __type: type, message }));
    };
    if (target !== 'PinpointSMSVoiceV2.SendTextMessage') {
      fail(400, 'UnknownOperationException', `${target} is not served by the local stand-in`);
      return;
    }
    let input: {
      DestinationPhoneNumber?: unknown;
      OriginationIdentity?: unknown;
      MessageBody?: unknown;
      ConfigurationSetName?: unknown;
      Context?: unknown;
    };
    try {
      input = JSON.parse(body) as typeof input;
    } catch {
      fail(400, 'SerializationException', 'the body is not JSON');
      return;
    }
    if (typeof input.DestinationPhoneNumber !== 'string' || !/^\+[1-9]\d{6,14}$/.test(input.DestinationPhoneNumber)) {
      fail(400, 'ValidationException', 'DestinationPhoneNumber must be an E.164 number');
      return;
    }
    if (typeof input.MessageBody !== 'string' || !input.MessageBody) {
      fail(400, 'ValidationException', 'MessageBody is required');
      return;
    }
    const messageId = randomUUID();
    const text: LocalText = {
      messageId,
      to: input.DestinationPhoneNumber,
      from: typeof input.OriginationIdentity === 'string' ? input.OriginationIdentity : '',
      body: input.MessageBody,
      at: Date.now(),
    };
    this.texts.push(text);
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify({ MessageId: messageId }));
    // Only a text that names a configuration set has its delivery events published.
    if (typeof input.ConfigurationSetName === 'string' && this.deliveryEvents) {
      const context =
        input.Context && typeof input.Context === 'object' ? (input.Context as Record<string, string>) : undefined;
      const reporting = this.report(text, input.ConfigurationSetName, context);
      this.reporting.add(reporting);
      void reporting.finally(() => this.reporting.delete(reporting));
    }
  }

  /** The events End User Messaging publishes for a text: pending, then delivered or (a 0404 number) unreachable. */
  private async report(text: LocalText, configurationSetName: string, context?: Record<string, string>): Promise<void> {
    const unreachable = UNREACHABLE_TEST_NUMBER.test(text.to);
    const steps = [
      { eventType: 'TEXT_PENDING', messageStatus: 'PENDING', isFinal: false },
      unreachable
        ? { eventType: 'TEXT_CARRIER_UNREACHABLE', messageStatus: 'CARRIER_UNREACHABLE', isFinal: true }
        : { eventType: 'TEXT_DELIVERED', messageStatus: 'DELIVERED', isFinal: true },
    ];
    text.events = [];
    for (const step of steps) {
      const event = {
        ...step,
        eventVersion: '1.0',
        eventTimestamp: Date.now(),
        originationPhoneNumber: text.from,
        destinationPhoneNumber: text.to,
        messageId: text.messageId,
        messageRequestTimestamp: text.at,
        messageType: 'TRANSACTIONAL',
        messageStatusDescription: unreachable && step.isFinal ? 'Carrier unreachable' : step.messageStatus,
        configurationSetName,
        ...(context ? { context } : {}),
        totalMessageParts: 1,
      };
      text.status = step.messageStatus;
      let result: unknown;
      try {
        result = await this.deliveryEvents!({
          Records: [{ EventSource: 'aws:sns', Sns: { Message: JSON.stringify(event) } }],
        });
      } catch (error) {
        result = { error: String(error) };
      }
      text.events.push({ eventType: step.eventType, isFinal: step.isFinal, result });
    }
  }

  private page(): string {
    const rows = [...this.texts]
      .reverse()
      .map(
        (t) =>
          `<li><p class="meta">${escapeHtml(new Date(t.at).toISOString())} · to <b>${escapeHtml(t.to)}</b> from ${escapeHtml(t.from)}${t.status ? ` · <span class="status">${escapeHtml(t.status)}</span>` : ''}</p><p>${linked(t.body)}</p></li>`,
      )
      .join('');
    const replies = [...this.inbound]
      .reverse()
      .map(
        (t) =>
          `<li><p class="meta">${escapeHtml(new Date(t.at).toISOString())} · from <b>${escapeHtml(t.from)}</b></p><p>${escapeHtml(t.body)} → ${escapeHtml(JSON.stringify(t.result))}</p></li>`,
      )
      .join('');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Phone (local texts)</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:1rem auto;padding:0 1rem}li{list-style:none;border:1px solid #d6dae1;border-radius:12px;padding:.5rem .8rem;margin:.5rem 0;background:#f4f6f9}.meta{color:#5b6472;font-size:.85em;margin:0}</style></head>
<body><h1>Phone · 手机</h1><p>Every text Redress sent on this machine (newest first; JSON at <a href="/store">/store</a>), with its delivery status; a number ending in 0404 is unreachable. 本机发送的全部短信及送达状态；尾号 0404 的号码无法送达。</p>
<form method="post" action="/inbound"><fieldset><legend>Text the desk (e.g. T to opt out) · 回复短信（如 T 退订）</legend>
<label>From <input name="from" placeholder="+8613800138000" required></label> <label>Text <input name="body" value="T" required></label> <button>Send</button></fieldset></form>
<h2>Sent (${this.texts.length})</h2><ul>${rows}</ul>${replies ? `<h2>Received</h2><ul>${replies}</ul>` : ''}</body></html>`;
  }
}
