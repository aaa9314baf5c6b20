import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { FaultWindows } from './fault-injection';
import type { AddressInfo } from 'node:net';

import { StateMachine } from 'aws-local-stepfunctions';
import type { LocalClock } from './clock';
import { projectCache } from './prerequisites';

/** The local engine's setTimeout cannot take more than 2^31 ms: longer timeouts fire at once. */
export const MAX_LOCAL_TIMEOUT_SECONDS = 2_147_483;
const MAX_TIMER_MS = 2 ** 31 - 1;
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** Not an AWS resource: what a Wait state becomes locally, so that it waits on the local clock. */
const LOCAL_WAIT = 'arn:aws:states:::redress.local:wait';
/** `GET` here answers the local stack's meter (not an AWS operation). */
export const METER_PATH = '/local/meter';
/**
 * `POST` here sets the local faults that a test turns on and off (not an AWS operation):
 * `{"dynamodbRefusing": true}` makes every table call of the handlers answer as throttled until
 * `{"dynamodbRefusing": false}` (REDRESS_FAULT=dynamodb-throttled must be set); `{"end": ["step-failing"]}`
 * ends the named timed faults of REDRESS_FAULT now (fault-injection.ts).
 */
export const FAULTS_PATH = '/local/faults';

type Json = Record<string, unknown>;
type State = Json & {
  Type: string;
  Resource?: string;
  Parameters?: Json;
  TimeoutSecondsPath?: string;
  TimeoutSeconds?: number;
  Seconds?: number;
  ResultPath?: string | null;
};
type Definition = { StartAt: string; States: Record<string, State> } & Json;

export type InvokeFunction = (functionName: string, payload: unknown) => Promise<unknown>;

interface Execution {
  arn: string;
  name: string;
  input: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  transitions: number;
  abort: () => void;
}

interface PendingTask {
  executionArn: string;
  /** A Wait state's pause ends (resolves) at dueAt instead of timing out. */
  pause?: boolean;
  state: 'waiting' | 'timed-out' | 'done';
  /** When the task times out, on the local clock (ms). */
  dueAt: number;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

/** What the engine raises for a task that ran past its timeout: caught by `States.Timeout`, never retried. */
function statesTimeout(): Error {
  return Object.assign(new Error('States.Timeout'), { name: 'States.Timeout', isRetryable: false });
}

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Prepares the deployed definition for the local engine, which diverges from AWS in four ways:
 * it evaluates TimeoutSecondsPath against the Parameters output (so it reads the copy every
 * human task also passes as Payload.timeoutSeconds), it needs ${...} substituted, its Wait
 * states sleep on real time: each becomes a Task (passing its input through) that waits on the
 * local clock, so moving the clock ends it; and it times out a Task that names no timeout after
 * 60 s, where Step Functions gives it 99,999,999 s: each gets the longest the engine can hold
 * (without it, a 5-minute wait to retry a failing step failed its execution with States.Timeout).
 */
export function localDefinition(definitionText: string, substitutions: Record<string, string>): Definition {
  const substituted = definitionText.replace(/\$\{(\w+)\}/g, (_, key: string) => {
    const value = substitutions[key];
    if (value === undefined) throw new Error(`Workflow definition placeholder \${${key}} has no local substitution`);
    return value;
  });
  const definition = JSON.parse(substituted) as Definition;
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type === 'Wait') {
      if (
        typeof state.Seconds !== 'number' ||
        ['InputPath', 'OutputPath', 'SecondsPath', 'Timestamp', 'TimestampPath'].some((field) => field in state)
      )
        throw new Error(`Wait ${name}: only Seconds is implemented by the local engine`);
      definition.States[name] = {
        Type: 'Task',
        Resource: LOCAL_WAIT,
        Parameters: { seconds: state.Seconds },
        ResultPath: null,
        TimeoutSeconds: MAX_LOCAL_TIMEOUT_SECONDS,
        ...(state.Next ? { Next: state.Next } : { End: true }),
      } as State;
      continue;
    }
    if (state.Type !== 'Task') continue;
    if (state.TimeoutSeconds === undefined && !state.TimeoutSecondsPath)
      state.TimeoutSeconds = MAX_LOCAL_TIMEOUT_SECONDS;
    if (state.TimeoutSecondsPath) {
      const payload = (state.Parameters?.Payload ?? {}) as Json;
      if (!('timeoutSeconds.$' in payload))
        throw new Error(
          `Task ${name} has TimeoutSecondsPath but passes no Payload.timeoutSeconds for the local engine`,
        );
      state.TimeoutSecondsPath = '$.Payload.timeoutSeconds';
    }
    if (typeof state.TimeoutSeconds === 'number')
      state.TimeoutSeconds = Math.min(state.TimeoutSeconds, MAX_LOCAL_TIMEOUT_SECONDS);
  }
  return definition;
}

