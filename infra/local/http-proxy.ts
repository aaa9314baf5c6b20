import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a proxy answers itself instead of passing a request on. */
export interface Refusal {
  status: number;
  type: string;
  message: string;
}

/**
 * A local HTTP proxy in front of a stand-in: each request goes on to `target` as it came, with
 * `headers` applied to its headers, unless `refuse` answers it (as the service would, in
 * `contentType`). Stops with every connection it holds.
 */
export async function startProxy(
  target: string,
  options: {
    contentType?: string;
    refuse?: (req: http.IncomingMessage) => Refusal | undefined;
    headers?: (headers: http.IncomingHttpHeaders) => http.IncomingHttpHeaders;
  },
): Promise<{ url: string; close: () => Promise<void> }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((req, res) => {
    const refusal = options.refuse?.(req);
    if (refusal) {
      req.resume();
      res.writeHead(refusal.status, { 'content-type': options.contentType ?? 'application/json' });
      res.end(JSON.stringify({ __type: refusal.type, message: refusal.message }));
      return;
    }
    const upstream = http.request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: options.headers ? options.headers(req.headers) : req.headers, agent },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  return listenOnLoopback(server, agent);
}

/** A proxy's server listening on a free loopback port; closing it drops every connection it and its agent hold. */
export async function listenOnLoopback(
  server: http.Server,
  agent: http.Agent,
): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
