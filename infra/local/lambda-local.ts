import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { FUNCTIONS, type FunctionSpec } from '../../functions/catalog';
import { guardTableWrites } from './table-write-guard';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/**
 * Runs the Lambda handler modules in this process, as Lambda would: the event and the result go
 * through JSON, each call gets a context, and an error keeps its name (Step Functions matches
 * Retry and Catch on it). The handlers share one table client, as each Lambda has its own: what
 * a call writes is held to its own function's grant (table-write-guard.ts), as IAM would.
 */
export class LocalLambdas {
  private readonly handlers = new Map<string, Handler>();
  /** The function whose invocation the current code runs in. */
  private readonly running = new AsyncLocalStorage<FunctionSpec>();
  /** Invocations per function id since the start, as Lambda bills them (REDRESS_METER's meter reads them). */
  readonly invocations = new Map<string, number>();

  /** Imports every handler now, so a broken module fails the start, not the first request. */
  async load(): Promise<void> {
    for (const spec of FUNCTIONS) {
      const module = (await import(/* @vite-ignore */ `../../functions/${spec.entry}.ts`)) as { handler?: Handler };
      if (typeof module.handler !== 'function') throw new Error(`functions/${spec.entry}.ts exports no handler`);
      this.handlers.set(spec.id, module.handler);
    }
    const { dynamo } = await import('../../functions/lib/clients/dynamo');
    guardTableWrites(dynamo, () => this.running.getStore());
  }

  arnOf(spec: FunctionSpec, region: string, accountId: string): string {
    return `arn:aws:lambda:${region}:${accountId}:function:${spec.id}`;
  }

  /** Runs `work` as the function `id` runs: its table writes are held to that function's grant. */
  runAs<T>(id: string, work: () => Promise<T>): Promise<T> {
    const spec = FUNCTIONS.find((f) => f.id === id);
    if (!spec) throw new Error(`No local function ${id}`);
    return this.running.run(spec, work);
  }

  /**
   * An asynchronous invocation (an S3 notification, an EventBridge rule): nobody waits for it, and
   * a failed run is tried twice more, as Lambda does (there after a minute, then two; here after
   * `retryDelaysMs`), each failure said on the console.
   */
  invokeAsync(id: string, payload: unknown, retryDelaysMs: readonly number[] = [1000, 2000]): void {
    const attempt = (left: readonly number[]) =>
      this.invoke(id, payload).catch((error) => {
        console.error(
          JSON.stringify({
            level: 'ERROR',
            message: `${id} failed${left.length ? '; trying again' : ''}`,
            error: String(error),
          }),
        );
        if (left.length) setTimeout(() => void attempt(left.slice(1)), left[0]).unref();
      });
    void attempt(retryDelaysMs);
  }

  async invoke(functionNameOrArn: string, payload: unknown): Promise<unknown> {
    const id = functionNameOrArn.split(':').pop()!;
    const handler = this.handlers.get(id);
    if (!handler) throw new Error(`No local function ${id}`);
    this.invocations.set(id, (this.invocations.get(id) ?? 0) + 1);
    const spec = FUNCTIONS.find((f) => f.id === id);
    const deadline = Date.now() + (spec?.timeoutSeconds ?? 30) * 1000;
    const context = {
      functionName: id,
      functionVersion: '$LATEST',
      awsRequestId: randomUUID(),
      invokedFunctionArn: functionNameOrArn,
      memoryLimitInMB: '512',
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    const result = await this.runAs(id, () => handler(JSON.parse(JSON.stringify(payload ?? null)), context));
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  }
}
