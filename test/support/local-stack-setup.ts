import { spawn, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { DEFAULT_DESK_CONFIG, type DeskConfig } from '../../functions/domain/config';
import { LocalDynamoDb } from '../../infra/local/dynamodb-local';
import { freeQuietPort } from '../../infra/local/prerequisites';
import { watchApi } from './api-contract';
import { buildStackBundle } from './stack-bundle';

export interface StackUrls {
  api: string;
  mailbox: string;
  /** The phone stand-in: texts sent (`/store` as JSON), texts to the desk (`POST /inbound`). */
  phone: string;
  s3: string;
  dynamodb: string;
  stepFunctions: string;
  /** The local event bus: its webhook delivery log (`/deliveries.json`, `/events.json`). */
  events: string;
  /** Email in: the local SMTP stand-in, `127.0.0.1:<port>`. */
  inboundSmtp: string;
  /** `POST {forwardSeconds}` moves the stack's clock forward (REDRESS_CLOCK_CONTROL=1). */
  clock: string;
  clockScale: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackUrls;
  }
}

/**
 * The test stack keeps real time (clock x1): no deadline passes while a test works, however busy
 * the machine. A test that needs a deadline to pass moves the stack's clock (`moveClock`), in a
 * stack of its own (`ownStack`) so that no other test's cases see the time jump.
 */
export const TEST_CLOCK_SCALE = 1;

/**
 * A test stack runs its scheduled functions every 2 s, a minute's stand-in (10 s for `npm start`):
 * what waits for them — a sign-in link or a text in the outbox, a weekly report, a lost start —
 * goes out while a test waits for it, not up to 10 s later. Measured on a whole run: 294 → 252 s,
 * for 415 → 430 s of CPU (their reads of an idle stack's due-index shards, five times as often).
 */
export const TEST_RECONCILE_EVERY_MS = 2000;

/**
 * A scheduled function of a test stack that has seen every change of its table and every move of
 * its clock runs every 5th tick (10 s), as `npm start`'s do: what it could find then falls due with
 * time alone (a retry's wait), which a test that waits for it gets by moving the clock.
 */
export const TEST_RECONCILE_QUIET_EVERY = 5;

/** Writes the test config (redress.config.json's shape) into `dir` and returns its path. */
export function writeTestConfig(dir: string, desk: DeskConfig = DEFAULT_DESK_CONFIG): string {
  const file = path.join(dir, 'redress.config.test.json');
  writeFileSync(file, JSON.stringify({ mailFrom: 'complaints@redress.test', desk }, null, 2));
  return file;
}

/**
 * Where a test stack keeps its data: tmpfs (/dev/shm) where the machine has one, else the system's
 * temporary folder. A test stack's data lives only as long as its run, so it need not survive a
 * power cut; on tmpfs DynamoDB Local's every write skips the disk's fsync (measured: a PutItem
 * 6.5 ms on disk, 2.8 ms on tmpfs, with writes serialised in its SQLite file).
 */
export function scratchRoot(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

/**
 * Boots `npm start`'s own entry point once for the whole run, on free ports and a throw-away data
 * directory, so the suite runs beside a developer's `npm start`.
 */
export async function startStackProcess(
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; urls: StackUrls; output: () => string; dataDir: string }> {
  // A stand-in's port is chosen free, then listened on: another stack of the run starting at that
  // moment can take it in between. That start fails with EADDRINUSE, and starts again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startStackProcessOnce(env);
    } catch (error) {
      if (attempt >= 3 || !/EADDRINUSE/.test((error as Error).message)) throw error;
    }
  }
}

async function startStackProcessOnce(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; urls: StackUrls; output: () => string; dataDir: string }> {
  const dataDir = env.REDRESS_DATA_DIR ?? mkdtempSync(path.join(runRoot(), 'redress-test-'));
  // The run's bundle of the stack when its setup built one (stack-bundle.ts), else the sources.
  const bundle = process.env[STACK_BUNDLE_VARIABLE];
  const entry = bundle ? ['--enable-source-maps', bundle] : ['--import', 'tsx', 'infra/local/start.ts'];
  const child = spawn(process.execPath, entry, {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: {
      ...process.env,
      PORT: '0',
      MAIL_PORT: '0',
      PHONE_PORT: '0',
      INBOUND_MAIL_PORT: '0',
      REDRESS_DATA_DIR: dataDir,
      REDRESS_CLOCK_SCALE: String(TEST_CLOCK_SCALE),
      REDRESS_CLOCK_CONTROL: '1',
      REDRESS_RECONCILE_EVERY_MS: String(TEST_RECONCILE_EVERY_MS),
      REDRESS_RECONCILE_QUIET_EVERY: String(TEST_RECONCILE_QUIET_EVERY),
      REDRESS_LOG_LEVEL: 'silent',
      REDRESS_CONFIG_FILE: writeTestConfig(dataDir),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  dataDirs.set(child, dataDir);
  // The run's teardown stops whatever this stack leaves if its test worker dies before stopping it.
  if (child.pid) writeFileSync(path.join(dataDir, STACK_PID_FILE), String(child.pid));
  let output = '';
  const urls = await new Promise<StackUrls>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local stack not ready in 180 s:\n${output}`)), 180_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => /\bready\b/.test(l));
      if (!line) return;
      clearTimeout(timer);
      const url = (name: string) =>
        new RegExp(`${name} (http://\\S+?)/?(?:complaints)?(?:\\s|$)`).exec(line)?.[1] ?? '';
      resolve({
        api: url('api'),
        mailbox: url('mailbox'),
        phone: url('phone'),
        s3: url('s3'),
        dynamodb: url('dynamodb'),
        stepFunctions: url('stepfunctions'),
        events: url('events'),
        inboundSmtp: /inbound smtp (\S+)/.exec(line)?.[1] ?? '',
        clock: `${url('api')}/local/clock`,
        clockScale: Number(env.REDRESS_CLOCK_SCALE ?? TEST_CLOCK_SCALE),
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`local stack exited with ${code}:\n${output}`)));
  });
  // A test that starts a stack of its own has its responses checked like the shared stack's.
  if ((globalThis.fetch as { validating?: boolean }).validating) watchApi(urls.api);
  return { child, urls, output: () => output, dataDir };
}

/** Each stack process's data directory, where its DynamoDB Local writes its pid. */
const dataDirs = new WeakMap<ChildProcess, string>();

/** Kills the stack's DynamoDB Local, which a SIGKILLed stack cannot stop itself (it would live on as an orphan). */
function killDynamoDbLocal(child: ChildProcess): void {
  const dataDir = dataDirs.get(child);
  const pidFile = dataDir && path.join(dataDir, 'dynamodb', 'dynamodb.pid');
  if (!pidFile || !existsSync(pidFile)) return;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
  } catch {
    // already gone
  }
}