/**
 * Where the mark of a definition that passed the engine's validation is kept: named by the hash
 * of the definition (as the stack runs it) and of the engine's version, in the project's cache. A test run starts about forty stacks of one definition; each validation
 * costs 0.15–0.3 s of CPU.
 */
function validationMark(definition: unknown): string {
  const engine = readFileSync(
    path.resolve(import.meta.dirname, '../../node_modules/aws-local-stepfunctions/package.json'),
    'utf8',
  );
  const hash = createHash('sha256').update(engine).update(JSON.stringify(definition)).digest('hex').slice(0, 32);
  return projectCache('validated-workflows', hash);
}

/**
 * Step Functions on one machine: aws-local-stepfunctions runs the definition, and this server
 * speaks enough of the AWS JSON 1.0 protocol (StartExecution, DescribeExecution, StopExecution,
 * ListExecutions, SendTaskSuccess, SendTaskFailure) for the handlers' own @aws-sdk/client-sfn.
 */
export class LocalStepFunctions {
  readonly stateMachineArn: string;
  private readonly machine: InstanceType<typeof StateMachine>;
  private readonly definition: Definition;
  private readonly executions = new Map<string, Execution>();
  private readonly tasks = new Map<string, PendingTask>();
  private server?: http.Server;
  private closing = false;
  /** State transitions of every execution since the start, as Step Functions bills them (every state entered). */
  stateTransitions = 0;

