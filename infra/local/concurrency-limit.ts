/**
 * At most `max` pieces of work at once; the rest wait their turn, first come first served. The
 * local stack runs the workflow's steps through one: DynamoDB Local serves one request at a time,
 * so steps given free rein take the table from the requests a person waits for. In AWS each step
 * is a Lambda of its own and the table scales; here, during a burst, the steps lag behind intake
 * and catch up after it.
 */
export class ConcurrencyLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new Error(`a concurrency limit must be a whole number ≥ 1, got ${max}`);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line, so none can be taken out of turn.
      if (next) next();
      else this.running--;
    }
  }
}