export async function stopStackProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      killDynamoDbLocal(child);
    }, 8000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const SHARED_DYNAMODB_VARIABLE = 'REDRESS_TEST_DYNAMODB';
const STACK_BUNDLE_VARIABLE = 'REDRESS_TEST_STACK_BUNDLE';

/**
 * The environment that puts a stack on the run's one DynamoDB Local (in a database of its own).
 * A test that stops or kills a stack's DynamoDB Local with it starts its stack without this.
 */
export function sharedDynamoDb(): Record<string, string> {
  const url = process.env[SHARED_DYNAMODB_VARIABLE];
  return url ? { REDRESS_DYNAMODB_SHARED: url } : {};
}

/** The file in a stack's data directory that names its `npm start` process. */
const STACK_PID_FILE = 'stack.pid';
const RUN_ROOT_VARIABLE = 'REDRESS_TEST_RUN_DIR';

/** Where this test run's stacks keep their data: one folder per run, which its teardown sweeps. */
export function runRoot(): string {
  return process.env[RUN_ROOT_VARIABLE] ?? scratchRoot();
}

/** Whether a process runs (a zombie does not). */
export function processAlive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

/** The processes whose command line names `text` (a run's folder: its DynamoDB Locals). */
export function processesNaming(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text) && processAlive(Number(entry)))
        found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/**
 * Stops every stack started under `root` that is still running, its DynamoDB Local included (a
 * test worker that crashed never stopped its own), removes their data, and answers what was still
 * running after that: nothing, or the run leaves processes behind.
 */
export async function reapStacks(root: string): Promise<number[]> {
  if (!existsSync(root)) return [];
  for (const dir of readdirSync(root)) {
    for (const file of [STACK_PID_FILE, path.join('dynamodb', 'dynamodb.pid')]) {
      const pidFile = path.join(root, dir, file);
      if (!existsSync(pidFile)) continue;
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  // A process killed a moment ago may still be in /proc: give it a moment, then look.
  let left = processesNaming(root);
  for (let i = 0; i < 50 && left.length; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    left = processesNaming(root);
  }
  rmSync(root, { recursive: true, force: true });
  return left;
}

/**
 * The run's shared stack, and its teardown: every stack of the run — the shared one and those the
 * test files started — is stopped, pass or fail, and the run fails if a process of it survives.
 */
export default async function setup(project: TestProject) {
  const root = mkdtempSync(path.join(scratchRoot(), 'redress-run-'));
  // Inherited by the test workers, so every stack of this run keeps its data (and pids) under it.
  process.env[RUN_ROOT_VARIABLE] = root;
  // The shared stack serves the whole run's sign-ins (every test file's staff, from one machine):
  // the desk's sign-in limits are tested on a stack of their own (staff-sign-in-safety.test.ts).
  const shared = { ...DEFAULT_DESK_CONFIG, staffSignIn: { perAddress: 1000, perClient: 10_000, windowSeconds: 900 } };
  const bundle = await buildStackBundle();
  process.env[STACK_BUNDLE_VARIABLE] = bundle;
  // One DynamoDB Local for the shared stack and every stack a test file starts for itself
  // (ownStack), each in a database of its own: one Java process warms up once, not forty times,
  // and serves the run's tens of thousands of requests, so it compiles its hot code fully (`optimise`).
  const dynamoDb = new LocalDynamoDb();
  process.env[SHARED_DYNAMODB_VARIABLE] = await dynamoDb.start({
    port: await freeQuietPort(),
    dataDir: path.join(root, 'shared-dynamodb', 'dynamodb'),
    perCredential: true,
    optimise: true,
  });
  // Its errors are kept (none is expected) and shown when the run ends: a 500 a test saw is
  // explained there.
  const { child, urls, output } = await startStackProcess({
    REDRESS_LOG_LEVEL: 'error',
    REDRESS_CONFIG_FILE: writeTestConfig(root, shared),
    ...sharedDynamoDb(),
  });
  project.provide('stack', urls);
  return async () => {
    await stopStackProcess(child);
    const errors = output()
      .split('\n')
      .filter((line) => /"level":"(ERROR|CRITICAL)"/.test(line));
    if (errors.length)
      console.warn(`The shared stack logged ${errors.length} error(s):\n${errors.slice(0, 20).join('\n')}`);
    await dynamoDb.stop();
    const survivors = await reapStacks(root);
    rmSync(bundle, { force: true });
    rmSync(`${bundle}.map`, { force: true });
    if (survivors.length)
      throw new Error(`processes of this test run still run after its teardown: ${survivors.join(', ')}`);
  };
}