  constructor(
    private readonly options: {
      definitionFile: string;
      substitutions: Record<string, string>;
      invoke: InvokeFunction;
      region: string;
      accountId: string;
      name: string;
      clock: LocalClock;
      onExecutionEnd?: (execution: Execution) => void;
      meter?: () => unknown;
      /** Turns the table's refusal on or off (FAULTS_PATH); absent when no table fault is set. */
      setDynamoDbRefusing?: (refusing: boolean) => void;
      /** REDRESS_FAULT's timed faults: while step-failing is on, every step's Lambda fails; while task-opening-failing is, a task's own invocation does. A test ends them through FAULTS_PATH. */
      faultWindows?: FaultWindows;
      /**
       * How long every Retry waits before trying again (ms), instead of its IntervalSeconds and
       * BackoffRate (REDRESS_RETRY_INTERVAL_MS): a test of what happens after the retries gives up
       * does not wait out their minute of backoff in real time.
       */
      retryIntervalMs?: number;
    },
  ) {
    // Moving the clock forward fires every task timeout it passes.
    options.clock.onMove(() => {
      for (const task of this.tasks.values()) if (task.state === 'waiting') this.arm(task);
    });
    this.stateMachineArn = `arn:aws:states:${options.region}:${options.accountId}:stateMachine:${options.name}`;
    this.definition = localDefinition(readFileSync(options.definitionFile, 'utf8'), options.substitutions);
    // Validation costs 70–200 ms: build the machine once and run every execution on it, and
    // validate a definition only until it has passed once.
    const validated = validationMark(this.definition);
    const passedBefore = existsSync(validated);
    this.machine = new StateMachine(this.definition as never, {
      validationOptions: { checkArn: false, noValidate: passedBefore },
    });
    if (!passedBefore)
      try {
        mkdirSync(path.dirname(validated), { recursive: true });
        writeFileSync(validated, '');
      } catch {
        // Without the mark, the next start validates again.
      }
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    // The executions a stop ends are not stopped by anyone: nobody is told of them.
    this.closing = true;
    for (const execution of this.executions.values()) if (execution.status === 'RUNNING') execution.abort();
    for (const task of this.tasks.values()) clearTimeout(task.timer);
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Every retrier of every state, waiting `retryIntervalMs`. */
  private retryIntervals(): Record<string, number[]> {
    const intervals: Record<string, number[]> = {};
    for (const [name, state] of Object.entries(this.definition.States))
      if (Array.isArray(state.Retry)) intervals[name] = state.Retry.map(() => this.options.retryIntervalMs!);
    return intervals;
  }

  private overrides(executionArn: string) {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [name, state] of Object.entries(this.definition.States)) {
      if (state.Type !== 'Task') continue;
      if (state.Resource === LAMBDA_INVOKE) {
        handlers[name] = async (input) => {
          const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
          if (this.options.faultWindows?.active('step-failing')) {
            throw Object.assign(new Error('REDRESS_FAULT: the step’s Lambda failed'), {
              name: 'Lambda.ServiceException',
            });
          }
          return { StatusCode: 200, Payload: await this.options.invoke(FunctionName, Payload) };
        };
      } else if (state.Resource === LOCAL_WAIT) {
        handlers[name] = (input) => this.pauseOnClock(executionArn, (input as { seconds: number }).seconds);
      } else if (state.Resource === LAMBDA_INVOKE_WAIT) {
        handlers[name] = async (input) => {
          if (this.options.faultWindows?.active('task-opening-failing')) {
            throw Object.assign(new Error('REDRESS_FAULT: the task’s Lambda failed'), {
              name: 'Lambda.ServiceException',
            });
          }
          return this.waitForTaskToken(
            executionArn,
            input as { FunctionName: string; Payload: { taskToken: string; timeoutSeconds?: number } },
          );
        };
      } else {
        throw new Error(`Task ${name}: resource ${state.Resource} has no local implementation`);
      }
    }
    return handlers;
  }

  /**
   * The task's timeout runs on the local clock, not on the engine's own timer: the engine is
   * given the longest timeout it can hold (it reads it from this same object right after this
   * call), and this timer raises States.Timeout when the local clock reaches the deadline,
   * whether real time got there or the clock was moved forward.
   */
  private waitForTaskToken(
    executionArn: string,
    input: { FunctionName: string; Payload: { taskToken: string; timeoutSeconds?: number } },
  ): Promise<unknown> {
    const payload = { ...input.Payload };
    const { taskToken } = payload;
    input.Payload.timeoutSeconds = MAX_LOCAL_TIMEOUT_SECONDS;
    const { promise: result, resolve, reject } = Promise.withResolvers<unknown>();
    result.catch(() => undefined);
    const task: PendingTask = {
      executionArn,
      state: 'waiting',
      dueAt: this.options.clock.nowMs() + (payload.timeoutSeconds ?? 60) * 1000,
      resolve,
      reject,
    };
    this.tasks.set(taskToken, task);
    this.arm(task);
    return this.options.invoke(input.FunctionName, payload).then(() => result);
  }

  /** A Wait state: ends when the local clock reaches its end, by real time or a move of the clock. */
  private pauseOnClock(executionArn: string, seconds: number): Promise<unknown> {
    const { promise, resolve, reject } = Promise.withResolvers<unknown>();
    const key = `${executionArn}#wait#${randomBytes(8).toString('hex')}`;
    const pause: PendingTask = {
      executionArn,
      pause: true,
      state: 'waiting',
      dueAt: this.options.clock.nowMs() + seconds * 1000,
      resolve,
      reject,
    };
    this.tasks.set(key, pause);
    this.arm(pause);
    return promise.finally(() => this.tasks.delete(key));
  }

  private arm(task: PendingTask) {
    clearTimeout(task.timer);
    const wait = task.dueAt - this.options.clock.nowMs();
    if (wait > 0) {
      task.timer = setTimeout(() => this.arm(task), Math.min(wait, MAX_TIMER_MS));
      return;
    }
    if (task.pause) {
      task.state = 'done';
      task.resolve({});
      return;
    }
    // From now on the token is dead, as on AWS: a late SendTaskSuccess gets TaskTimedOut.
    task.state = 'timed-out';
    task.reject(statesTimeout());
  }

