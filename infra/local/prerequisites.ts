import net from 'node:net';
import path from 'node:path';

/**
 * The project's own cache (node_modules/.cache/redress, not a shared temporary folder): what the
 * local stack builds or checks once and keeps — the DynamoDB Local launcher, the workflow's
 * validation mark, a test run's bundle.
 */
export function projectCache(...parts: string[]): string {
  return path.resolve(import.meta.dirname, '../../node_modules/.cache/redress', ...parts);
}

/** Something this machine lacks for the local stack, with the one-line fix. */
export class PrerequisiteError extends Error {
  constructor(
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${problem}. Fix: ${fix}`);
    this.name = 'PrerequisiteError';
  }
}

/** Fails early, with the variable to change, when a port the user asked for is taken. */
export async function ensurePortFree(port: number, variable: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(
          new PrerequisiteError(
            `Port ${port} (${variable}) is taken by another program (another Redress?)`,
            `stop it, or choose another port: ${variable}=${port + 1} npm start`,
          ),
        );
      else reject(error);
    });
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** A port the OS says is free now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Below Linux's ephemeral range (32768–60999), where a port another program asks the OS for never falls. */
const QUIET_PORTS = { from: 20_000, to: 32_000 };

/**
 * A free port for a server that takes its time to bind it (a JVM: more than a second). A port the
 * OS hands out (`freePort`) may be handed to another program in that time, which then answers in
 * its place; one below the ephemeral range is never handed out, so only another program choosing
 * the same way (one in 12,000) can collide.
 */
export async function freeQuietPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = QUIET_PORTS.from + Math.floor(Math.random() * (QUIET_PORTS.to - QUIET_PORTS.from));
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  return freePort();
}
