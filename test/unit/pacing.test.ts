import { describe, expect, it } from 'vitest';
import { runPaced } from '../../functions/lib/pacing';

describe('runPaced', () => {
  it('works every item once, several at once', async () => {
    const seen: number[] = [];
    const { done, stopped } = await runPaced(
      [1, 2, 3, 4, 5, 6],
      { perSecond: 1000, budgetMs: 60_000, workers: 3 },
      async (n) => {
        seen.push(n);
        return undefined;
      },
    );
    expect({ done, stopped }).toEqual({ done: 6, stopped: false });
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('ends the run when the service pushes back, leaving that item and the rest', async () => {
    const seen: number[] = [];
    const { done, stopped } = await runPaced(
      [1, 2, 3, 4, 5],
      { perSecond: 1000, budgetMs: 60_000, workers: 1 },
      async (n) => {
        seen.push(n);
        return n === 3 ? 'stop' : undefined;
      },
    );
    expect({ done, stopped, seen }).toEqual({ done: 2, stopped: true, seen: [1, 2, 3] });
  });

  it('starts nothing once its budget is spent', async () => {
    const { done } = await runPaced([1, 2], { perSecond: 10, budgetMs: 0 }, async () => undefined);
    expect(done).toBe(0);
  });
});