  startExecution(body: { stateMachineArn?: string; name?: string; input?: string }): {
    executionArn: string;
    startDate: number;
  } {
    if (body.stateMachineArn !== this.stateMachineArn)
      throw new AwsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${body.stateMachineArn}'`);
    const name = body.name ?? randomBytes(16).toString('hex');
    const input = body.input ?? '{}';
    const existing = this.executions.get(name);
    if (existing) {
      // As on AWS: the same name and input while running is the same start; anything else is refused.
      if (existing.status === 'RUNNING' && existing.input === input)
        return { executionArn: existing.arn, startDate: existing.startDate.getTime() / 1000 };
      throw new AwsError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.arn}'`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new AwsError('InvalidExecutionInput', 'Invalid execution input: not JSON');
    }
    const arn = `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const execution: Execution = {
      arn,
      name,
      input,
      status: 'RUNNING',
      startDate: new Date(this.options.clock.nowMs()),
      transitions: 0,
      abort: () => undefined,
    };
    this.executions.set(name, execution);
    const tokenFor = () => `${name}.${randomBytes(24).toString('base64url')}`;
    const run = this.machine.run(parsed as never, {
      overrides: {
        taskResourceLocalHandlers: this.overrides(arn) as never,
        ...(this.options.retryIntervalMs === undefined ? {} : { retryIntervalOverrides: this.retryIntervals() }),
      },
      noThrowOnAbort: true,
      context: {
        Execution: { Id: arn, Name: name, Input: parsed, StartTime: execution.startDate.toISOString() },
        StateMachine: { Id: this.stateMachineArn, Name: this.options.name },
        Task: {
          get Token() {
            return tokenFor();
          },
        },
      } as never,
    });
    execution.abort = () => run.abort();
    void (async () => {
      for await (const event of run.eventLogs)
        if ((event as { type: string }).type === 'StateEntered') {
          execution.transitions++;
          this.stateTransitions++;
        }
    })().catch(() => undefined);
    run.result.then(
      (output) => {
        if (execution.status !== 'RUNNING') return;
        execution.status = output === null ? 'ABORTED' : 'SUCCEEDED';
        execution.output = JSON.stringify(output);
        this.finish(execution);
      },
      (error: Error & { cause?: { name?: string; message?: string } }) => {
        if (execution.status !== 'RUNNING') return;
        execution.status = 'FAILED';
        execution.error = error.cause?.name ?? error.name;
        execution.cause = error.cause?.message ?? error.message;
        this.finish(execution);
      },
    );
    return { executionArn: arn, startDate: execution.startDate.getTime() / 1000 };
  }

  private finish(execution: Execution) {
    execution.stopDate = new Date(this.options.clock.nowMs());
    for (const [token, task] of this.tasks) {
      if (task.executionArn === execution.arn) {
        clearTimeout(task.timer);
        this.tasks.delete(token);
      }
    }
    if (!this.closing) this.options.onExecutionEnd?.(execution);
  }

  private findExecution(arn: string | undefined): Execution {
    const name = arn?.split(':').pop() ?? '';
    const execution = this.executions.get(name);
    if (!execution || execution.arn !== arn)
      throw new AwsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  describeExecution(body: { executionArn?: string }) {
    const e = this.findExecution(body.executionArn);
    return {
      executionArn: e.arn,
      stateMachineArn: this.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: e.startDate.getTime() / 1000,
      ...(e.stopDate ? { stopDate: e.stopDate.getTime() / 1000 } : {}),
      input: e.input,
      ...(e.output !== undefined ? { output: e.output } : {}),
      ...(e.error ? { error: e.error, cause: e.cause } : {}),
      // Not an AWS field: the local count of state transitions, for cost estimates.
      redressStateTransitions: e.transitions,
    };
  }

  stopExecution(body: { executionArn?: string; error?: string; cause?: string }) {
    const e = this.findExecution(body.executionArn);
    if (e.status === 'RUNNING') {
      e.status = 'ABORTED';
      e.error = body.error;
      e.cause = body.cause;
      e.abort();
      this.finish(e);
    }
    return { stopDate: (e.stopDate ?? new Date(this.options.clock.nowMs())).getTime() / 1000 };
  }

  listExecutions(body: { statusFilter?: string }) {
    const executions = [...this.executions.values()]
      .filter((e) => !body.statusFilter || e.status === body.statusFilter)
      .map((e) => ({
        executionArn: e.arn,
        stateMachineArn: this.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: e.startDate.getTime() / 1000,
      }));
    return { executions };
  }

  private takeTask(token: string | undefined): PendingTask {
    if (!token?.includes('.')) throw new AwsError('InvalidToken', 'Invalid Token');
    const task = this.tasks.get(token);
    if (!task || task.pause || task.state === 'done') throw new AwsError('TaskDoesNotExist', 'Task Does Not Exist');
    if (task.state === 'timed-out') throw new AwsError('TaskTimedOut', 'Task Timed Out');
    task.state = 'done';
    clearTimeout(task.timer);
    return task;
  }

  sendTaskSuccess(body: { taskToken?: string; output?: string }) {
    let output: unknown;
    try {
      output = JSON.parse(body.output ?? '');
    } catch {
      throw new AwsError('InvalidOutput', 'Invalid Output: not JSON');
    }
    this.takeTask(body.taskToken).resolve(output);
    return {};
  }

  sendTaskFailure(body: { taskToken?: string; error?: string; cause?: string }) {
    const error = Object.assign(new Error(body.cause ?? ''), { name: body.error ?? 'TaskFailed' });
    this.takeTask(body.taskToken).reject(error);
    return {};
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    // Not an AWS operation: what this run consumed (state transitions, invocations, capacity), for the bench.
    if (req.method === 'GET' && req.url === METER_PATH && this.options.meter) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ stateTransitions: this.stateTransitions, ...(this.options.meter() as object) }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method === 'POST' && req.url === FAULTS_PATH) {
      const refuse = (message: string) => {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(message);
      };
      let body: { dynamodbRefusing?: unknown; end?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        return refuse('send JSON: {"dynamodbRefusing": true|false} or {"end": ["<timed fault>", …]}');
      }
      if ('end' in body) {
        if (!this.options.faultWindows) return refuse('this stack has no timed faults (REDRESS_FAULT)');
        try {
          this.options.faultWindows.end(body.end);
        } catch (error) {
          return refuse((error as Error).message);
        }
      } else if (typeof body.dynamodbRefusing === 'boolean' && this.options.setDynamoDbRefusing) {
        this.options.setDynamoDbRefusing(body.dynamodbRefusing);
      } else {
        return refuse(
          'send {"dynamodbRefusing": true|false} to a stack started with REDRESS_FAULT=dynamodb-throttled:<n>, or {"end": ["<timed fault>", …]}',
        );
      }
      res.writeHead(204);
      res.end();
      return;
    }
    const operation = String(req.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(body));
    };
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const operations: Record<string, (body: never) => unknown> = {
        StartExecution: (b) => this.startExecution(b),
        DescribeExecution: (b) => this.describeExecution(b),
        StopExecution: (b) => this.stopExecution(b),
        ListExecutions: (b) => this.listExecutions(b),
        SendTaskSuccess: (b) => this.sendTaskSuccess(b),
        SendTaskFailure: (b) => this.sendTaskFailure(b),
        SendTaskHeartbeat: (b: { taskToken?: string }) => {
          if (!this.tasks.has(b.taskToken ?? '')) throw new AwsError('TaskDoesNotExist', 'Task Does Not Exist');
          return {};
        },
      };
      const run = operations[operation];
      if (!run)
        throw new AwsError('UnknownOperationException', `${operation} is not implemented by the local Step Functions`);
      send(200, run(body as never));
    } catch (error) {
      if (error instanceof AwsError) send(400, { __type: error.type, message: error.message });
      else send(500, { __type: 'InternalFailure', message: (error as Error).message });
    }
  }
}
