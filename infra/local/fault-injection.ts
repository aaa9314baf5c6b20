import { startProxy } from './http-proxy';

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
 * - `dynamodb-throttled:<n>`: the handlers' DynamoDB requests above n a second answer 400
 *   `ProvisionedThroughputExceededException`, as a table or partition past its throughput does
 *   (a bucket of n, refilled at n a second); the SDK retries, then the caller sees the error.
 * - `step-failing:<seconds>`: every workflow step that invokes a Lambda (not a task's own
 *   invocation) fails with `Lambda.ServiceException` for that many seconds after the stack
 *   started, as a Lambda that crashes or cannot run would: the workflow's Retry and then its
 *   Catch (wait, try again) take over.
 * - `task-opening-failing:<seconds>`: every human task's own invocation (OpenTask, which writes
 *   its link and request) fails with `Lambda.ServiceException` for that many seconds after the
 *   stack started: a case waits between its step's opening and its task's, for as long as the
 *   task's Retry lasts.
 *
 * A fault that lasts some seconds ends early when a test says so (`FaultWindows.end`, through the
 * local Step Functions' FAULTS_PATH): a test ends it at the moment its story needs, instead of
 * waiting for real time to run out.
 */
export interface Faults {
  crashOnStartExecution?: boolean;
  startExecutionFailingSeconds?: number;
  startExecutionThrottledPerSecond?: number;
  sendTaskSuccessFailingSeconds?: number;
  sesThrottledSeconds?: number;
  stepFailingSeconds?: number;
  dynamoDbThrottledPerSecond?: number;
  taskOpeningFailingSeconds?: number;
}

const FAULT_NAMES = {
  'crash-on-start-execution': { field: 'crashOnStartExecution', argument: undefined },
  'start-execution-failing': { field: 'startExecutionFailingSeconds', argument: 'seconds' },
  'start-execution-throttled': { field: 'startExecutionThrottledPerSecond', argument: 'starts per second' },
  'ses-throttled': { field: 'sesThrottledSeconds', argument: 'seconds' },
  'step-failing': { field: 'stepFailingSeconds', argument: 'seconds' },
  'send-task-success-failing': { field: 'sendTaskSuccessFailingSeconds', argument: 'seconds' },
  'dynamodb-throttled': { field: 'dynamoDbThrottledPerSecond', argument: 'requests per second' },
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

/** The faults that last a number of seconds from the stack's start. */
const TIMED_FAULTS = {
  'start-execution-failing': 'startExecutionFailingSeconds',
  'send-task-success-failing': 'sendTaskSuccessFailingSeconds',
  'step-failing': 'stepFailingSeconds',
  'task-opening-failing': 'taskOpeningFailingSeconds',
} as const satisfies Partial<Record<keyof typeof FAULT_NAMES, keyof Faults>>;
export type TimedFault = keyof typeof TIMED_FAULTS;

/** When each timed fault ends: its seconds after the start, or earlier when a test ends it. */
export class FaultWindows {
  private readonly until = new Map<TimedFault, number>();
  /** How many calls each fault refused, for the stack's meter. */
  readonly refused: Partial<Record<TimedFault, number>> = {};

  constructor(faults: Faults | undefined, startedAt = Date.now()) {
    for (const [name, field] of Object.entries(TIMED_FAULTS) as [TimedFault, keyof Faults][]) {
      const seconds = faults?.[field];
      if (typeof seconds === 'number') this.until.set(name, startedAt + seconds * 1000);
    }
  }

  /** Whether the fault refuses a call now (counted when it does). */
  active(name: TimedFault, now = Date.now()): boolean {
    if (now >= (this.until.get(name) ?? 0)) return false;
    this.refused[name] = (this.refused[name] ?? 0) + 1;
    return true;
  }

  /** Ends these faults now; names that are not timed faults of this stack are refused, naming them. */
  end(names: unknown): void {
    const list = Array.isArray(names) ? names : [names];
    const unknown = list.filter((n) => typeof n !== 'string' || !this.until.has(n as TimedFault));
    if (!list.length || unknown.length)
      throw new FaultSpecError(
        `"end" takes the names of this stack's timed faults (${[...this.until.keys()].join(', ') || 'none'}); got ${JSON.stringify(unknown.length ? unknown : names)}`,
      );
    for (const name of list) this.until.set(name as TimedFault, 0);
  }
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
  dynamoDbThrottled?: number;
}

/** An AWS JSON error answer: what the proxy sends instead of passing a request on. */
/** The handlers' DynamoDB endpoint when `dynamodb-throttled` is set: throttles above the rate. */
export async function startThrottlingDynamoDbProxy(
  target: string,
  perSecond: number,
  counts: FaultCounts,
): Promise<{ url: string; close: () => Promise<void>; setRefusing: (refusing: boolean) => void }> {
  const bucket = new TokenBucket(perSecond, Date.now());
  counts.dynamoDbThrottled = 0;
  // Refusing: every call is throttled, whatever the rate (a test turns it on and off, so that a
  // slow machine, whose calls never outrun the bucket, meets the throttle too).
  let refusing = false;
  const proxy = await startProxy(target, {
    contentType: 'application/x-amz-json-1.0',
    refuse: () => {
      if (!refusing && bucket.take(Date.now())) return undefined;
      counts.dynamoDbThrottled!++;
      return {
        status: 400,
        type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
        message: 'REDRESS_FAULT: The level of configured provisioned throughput for the table was exceeded.',
      };
    },
  });
  return { ...proxy, setRefusing: (on) => (refusing = on) };
}

export async function startFaultyStepFunctionsProxy(
  target: string,
  faults: Faults,
  counts: FaultCounts,
  windows: FaultWindows,
): Promise<{ url: string; close: () => Promise<void> }> {
  const bucket = faults.startExecutionThrottledPerSecond
    ? new TokenBucket(faults.startExecutionThrottledPerSecond, Date.now())
    : undefined;
  return startProxy(target, {
    contentType: 'application/x-amz-json-1.0',
    refuse: (req) => {
      const operation = String(req.headers['x-amz-target'] ?? '');
      if (operation.endsWith('.StartExecution')) {
        if (faults.crashOnStartExecution) {
          console.error(
            JSON.stringify({ level: 'WARN', message: 'REDRESS_FAULT: killing the process at StartExecution' }),
          );
          process.kill(process.pid, 'SIGKILL');
        }
        if (windows.active('start-execution-failing')) {
          counts.startExecutionFailed++;
          return { status: 500, type: 'ServiceUnavailable', message: 'REDRESS_FAULT: StartExecution is failing' };
        }
        if (bucket && !bucket.take(Date.now())) {
          counts.startExecutionThrottled++;
          return { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' };
        }
      }
      if (operation.endsWith('.SendTaskSuccess') && windows.active('send-task-success-failing')) {
        counts.sendTaskSuccessFailed++;
        return { status: 500, type: 'ServiceUnavailable', message: 'REDRESS_FAULT: SendTaskSuccess is failing' };
      }
      return undefined;
    },
  });
}
