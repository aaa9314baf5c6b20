/**
 * Works through `items` at no more than `perSecond` a second, several at once (round trips
 * overlap, starts stay spaced), for at most `budgetMs`. `work` answers `'stop'` to end the run
 * early (the service pushed back): the item it was given and those after it are left for the next
 * run. Answers how many items were worked (each `work` call that did not stop).
 */
export async function runPaced<T>(
  items: readonly T[],
  options: { perSecond: number; budgetMs: number; workers?: number },
  work: (item: T) => Promise<'stop' | undefined>,
): Promise<{ done: number; stopped: boolean }> {
  const began = Date.now();
  const gap = 1000 / options.perSecond;
  let slot = began - gap;
  let next = 0;
  let done = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < items.length && Date.now() - began < options.budgetMs) {
      const item = items[next++]!;
      slot += gap;
      const wait = slot - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if ((await work(item)) === 'stop') {
        stopped = true;
        return;
      }
      done++;
    }
  };
  const workers = Math.max(1, Math.min(options.workers ?? 16, Math.ceil(options.perSecond), items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return { done, stopped };
}
