import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test-only faults for the local stack, chosen by REDRESS_FAULT; never in handler code. The
 * handlers reach Step Functions through AWS_ENDPOINT_URL_SFN, so a small proxy in front of the
 * local engine can fail one operation the way AWS or a dying process would.
 *
 * - `crash-on-start-execution`: the whole process dies (SIGKILL) the moment any StartExecution
 *   arrives, i.e. after intake stored the complaint and before its workflow started. A restart on
 *   the same data directory must start it (the reconciler).
 */
export const FAULTS = ['crash-on-start-execution'] as const;
export type Fault = (typeof FAULTS)[number];

export function faultFromEnvironment(): Fault | undefined {
  const fault = process.env.REDRESS_FAULT;
  if (!fault) return undefined;
  if (!(FAULTS as readonly string[]).includes(fault)) throw new Error(`REDRESS_FAULT=${fault} is not one of: ${FAULTS.join(', ')}`);
  return fault as Fault;
}

export async function startFaultyStepFunctionsProxy(target: string, fault: Fault): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? '');
    if (fault === 'crash-on-start-execution' && operation.endsWith('.StartExecution')) {
      console.error(JSON.stringify({ level: 'WARN', message: 'REDRESS_FAULT: killing the process at StartExecution' }));
      process.kill(process.pid, 'SIGKILL');
      return;
    }
    const upstream = http.request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (response) => {
      res.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
