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
}

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
 * handed to the inbound-text function as two-way SMS would hand it over SNS.
 */
export class LocalSms {
  private server?: Server;
  readonly texts: LocalText[] = [];
  readonly inbound: LocalInboundText[] = [];

  async start(
    port: number,
    options: { receive: (event: unknown) => Promise<unknown>; originationIdentity?: string },
  ): Promise<string> {
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
    let input: { DestinationPhoneNumber?: unknown; OriginationIdentity?: unknown; MessageBody?: unknown };
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
    this.texts.push({
      messageId,
      to: input.DestinationPhoneNumber,
      from: typeof input.OriginationIdentity === 'string' ? input.OriginationIdentity : '',
      body: input.MessageBody,
      at: Date.now(),
    });
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify({ MessageId: messageId }));
  }

  private page(): string {
    const rows = [...this.texts]
      .reverse()
      .map(
        (t) =>
          `<li><p class="meta">${escapeHtml(new Date(t.at).toISOString())} · to <b>${escapeHtml(t.to)}</b> from ${escapeHtml(t.from)}</p><p>${linked(t.body)}</p></li>`,
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
<body><h1>Phone · 手机</h1><p>Every text Redress sent on this machine (newest first; JSON at <a href="/store">/store</a>). 本机发送的全部短信。</p>
<form method="post" action="/inbound"><fieldset><legend>Text the desk (e.g. T to opt out) · 回复短信（如 T 退订）</legend>
<label>From <input name="from" placeholder="+8613800138000" required></label> <label>Text <input name="body" value="T" required></label> <button>Send</button></fieldset></form>
<h2>Sent (${this.texts.length})</h2><ul>${rows}</ul>${replies ? `<h2>Received</h2><ul>${replies}</ul>` : ''}</body></html>`;
  }
}
