import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * SES on one machine (aws-ses-v2-local): it takes SendEmail (v1 and v2) and shows what was sent
 * in a web mailbox at `/`, and as JSON at `/store`. Mail lives in memory only.
 */
export class LocalSes {
  private server?: Server;

  /**
   * `throttledSeconds` (REDRESS_FAULT=ses-throttled:<seconds>): every send is refused with
   * `Throttling` for that long after the start. `throttleControl` (with the clock control, for
   * tests): `POST /local/throttle {"seconds": n}` refuses every send for the next n seconds.
   */
  async start(port: number, options: { throttledSeconds?: number; throttleControl?: boolean } = {}): Promise<string> {
    const module = (await import('aws-ses-v2-local')) as unknown as {
      default: ((config: object) => Promise<Server>) | { default: (config: object) => Promise<Server> };
    };
    const start = typeof module.default === 'function' ? module.default : module.default.default;
    this.server = await start({ host: '127.0.0.1', port });
    answerSendQuota(this.server);
    if (options.throttledSeconds || options.throttleControl)
      throttleSends(this.server, Date.now() + (options.throttledSeconds ?? 0) * 1000, !!options.throttleControl);
    if (!this.server.listening)
      await new Promise<void>(
        (resolve, reject) => (this.server!.once('listening', () => resolve()), this.server!.once('error', reject)),
      );
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * Puts a throttle in front of the mailbox's own request handler until `until` (ms): a send (SES
 * v1 `SendEmail`/`SendRawEmail`, v2 `outbound-emails`) gets the answer SES gives above its
 * maximum sending rate; reading the mailbox still works.
 */
export const SES_THROTTLE_PATH = '/local/throttle';

function throttleSends(server: Server, from: number, controllable: boolean): void {
  let until = from;
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (controllable && req.method === 'POST' && req.url === SES_THROTTLE_PATH) {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        let seconds = NaN;
        try {
          seconds = Number((JSON.parse(body || '{}') as { seconds?: unknown }).seconds);
        } catch {
          // not JSON: answered below
        }
        if (!Number.isFinite(seconds) || seconds < 0) {
          res.writeHead(400, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ message: 'seconds must be a number of seconds, 0 or more' }));
        }
        until = Date.now() + seconds * 1000;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ throttledUntil: new Date(until).toISOString() }));
      });
      return;
    }
    const isSend = req.method === 'POST' && (req.url === '/' || req.url?.startsWith('/v2/email/outbound-emails'));
    if (!isSend || Date.now() >= until) {
      for (const handler of handlers) handler.call(server, req, res);
      return;
    }
    req.resume();
    if (req.url === '/') {
      res.writeHead(400, { 'content-type': 'text/xml' });
      res.end(
        '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error><RequestId>local-throttle</RequestId></ErrorResponse>',
      );
    } else {
      res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' });
      res.end(JSON.stringify({ message: 'Maximum sending rate exceeded.' }));
    }
  });
}

/** The quota the local SES reports: SES's lowest production sending rate and daily quota. */
export const LOCAL_SEND_QUOTA = { max24HourSend: 50_000, maxSendRate: 14 };

/**
 * SES v1 `GetSendQuota`, which the mailbox does not implement (it never answers it): the outbox
 * paces itself by the account's sending rate. The request's first chunk names its Action (the SDK
 * puts it first); any other request gets that chunk back and goes on to the mailbox.
 */
function answerSendQuota(server: Server): void {
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const pass = () => {
      for (const handler of handlers) handler.call(server, req, res);
    };
    if (req.method !== 'POST' || req.url !== '/') return pass();
    req.once('readable', () => {
      const first = req.read() as Buffer | null;
      if (first && /(^|&)Action=GetSendQuota(&|$)/.test(first.toString('latin1'))) {
        req.resume();
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          `<GetSendQuotaResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><GetSendQuotaResult><Max24HourSend>${LOCAL_SEND_QUOTA.max24HourSend}</Max24HourSend><MaxSendRate>${LOCAL_SEND_QUOTA.maxSendRate}</MaxSendRate><SentLast24Hours>0</SentLast24Hours></GetSendQuotaResult><ResponseMetadata><RequestId>local-quota</RequestId></ResponseMetadata></GetSendQuotaResponse>`,
        );
        return;
      }
      if (first) req.unshift(first);
      pass();
    });
  });
}
