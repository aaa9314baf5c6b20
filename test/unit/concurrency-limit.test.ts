import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../../infra/local/concurrency-limit';

describe('ConcurrencyLimit', () => {
  it('runs at most its limit at once, the rest in the order they came, and frees a slot when work fails', async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const gates = Array.from({ length: 5 }, () => Promise.withResolvers<void>());
    const all = gates.map((gate, i) =>
      limit
        .run(async () => {
          running++;
          most = Math.max(most, running);
          order.push(i);
          await gate.promise;
          running--;
          if (i === 1) throw new Error('fails');
          return i;
        })
        .catch((error: Error) => error.message),
    );
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([0, 1]);
    gates[1]!.resolve();
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    expect(await Promise.all(all)).toEqual([0, 'fails', 2, 3, 4]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('refuses a limit that is not a whole number of at least one', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow(/whole number ≥ 1, got 0/);
    expect(() => new ConcurrencyLimit(Number('x'))).toThrow(/got NaN/);
  });
});
