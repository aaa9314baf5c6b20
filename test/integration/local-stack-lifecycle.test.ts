import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalDynamoDb } from '../../infra/local/dynamodb-local';
import { processAlive, startStackProcess, writeTestConfig } from '../support/local-stack-setup';

const root = path.resolve(import.meta.dirname, '../..');

/** Whether a process runs (a zombie, reaped or not, does not). */
function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Runs `npm start`'s entry point to its exit, for the cases where it must refuse to start. */
function runStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'runs on Node 24 and, on %s to the npm start process itself, stops everything it started (Java included) and frees every port before it exits',
    async (signal) => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'redress-stop-'));
      // `npm start` exactly as a person, a process manager or CI runs it.
      const child = spawn('npm', ['start'], {
        cwd: root,
        env: {
          ...process.env,
          PORT: '0',
          MAIL_PORT: '0',
          INBOUND_MAIL_PORT: '0',
          REDRESS_DATA_DIR: dataDir,
          REDRESS_CONFIG_FILE: writeTestConfig(dataDir),
          REDRESS_LOG_LEVEL: 'silent',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c));
      child.stderr.on('data', (c: Buffer) => (output += c));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, sig) => resolve({ code, signal: sig })),
      );
      try {
        const ready = await new Promise<string>((resolve, reject) => {
          const poll = setInterval(() => {
            const line = output.split('\n').find((l) => /\bready\b/.test(l));
            if (line) {
              clearInterval(poll);
              resolve(line);
            }
          }, 50);
          void exited.then(() => {
            clearInterval(poll);
            reject(new Error(`npm start exited before it was ready:\n${output}`));
          });
        });
        expect(ready).toMatch(/\bnode v24\./);
        const ports = [...ready.matchAll(/(?:http:\/\/|smtp )127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
        expect(new Set(ports).size).toBeGreaterThanOrEqual(6);
        const javaPid = Number(readFileSync(path.join(dataDir, 'dynamodb', 'dynamodb.pid'), 'utf8'));
        expect(alive(javaPid)).toBe(true);

        child.kill(signal);
        const { code } = await exited;
        expect(output).toMatch(/stopped/);
        expect(code === 0 || code === null).toBe(true);
        // npm has exited: nothing it started may still run or hold a port.
        expect(alive(javaPid)).toBe(false);
        for (const port of new Set(ports)) expect(await portFree(port), `port ${port}`).toBe(true);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  );

  it('killed outright (SIGKILL, no chance to stop anything), leaves no DynamoDB Local behind: it exits with its parent', async () => {
    const started = await startStackProcess();
    try {
      const javaPid = Number(readFileSync(path.join(started.dataDir, 'dynamodb', 'dynamodb.pid'), 'utf8'));
      expect(processAlive(javaPid)).toBe(true);
      started.child.kill('SIGKILL');
      // A guard against a hang, not a deadline: the Java process looks for its parent every half second.
      for (let i = 0; i < 600 && processAlive(javaPid); i++) await new Promise((r) => setTimeout(r, 100));
      expect(processAlive(javaPid), 'DynamoDB Local outlived the stack that started it').toBe(false);
    } finally {
      rmSync(started.dataDir, { recursive: true, force: true });
    }
  });

  it('never takes another program for its DynamoDB Local: one that holds the port first is refused, not talked to', async () => {
    // What a crowded machine did once: another stack's SMTP server took the port in the second the
    // JVM needed to start, and the stack sent its table calls there.
    const impostor = net
      .createServer((socket) => {
        socket.on('error', () => undefined);
        socket.end('421 vm You talk too soon\r\n');
      })
      .listen(0, '127.0.0.1');
    await new Promise((r) => impostor.once('listening', r));
    const port = (impostor.address() as net.AddressInfo).port;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'redress-impostor-'));
    const table = new LocalDynamoDb();
    try {
      await expect(table.start({ port, dataDir })).rejects.toThrow(/answered by another program, not DynamoDB Local/);
    } finally {
      await table.stop();
      impostor.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('explains a taken port in one line, with the fix', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as net.AddressInfo).port;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'redress-port-'));
    try {
      const { code, output } = await runStart({
        PORT: String(port),
        MAIL_PORT: '0',
        INBOUND_MAIL_PORT: '0',
        REDRESS_DATA_DIR: dataDir,
      });
      expect(code).toBe(1);
      const line = output.split('\n').find((l) => l.startsWith('Redress cannot start'));
      expect(line).toMatch(new RegExp(`Port ${port} \\(PORT\\) is taken.*Fix: .*PORT=${port + 1} npm start`));
      expect(output).not.toMatch(/\bready\b/);
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('explains a missing Java in one line, with the fix', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'redress-java-'));
    try {
      // A PATH with node but no java.
      const bin = mkdtempSync(path.join(os.tmpdir(), 'redress-bin-'));
      symlinkSync(process.execPath, path.join(bin, 'node'));
      const { code, output } = await runStart({
        PATH: bin,
        PORT: '0',
        MAIL_PORT: '0',
        INBOUND_MAIL_PORT: '0',
        REDRESS_DATA_DIR: dataDir,
      });
      rmSync(bin, { recursive: true, force: true });
      expect(code).toBe(1);
      expect(output).toMatch(/Redress cannot start: Java 17 or newer is needed.*Fix: .*openjdk-17-jre-headless/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
