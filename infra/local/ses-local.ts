import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * SES on one machine (aws-ses-v2-local): it takes SendEmail (v1 and v2) and shows what was sent
 * in a web mailbox at `/`, and as JSON at `/store`. Mail lives in memory only.
 */
export class LocalSes {
  private server?: Server;

  async start(port: number): Promise<string> {
    const module = (await import('aws-ses-v2-local')) as unknown as { default: ((config: object) => Promise<Server>) | { default: (config: object) => Promise<Server> } };
    const start = typeof module.default === 'function' ? module.default : module.default.default;
    this.server = await start({ host: '127.0.0.1', port });
    if (!this.server.listening) await new Promise<void>((resolve, reject) => (this.server!.once('listening', () => resolve()), this.server!.once('error', reject)));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
