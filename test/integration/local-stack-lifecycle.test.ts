import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startStackProcess, stopStackProcess } from '../support/local-stack-setup';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs `npm start`'s entry point to its exit, for the cases where it must refuse to start. */
function runStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
  it('stops everything it started on SIGTERM, the Java process included', async () => {
    const stack = await startStackProcess();
    const pidFile = path.join(stack.dataDir, 'dynamodb', 'dynamodb.pid');
    const javaPid = Number(readFileSync(pidFile, 'utf8'));
    expect(existsSync(`/proc/${javaPid}`)).toBe(true);
    await stopStackProcess(stack.child);
    expect({ code: stack.child.exitCode, signal: stack.child.signalCode }).toEqual({ code: 0, signal: null });
    expect(stack.output()).toMatch(/stopped/);
    expect(existsSync(`/proc/${javaPid}`) && !readFileSync(`/proc/${javaPid}/stat`, 'utf8').includes(') Z ')).toBe(false);
    rmSync(stack.dataDir, { recursive: true, force: true });
  });

  it('explains a taken port in one line, with the fix', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as net.AddressInfo).port;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'redress-port-'));
    try {
      const { code, output } = await runStart({ PORT: String(port), MAIL_PORT: '0', REDRESS_DATA_DIR: dataDir });
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
      const { code, output } = await runStart({ PATH: bin, PORT: '0', MAIL_PORT: '0', REDRESS_DATA_DIR: dataDir });
      rmSync(bin, { recursive: true, force: true });
      expect(code).toBe(1);
      expect(output).toMatch(/Redress cannot start: Java 17 or newer is needed.*Fix: .*openjdk-17-jre-headless/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
