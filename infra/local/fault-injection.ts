import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Test-only faults for the local stack, chosen by REDRESS_FAULT (a comma-separated list); never
 * in handler code. The handlers reach Step Functions through AWS_ENDPOINT_URL_SFN, so a small
 * proxy in front of the local engine can fail one operation the way AWS or a dying process
 * would; the local SES refuses sends itself.
 *
 * - `crash-on-start-execution`: the whole process dies (SIGKILL) the moment any StartExecution
 *   arrives, i.e. after intake stored the complaint and before its workflow started. A restart on
 *   the same data directory must start it (the reconciler).
 * - `start-execution-failing:<seconds>`: StartExecution answers 500 `ServiceUnavailable` for that
 *   many seconds after the stack started, then works.
 * - `start-execution-throttled:<n>`: StartExecution answers 400 `ThrottlingException` above n a
 *   second, as Step Functions' token bucket does (a bucket of n, refilled at n a second).
 * - `send-task-success-failing:<seconds>`: SendTaskSuccess (a decision on a task link) answers 500
 *   `ServiceUnavailable` for that many seconds after the stack started, then works.
 * - `ses-throttled:<seconds>`: the local SES answers `Throttling` (maximum sending rate exceeded)
 *   to every send for that many seconds after the stack started.
 * - `step-failing:<seconds>`: every workflow step that invokes a Lambda (not a task's own
 *   invocation) fails with `Lambda.ServiceException` for that many seconds after the stack
 *   started, as a Lambda that crashes or cannot run would: the workflow's Retry and then its
 *   Catch (wait, try again) take over.
 * - `task-opening-failing:<seconds>`: every human task's own invocation (OpenTask, which writes
 *   its link and request) fails with `Lambda.ServiceException` for that many seconds after the
 *   stack started: a case waits between its step's opening and its task's, for as long as the
 *   task's Retry lasts.
 */
export interface Faults {
  crashOnStartExecution?: boolean;
  startExecutionFailingSeconds?: number;
  startExecutionThrottledPerSecond?: number;
  sendTaskSuccessFailingSeconds?: number;
  sesThrottledSeconds?: number;
  stepFailingSeconds?: number;
  taskOpeningFailingSeconds?: number;
}

const FAULT_NAMES = {
  'crash-on-start-execution': { field: 'crashOnStartExecution', argument: undefined },
  'start-execution-failing': { field: 'startExecutionFailingSeconds', argument: 'seconds' },
  'start-execution-throttled': { field: 'startExecutionThrottledPerSecond', argument: 'starts per second' },
  'ses-throttled': { field: 'sesThrottledSeconds', argument: 'seconds' },
  'step-failing': { field: 'stepFailingSeconds', argument: 'seconds' },
  'send-task-success-failing': { field: 'sendTaskSuccessFailingSeconds', argument: 'seconds' },
  'task-opening-failing': { field: 'taskOpeningFailingSeconds', argument: 'seconds' },
} as const satisfies Record<string, { field: keyof Faults; argument: string | undefined }>;

export const FAULT_USAGE = Object.entries(FAULT_NAMES)
  .map(([name, { argument }]) => (argument ? `${name}:<${argument}>` : name))
  .join(', ');

export class FaultSpecError extends Error {}

/** Reads a REDRESS_FAULT value such as `ses-throttled:30,start-execution-throttled:50`; bad input names what is wrong. */
export function parseFaults(text: string | undefined): Faults | undefined {
  if (!text?.trim()) return undefined;
  const faults: Faults = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, argument, ...extra] = part.split(':');
    const known = FAULT_NAMES[name as keyof typeof FAULT_NAMES];
    if (!known) throw new FaultSpecError(`REDRESS_FAULT: "${name}" is not a fault; use one or more of: ${FAULT_USAGE}`);
    if (faults[known.field] !== undefined) throw new FaultSpecError(`REDRESS_FAULT: "${name}" is given twice`);
    if (!known.argument) {
      if (argument !== undefined) throw new FaultSpecError(`REDRESS_FAULT: "${name}" takes no argument, got "${part}"`);
      faults.crashOnStartExecution = true;
      continue;
    }
    const value = Number(argument);
    if (argument === undefined || argument === '' || extra.length || !Number.isFinite(value) || value <= 0) {
      throw new FaultSpecError(
        `REDRESS_FAULT: "${name}" needs a positive number of ${known.argument}, e.g. ${name}:10; got "${part}"`,
      );
    }
    (faults as Record<string, number>)[known.field] = value;
  }
  return faults;
}

export function faultsFromEnvironment(): Faults | undefined {
  return parseFaults(process.env.REDRESS_FAULT);
}

/** Whether the Step Functions proxy is needed for these faults. */
export const needsStepFunctionsProxy = (faults: Faults | undefined) =>
  !!(
    faults?.crashOnStartExecution ||
    faults?.startExecutionFailingSeconds ||
    faults?.startExecutionThrottledPerSecond ||
    faults?.sendTaskSuccessFailingSeconds
  );

/** A token bucket of `perSecond` tokens, refilled continuously at `perSecond` a second. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = perSecond;
    this.last = now;
  }

  /** Takes one token at `now` (ms); false when the bucket is empty. */
  take(now: number): boolean {
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Counts of what the faults did, for the stack's meter. */
export interface FaultCounts {
  startExecutionThrottled: number;
  startExecutionFailed: number;
  sendTaskSuccessFailed: number;
}

export async function startFaultyStepFunctionsProxy(
  target: string,
  faults: Faults,
  startedAt = Date.now(),
): Promise<{ url: string; counts: FaultCounts; close: () => Promise<void> }> {
  const bucket = faults.startExecutionThrottledPerSecond
    ? new TokenBucket(faults.startExecutionThrottledPerSecond, Date.now())
    : undefined;
  const counts: FaultCounts = { startExecutionThrottled: 0, startExecutionFailed: 0, sendTaskSuccessFailed: 0 };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const refuse = (res: http.ServerResponse, status: number, type: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify({ __type: type, message }));
  };
  const server = http.createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? '');
    if (operation.endsWith('.StartExecution')) {
      if (faults.crashOnStartExecution) {
        console.error(
          JSON.stringify({ level: 'WARN', message: 'REDRESS_FAULT: killing the process at StartExecution' }),
        );
        process.kill(process.pid, 'SIGKILL');
        return;
      }
      if (faults.startExecutionFailingSeconds && Date.now() < startedAt + faults.startExecutionFailingSeconds * 1000) {
        counts.startExecutionFailed++;
        req.resume();
        return refuse(res, 500, 'ServiceUnavailable', 'REDRESS_FAULT: StartExecution is failing');
      }
      if (bucket && !bucket.take(Date.now())) {
        counts.startExecutionThrottled++;
        req.resume();
        return refuse(res, 400, 'ThrottlingException', 'Rate exceeded');
      }
    }
    if (
      operation.endsWith('.SendTaskSuccess') &&
      faults.sendTaskSuccessFailingSeconds &&
      Date.now() < startedAt + faults.sendTaskSuccessFailingSeconds * 1000
    ) {
      counts.sendTaskSuccessFailed++;
      req.resume();
      return refuse(res, 500, 'ServiceUnavailable', 'REDRESS_FAULT: SendTaskSuccess is failing');
    }
    const upstream = http.request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: req.headers, agent },
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: async () => {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
