import { randomUUID } from 'node:crypto';
import { FUNCTIONS, type FunctionSpec } from '../../functions/catalog';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/**
 * Runs the Lambda handler modules in this process, as Lambda would: the event and the result go
 * through JSON, each call gets a context, and an error keeps its name (Step Functions matches
 * Retry and Catch on it).
 */
export class LocalLambdas {
  private readonly handlers = new Map<string, Handler>();
  /** Invocations per function id since the start, as Lambda bills them (REDRESS_METER's meter reads them). */
  readonly invocations = new Map<string, number>();

  /** Imports every handler now, so a broken module fails the start, not the first request. */
  async load(): Promise<void> {
    for (const spec of FUNCTIONS) {
      const module = (await import(`../../functions/${spec.entry}.ts`)) as { handler?: Handler };
      if (typeof module.handler !== 'function') throw new Error(`functions/${spec.entry}.ts exports no handler`);
      this.handlers.set(spec.id, module.handler);
    }
    if (process.env.REDRESS_BENCH_FLOOR === '1') await this.serveBenchFloor();
  }

  /**
   * The bench's intake floor (REDRESS_BENCH_FLOOR=1 only): a request to the intake function marked
   * `x-redress-bench: floor` runs a bare PutItem behind the same adapter and middy stack instead.
   */
  private async serveBenchFloor(): Promise<void> {
    const module = '../../test/bench/intake-floor.ts';
    const floor = (await import(module)) as { handler: Handler; FLOOR_HEADER: string };
    const intake = this.handlers.get('FileComplaint')!;
    this.handlers.set('FileComplaint', (event, context) => {
      const headers = (event as { headers?: Record<string, string> }).headers ?? {};
      const marked = Object.entries(headers).some(([name, value]) => name.toLowerCase() === floor.FLOOR_HEADER && value === 'floor');
      return (marked ? floor.handler : intake)(event, context);
    });
  }

  arnOf(spec: FunctionSpec, region: string, accountId: string): string {
    return `arn:aws:lambda:${region}:${accountId}:function:${spec.id}`;
  }

  async invoke(functionNameOrArn: string, payload: unknown): Promise<unknown> {
    const id = functionNameOrArn.split(':').pop()!;
    const handler = this.handlers.get(id);
    if (!handler) throw new Error(`No local function ${id}`);
    this.invocations.set(id, (this.invocations.get(id) ?? 0) + 1);
    const deadline = Date.now() + 30_000;
    const context = {
      functionName: id,
      functionVersion: '$LATEST',
      awsRequestId: randomUUID(),
      invokedFunctionArn: functionNameOrArn,
      memoryLimitInMB: '512',
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    const result = await handler(JSON.parse(JSON.stringify(payload ?? null)), context);
    return result === undefined ? null : JSON.parse(JSON.stringify(result));
  }
}
